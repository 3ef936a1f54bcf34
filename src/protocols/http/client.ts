import { parseDurationMs } from '../../config/duration.js';
import { VolleyError, ExitCode } from '../../errors/index.js';
import type { VuContext } from '../../vu/context.js';
import { compressBody, encodeBody, type RequestBody } from './body.js';
import { CookieJar } from './cookie-jar.js';
import { classifyError, ErrorCode, statusErrorCode, type ClassifiedError } from './error-codes.js';
import { checkResponseCallback, DEFAULT_RESPONSE_CALLBACK, isExpected, type ResponseCallback } from './expected-statuses.js';
import { digestAuthorization, parseDigestChallenge } from './digest.js';
import { rawHeaderValue, rawHeaderValues } from './headers.js';
import { Response, type ResponseType } from './response.js';
import { zeroTimings } from './timings.js';
import type { TlsSettings, Transport, WireRequest, WireResult } from './transport.js';
import type { TagSet, TagSetCache } from '../../metrics/tags.js';
import { HeaderFlag } from './fast/parser.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import {
  HTTP_EXCHANGE,
  S_BLOCKED,
  S_CONNECTING,
  S_CORRECTED_DURATION,
  S_DATA_RECEIVED,
  S_DATA_SENT,
  S_DURATION,
  S_FAILED,
  S_RECEIVING,
  S_REQS,
  S_SENDING,
  S_TLS_HANDSHAKING,
  S_WAITING,
} from './metrics.js';
import type { WireSink } from './fast/result.js';
import { HttpURL, parseTarget, type RequestUrl, type Target } from './url.js';
import { abortError, type HttpVuState, type SystemTags } from './vu-state.js';

/** Per-request parameters (k6 `Params`). Every field is optional. */
export interface Params {
  /** Request headers. Values may be arrays (repeated header). */
  headers?: Record<string, string | number | readonly string[] | undefined>;
  /** Extra tags on this request's samples; `name` replaces the default name (the URL). */
  tags?: Record<string, string | number | boolean>;
  /** Whole-request timeout (all redirects included): a duration string ('10s') or ms. Default '60s'. */
  timeout?: string | number;
  /** Redirects to follow. Default: the `maxRedirects` option (10). 0 returns the 3xx itself. */
  redirects?: number;
  /** Body delivery. Default 'text' ('none' when the `discardResponseBodies` option is set). */
  responseType?: ResponseType;
  /** 'basic' (default for user:pass@ in the URL) or 'digest' (answers the server's 401 challenge once). 'ntlm' is not supported. */
  auth?: 'basic' | 'digest' | 'ntlm';
  /** Request-only cookies: name → value, or { value, replace } where replace overrides a jar cookie of that name. */
  cookies?: Record<string, string | { value: string; replace?: boolean }>;
  /** Cookie jar for this request instead of the VU's (null: no jar at all). */
  jar?: CookieJar | null;
  /** Compress the request body: 'gzip', 'deflate', 'br', or a comma-separated chain. */
  compression?: string;
  /** Overrides the response callback for this request (null: none). */
  responseCallback?: ResponseCallback;
  /** Volley extension: TLS settings for this request's connections (extra CA PEM, skip verification). */
  tls?: TlsSettings;
}

/** Module-wide default response callback (set by http.setResponseCallback outside a VU). */
let defaultCallback: ResponseCallback = DEFAULT_RESPONSE_CALLBACK;

/** k6 `http.setResponseCallback`: inside a VU, for that VU; in the init context, for every VU of this thread. */
export function setResponseCallback(vu: VuContext | undefined, st: HttpVuState | undefined, cb: unknown): void {
  const c = checkResponseCallback(cb, 'http.setResponseCallback(callback)');
  if (vu && st) st.responseCallback = c;
  else defaultCallback = c;
}

/** Resets the module-wide default response callback (tests). @internal */
export function resetDefaultResponseCallback(): void {
  defaultCallback = DEFAULT_RESPONSE_CALLBACK;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Status → its decimal string, so the status tag allocates nothing. */
const STATUS_STRINGS: string[] = [];
function statusString(s: number): string {
  return s >= 0 && s < 1000 ? (STATUS_STRINGS[s] ??= String(s)) : String(s);
}
const CODE_STRINGS = new Map<number, string>();
function codeString(c: number): string {
  let s = CODE_STRINGS.get(c);
  if (s === undefined) CODE_STRINGS.set(c, (s = String(c)));
  return s;
}

/** A request with its parameters checked and its headers and body built once (redirects reuse them). */
interface Prepared {
  method: string;
  target: Target;
  /** The `name` tag when set by http.url or params.tags.name; undefined = the hop's URL. */
  name: string | undefined;
  headers: string[];
  body: Uint8Array | null;
  /** User-set Cookie header (merged with the jar's). */
  userCookie: string;
  reqCookies: Params['cookies'] | undefined;
  /** params.jar; null = no jar; undefined = the VU's own jar (created only when a cookie arrives). */
  jar: CookieJar | null | undefined;
  timeoutMs: number;
  maxRedirects: number;
  responseType: ResponseType;
  /** params.responseCallback; undefined = the VU's (http.setResponseCallback) or the module default. */
  callback: ResponseCallback | undefined;
  userTags: Params['tags'] | undefined;
  tls: TlsSettings | undefined;
  /** Answer a Digest 401 challenge with the URL's credentials. */
  digest: boolean;
}

function paramsError(msg: string, hint?: string): VolleyError {
  return new VolleyError('E_HTTP_PARAMS', msg, { hint, exitCode: ExitCode.ScriptException });
}

/**
 * Performs a request for the calling VU: cookies, redirects, metrics, Response. Network errors do
 * not throw (status 0, `error`, `error_code`) unless the `throw` option is set. Invalid params
 * throw a VolleyError; an invalid URL gives error_code 1020 and no metrics, as in k6.
 */
export function doRequest(vu: VuContext, st: HttpVuState, method: string, url: RequestUrl, body: RequestBody, params: Params | undefined): Promise<Response> {
  // Not `async`: one promise less per request. Errors thrown while preparing still reach the
  // caller as a rejection, like every other failure of an async API.
  try {
    let urlStr: string;
    let name: string | undefined;
    if (typeof url === 'string') urlStr = url;
    else if (url instanceof HttpURL) {
      urlStr = url.url;
      name = url.name;
    } else if (url instanceof URL) urlStr = url.href;
    else urlStr = String(url);

    const target = parseTarget(urlStr);
    if (target === null) {
      const msg = `invalid URL "${urlStr}": only absolute http:// and https:// URLs are supported`;
      if (st.options.throw) throw new VolleyError('E_HTTP_INVALID_URL', msg, { exitCode: ExitCode.ScriptException });
      return Promise.resolve(failedResponse(method, urlStr, { code: ErrorCode.InvalidUrl, message: msg }));
    }
    return execute(vu, st, prepare(st, method, target, name, body, params));
  } catch (err) {
    return Promise.reject(err);
  }
}

function prepare(st: HttpVuState, method: string, target: Target, name: string | undefined, body: RequestBody, params: Params | undefined): Prepared {
  const o = st.options;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let maxRedirects = o.maxRedirects;
  let responseType: ResponseType = o.discardResponseBodies ? 'none' : 'text';
  // undefined = the VU's callback, else the module default (resolved when the response arrives).
  let callback: ResponseCallback | undefined;
  let jar: CookieJar | null | undefined;
  let userTags: Params['tags'] | undefined;
  let compression: string | undefined;
  let reqCookies: Params['cookies'] | undefined;
  let tls: TlsSettings | undefined;
  let digest = false;

  const userHeaders = params?.headers;
  if (params !== undefined && params !== null) {
    if (typeof params !== 'object') throw paramsError(`params must be an object, not ${typeof params}`);
    if (params.timeout !== undefined) {
      const t = parseDurationMs(params.timeout);
      if (t === undefined) throw paramsError(`params.timeout: "${String(params.timeout)}" is not a duration`, "use a duration string like '30s' or a number of milliseconds");
      timeoutMs = t;
    }
    if (params.redirects !== undefined) {
      if (!Number.isInteger(params.redirects) || params.redirects < 0) throw paramsError(`params.redirects must be a non-negative integer, not ${String(params.redirects)}`);
      maxRedirects = params.redirects;
    }
    if (params.responseType !== undefined) {
      if (params.responseType !== 'text' && params.responseType !== 'binary' && params.responseType !== 'none') {
        throw paramsError(`params.responseType must be 'text', 'binary' or 'none', not ${JSON.stringify(params.responseType)}`);
      }
      responseType = params.responseType;
    }
    if (params.responseCallback !== undefined) callback = checkResponseCallback(params.responseCallback, 'params.responseCallback');
    if (params.jar !== undefined) {
      if (params.jar !== null && !(params.jar instanceof CookieJar)) throw paramsError('params.jar must be a CookieJar (http.cookieJar() or new http.CookieJar()) or null');
      jar = params.jar;
    }
    if (params.tags !== undefined && params.tags !== null) {
      if (typeof params.tags !== 'object') throw paramsError('params.tags must be an object of tag name → value');
      userTags = params.tags;
      const n = params.tags.name;
      if (n !== undefined) name = String(n);
    }
    if (params.auth === 'digest') {
      if (target.userinfo === '') throw paramsError("params.auth 'digest' needs credentials in the URL", "e.g. http://user:password@host/path");
      digest = true;
    } else if (params.auth !== undefined && params.auth !== 'basic') {
      throw paramsError(`params.auth: '${String(params.auth)}' is not supported`, "use 'basic' or 'digest' (user:password@ in the URL), or set the Authorization header yourself");
    }
    compression = params.compression;
    reqCookies = params.cookies;
    tls = params.tls;
    if (userHeaders !== undefined && (userHeaders === null || typeof userHeaders !== 'object')) throw paramsError('params.headers must be an object of header name → value');
  }
  // Headers, built once: defaults the user did not override, then the user's own. The common
  // case (no user headers, no body) reuses one frozen list per URL, which the fast transport also
  // recognises to reuse the serialised request (see fast/request-bytes.ts).
  if ((userHeaders === undefined || userHeaders === null) && (body === null || body === undefined) && !digest) {
    return {
      method,
      target,
      name,
      headers: defaultHeaders(target, st.options.userAgent),
      body: null,
      userCookie: '',
      reqCookies,
      jar,
      timeoutMs,
      maxRedirects,
      responseType,
      callback,
      userTags,
      tls,
      digest: false,
    };
  }
  const headers: string[] = [];
  let hasUA = false;
  let userCT: string | undefined;
  let hasAuth = false;
  let userCookie = '';
  if (userHeaders) {
    for (const k in userHeaders) {
      const v = userHeaders[k];
      if (v === undefined || v === null) continue;
      const lk = k.toLowerCase();
      if (lk === 'cookie') {
        userCookie = Array.isArray(v) ? v.join('; ') : String(v);
        continue;
      }
      if (lk === 'user-agent') hasUA = true;
      else if (lk === 'content-type') userCT = String(v);
      else if (lk === 'authorization') hasAuth = true;
      if (Array.isArray(v)) for (const item of v) headers.push(k, String(item));
      else headers.push(k, String(v));
    }
  }
  if (!hasUA && st.options.userAgent !== '') headers.push('user-agent', st.options.userAgent);
  if (!hasAuth && !digest && target.userinfo !== '') headers.push('authorization', `Basic ${Buffer.from(target.userinfo, 'utf8').toString('base64')}`);

  const enc = encodeBody(body, userCT);
  let bytes = enc.bytes;
  if (enc.contentType !== undefined && userCT === undefined) headers.push('content-type', enc.contentType);
  if (compression !== undefined && compression !== '' && bytes !== null) {
    const c = compressBody(bytes, compression);
    bytes = c.bytes;
    headers.push('content-encoding', c.contentEncoding);
  }

  return {
    method,
    target,
    name,
    headers,
    body: bytes,
    userCookie,
    reqCookies,
    jar,
    timeoutMs,
    maxRedirects,
    responseType,
    callback,
    userTags,
    tls,
    digest: digest && !hasAuth,
  };
}

/**
 * Default header lists (no user headers, no body), frozen and reused per target: building them
 * was an array and up to two pushes per request, and a frozen list lets the fast transport reuse
 * the serialised request bytes. Bounded like the URL cache.
 */
const defaultHeaderCache = new Map<Target, readonly string[]>();
const DEFAULT_HEADER_CACHE_MAX = 2000;
const NO_HEADERS: readonly string[] = Object.freeze([]);

function defaultHeaders(target: Target, userAgent: string): string[] {
  let h = defaultHeaderCache.get(target);
  // The user agent is an option: different VUs (tests) may differ; the entry must match.
  if (h === undefined || (userAgent === '' ? h.length > 0 && h[0] === 'user-agent' : h[1] !== userAgent)) {
    const out: string[] = [];
    if (userAgent !== '') out.push('user-agent', userAgent);
    if (target.userinfo !== '') out.push('authorization', `Basic ${Buffer.from(target.userinfo, 'utf8').toString('base64')}`);
    h = out.length === 0 ? NO_HEADERS : Object.freeze(out);
    if (defaultHeaderCache.size >= DEFAULT_HEADER_CACHE_MAX) defaultHeaderCache.clear();
    defaultHeaderCache.set(target, h);
  }
  return h as string[];
}

/** Cookie header for one hop: the user's Cookie header, the jar's cookies, params.cookies. */
function cookieHeader(p: Prepared, st: HttpVuState, href: string): string {
  let jarPart = '';
  const jar = p.jar === undefined ? st.existingJar : p.jar;
  if (jar !== null && jar !== undefined && jar.hasCookies) {
    if (p.reqCookies === undefined) jarPart = jar.cookieHeader(href);
    else {
      // Drop the jar's cookies that a params.cookies entry with replace: true overrides.
      const jarCookies = jar.cookiesForURL(href);
      const parts: string[] = [];
      for (const n in jarCookies) {
        const rc = p.reqCookies[n];
        if (rc !== undefined && typeof rc === 'object' && rc.replace) continue;
        for (const v of jarCookies[n]!) parts.push(`${n}=${v}`);
      }
      jarPart = parts.join('; ');
    }
  }
  let reqPart = '';
  if (p.reqCookies !== undefined) {
    for (const n in p.reqCookies) {
      const c = p.reqCookies[n];
      const v = c !== null && typeof c === 'object' ? c.value : c;
      reqPart += `${reqPart ? '; ' : ''}${n}=${String(v)}`;
    }
  }
  let out = p.userCookie;
  if (jarPart) out = out ? `${out}; ${jarPart}` : jarPart;
  if (reqPart) out = out ? `${out}; ${reqPart}` : reqPart;
  return out;
}

const SENSITIVE_ON_REDIRECT = new Set(['authorization', 'www-authenticate', 'cookie']);

/** A transport that can deliver to a sink instead of a promise (both built-in ones can). */
type SinkTransport = Transport & { start?(req: WireRequest, sink: WireSink): void };

/**
 * One request in flight, all hops (redirects, the Digest challenge) included. It is at once the
 * run's state, the WireRequest of its current hop and the sink the transport reports to, so a
 * request costs this object and the promise the script awaits; no async function frame, no second
 * promise per hop, nothing for the ALS promise hooks to tag twice (bench/micro/engine-loop.mjs:
 * with the fast transport a plain GET costs 12-13 µs of CPU per request on this loaded machine,
 * against 18 µs through the undici path; profile summary in docs/http.md).
 */
class RequestRun implements WireRequest, WireSink {
  // --- WireRequest of the current hop ---
  protocol: string;
  origin: string;
  path: string;
  method: string;
  headers: string[];
  body: Uint8Array | null;
  timeoutMs = 0;
  reset: boolean;
  keepBody: boolean;
  tls: TlsSettings | undefined;

  // --- run state ---
  target: Target;
  /** Headers of every hop, without the Cookie header (added per hop). */
  baseHeaders: string[];
  cookie = '';
  hop = 0;
  digestSent = false;
  /** Wall time of the hops done so far (their timings' sum), ms: the timeout covers all hops. */
  spentMs = 0;
  resolve: (r: Response) => void = noop;
  reject: (e: unknown) => void = noop;

  constructor(
    readonly vu: VuContext,
    readonly st: HttpVuState,
    readonly p: Prepared,
  ) {
    this.keepBody = p.responseType !== 'none';
    this.method = p.method;
    this.target = p.target;
    this.protocol = p.target.protocol;
    this.origin = p.target.origin;
    this.path = p.target.path;
    this.baseHeaders = p.headers;
    this.headers = p.headers;
    this.body = p.body;
    this.reset = st.options.noConnectionReuse;
    this.tls = p.tls;
  }

  /** Sends the current hop. */
  send(): void {
    const target = this.target;
    const cookie = cookieHeader(this.p, this.st, target.href);
    this.cookie = cookie;
    // A copy with the cookie: header lists may be shared (frozen) between requests.
    this.headers = cookie === '' ? this.baseHeaders : [...this.baseHeaders, 'cookie', cookie];
    this.protocol = target.protocol;
    this.origin = target.origin;
    this.path = target.path;
    // No clock read per request: what is left of the timeout is the timeout minus the exchanges so
    // far (each hop's blocked + connecting + tls_handshaking + duration is its wall time).
    const to = this.p.timeoutMs;
    this.timeoutMs = to > 0 && to !== Infinity ? Math.max(1, to - this.spentMs) : 0;
    const t = this.st.transport as SinkTransport;
    if (t.start !== undefined) t.start(this, this);
    else t.roundTrip(this).then((r) => this.onWire(r), (e) => this.reject(e));
  }

  onWire(r: WireResult): void {
    try {
      const res = this.step(r);
      if (res !== undefined) this.resolve(res);
    } catch (err) {
      this.reject(err);
    }
  }

  /** Handles one hop's result: records it, then either sends the next hop (undefined) or returns the Response. */
  private step(r: WireResult): Response | undefined {
    const { vu, st, p } = this;
    const method = this.method;
    const target = this.target;
    // Vu's `interrupted` field spares the AbortSignal getters per request (other VuContexts: the signal).
    const vi = (vu as { interrupted?: unknown }).interrupted;
    if (vi === true || (vi === undefined && vu.signal.aborted)) throw abortError();
    const tm = r.timings;
    this.spentMs += tm.blocked + tm.connecting + tm.tls_handshaking + tm.duration;

    const flags = (r as { headerFlags?: number }).headerFlags;
    if (p.jar !== null && (flags === undefined ? r.rawHeaders.length > 0 : (flags & HeaderFlag.SetCookie) !== 0)) {
      const sc = rawHeaderValues(r.rawHeaders, 'set-cookie');
      if (sc.length > 0) (p.jar === undefined ? st.jar : p.jar).storeSetCookies(target.href, sc);
    }

    const err = r.error === undefined ? undefined : classifyError(r.error);
    // A failure after the status line (reset or timeout mid-body) is still a failed request with
    // status 0, as in k6 (its response callback sees 0 whenever the exchange errored).
    const status = err === undefined ? r.status : 0;
    const challenge = status === 401 && p.digest && !this.digestSent ? digestChallenge(r) : undefined;
    // The 401 that carries the Digest challenge is protocol mechanics, not a failure.
    const callback = p.callback !== undefined ? p.callback : st.responseCallback !== undefined ? st.responseCallback : defaultCallback;
    const expected = challenge !== undefined && callback !== null ? true : isExpected(callback, status);
    record(vu, p, method, target, r, status, err, expected);

    if (challenge !== undefined) {
      const [user, pass] = splitUserinfo(p.target.userinfo);
      this.baseHeaders = [...this.baseHeaders, 'authorization', digestAuthorization(challenge, user, pass, method, target.path)];
      this.digestSent = true;
      this.send(); // the challenge round trip is not a redirect: `hop` stays
      return undefined;
    }

    if (err === undefined && this.hop < p.maxRedirects && isRedirect(status)) {
      const loc = rawHeaderValue(r.rawHeaders, 'location');
      const next = loc === undefined ? null : resolveLocation(loc, target.href);
      if (next !== null) {
        // 301/302/303 turn into GET without a body (except HEAD); 307/308 repeat as they were.
        if (r.status === 303 || ((r.status === 301 || r.status === 302) && method !== 'GET' && method !== 'HEAD')) {
          if (method !== 'HEAD') this.method = 'GET';
          if (this.body !== null) {
            this.body = null;
            this.baseHeaders = dropHeaders(this.baseHeaders, BODY_HEADERS);
          }
        }
        if (next.host !== p.target.host && !isSubdomain(next.host, p.target.host)) {
          this.baseHeaders = dropHeaders(this.baseHeaders, SENSITIVE_ON_REDIRECT);
        }
        this.target = next;
        this.hop++;
        this.send();
        return undefined;
      }
    }

    const res = new Response({
      status,
      statusText: r.statusText,
      src: r,
      responseType: p.responseType,
      url: target.href,
      proto: status === 0 ? '' : r.proto,
      timings: r.timings,
      error: err === undefined ? '' : err.message,
      errorCode: err === undefined ? statusErrorCode(status) : err.code,
      remoteIp: r.remoteIp,
      remotePort: r.remotePort,
      tlsVersion: r.tlsVersion,
      reqMethod: method,
      reqUrl: target.href,
      reqHeaders: this.baseHeaders,
      reqCookie: this.cookie,
      reqBody: this.body,
    });
    if (err !== undefined && st.options.throw) {
      throw new VolleyError('E_HTTP_REQUEST', `${method} ${target.clean}: ${err.message} (error_code ${err.code})`, {
        hint: 'set the throw option to false to get a response with status 0 instead',
        exitCode: ExitCode.ScriptException,
        cause: r.error,
      });
    }
    return res;
  }
}

function noop(): void {}

function execute(vu: VuContext, st: HttpVuState, p: Prepared): Promise<Response> {
  const run = new RequestRun(vu, st, p);
  const promise = new Promise<Response>((resolve, reject) => {
    run.resolve = resolve;
    run.reject = reject;
  });
  run.send();
  return promise;
}

function digestChallenge(r: WireResult): Record<string, string> | undefined {
  for (const v of rawHeaderValues(r.rawHeaders, 'www-authenticate')) {
    const c = parseDigestChallenge(v);
    if (c !== undefined) return c;
  }
  return undefined;
}

function splitUserinfo(u: string): [string, string] {
  const i = u.indexOf(':');
  return i < 0 ? [u, ''] : [u.slice(0, i), u.slice(i + 1)];
}

const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);

function dropHeaders(h: readonly string[], names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < h.length; i += 2) if (!names.has(h[i]!.toLowerCase())) out.push(h[i]!, h[i + 1]!);
  return out;
}

function isRedirect(s: number): boolean {
  return s === 301 || s === 302 || s === 303 || s === 307 || s === 308;
}

function resolveLocation(loc: string, base: string): Target | null {
  const u = URL.parse(loc, base);
  return u === null ? null : parseTarget(u.href);
}

function isSubdomain(host: string, of: string): boolean {
  const h = host.replace(/:\d+$/, '');
  const o = of.replace(/:\d+$/, '');
  return h === o || h.endsWith(`.${o}`);
}

/**
 * Scratch system-tag object for `record` (recording is synchronous, so one per thread serves
 * every VU; `TagSetCache.with` copies what it keeps). Key order is fixed: the interned key
 * depends on it; undefined values are skipped.
 */
const sys: SystemTags = {
  name: '',
  url: '',
  method: '',
  status: '',
  proto: undefined,
  tls_version: undefined,
  expected_response: undefined,
  error: undefined,
  error_code: undefined,
};

/**
 * The last few (base tags, system tags) → TagSet resolutions. Interning builds a key string of
 * every tag per request (plus ~150 bytes of garbage); a hit
 * here is ten reference compares (bench/micro/tag-memo.mjs: ≈ 0.67 µs for `with` against ≈ 2 ns
 * for a hit). Entries are replaced round robin; a miss just interns.
 */
const MEMO_SIZE = 8;
interface TagMemo {
  base: TagSet | null;
  name: string;
  url: string;
  method: string;
  status: string;
  proto: string | undefined;
  tls: string | undefined;
  expected: string | undefined;
  error: string | undefined;
  code: string | undefined;
  out: TagSet | null;
}
const memo: TagMemo[] = Array.from({ length: MEMO_SIZE }, () => ({
  base: null,
  name: '',
  url: '',
  method: '',
  status: '',
  proto: undefined,
  tls: undefined,
  expected: undefined,
  error: undefined,
  code: undefined,
  out: null,
}));
let memoNext = 0;

function systemTagSet(cache: TagSetCache, base: TagSet): TagSet {
  for (let i = 0; i < MEMO_SIZE; i++) {
    const m = memo[i]!;
    if (
      m.base === base &&
      m.name === sys.name &&
      m.url === sys.url &&
      m.method === sys.method &&
      m.status === sys.status &&
      m.proto === sys.proto &&
      m.tls === sys.tls_version &&
      m.expected === sys.expected_response &&
      m.error === sys.error &&
      m.code === sys.error_code &&
      m.out !== null
    ) {
      return m.out;
    }
  }
  const out = cache.with(base, sys);
  if (out.id >= 0) {
    const m = memo[memoNext]!;
    memoNext = (memoNext + 1) % MEMO_SIZE;
    m.base = base;
    m.name = sys.name;
    m.url = sys.url;
    m.method = sys.method;
    m.status = sys.status;
    m.proto = sys.proto;
    m.tls = sys.tls_version;
    m.expected = sys.expected_response;
    m.error = sys.error;
    m.code = sys.error_code;
    m.out = out;
  }
  return out;
}

/** Samples of one exchange (one hop), k6's Trail: every phase, the request counter, failure rate and data. */
function record(vu: VuContext, p: Prepared, method: string, target: Target, r: WireResult, status: number, err: ClassifiedError | undefined, expected: boolean | undefined): void {
  sys.name = p.name ?? target.clean;
  sys.url = target.clean;
  sys.method = method;
  sys.status = statusString(status);
  sys.proto = status === 0 ? undefined : r.proto;
  sys.tls_version = r.tlsVersion === '' ? undefined : r.tlsVersion;
  sys.expected_response = expected === undefined ? undefined : expected ? 'true' : 'false';
  if (err !== undefined) {
    sys.error = err.message;
    sys.error_code = codeString(err.code);
  } else {
    const sc = statusErrorCode(status);
    sys.error = undefined;
    sys.error_code = sc === 0 ? undefined : codeString(sc);
  }
  const cache = vu.recorder.tagSets;
  let tags = systemTagSet(cache, vu.tags);
  if (p.userTags !== undefined) tags = cache.with(tags, p.userTags);

  // One call for the exchange's twelve samples, in the slots of HTTP_EXCHANGE (MetricStore.record).
  const t = r.timings;
  const lag = vu.startLagMs;
  const v = slots;
  v[S_REQS] = 1;
  v[S_DURATION] = t.duration;
  v[S_BLOCKED] = t.blocked;
  v[S_CONNECTING] = t.connecting;
  v[S_TLS_HANDSHAKING] = t.tls_handshaking;
  v[S_SENDING] = t.sending;
  v[S_WAITING] = t.waiting;
  v[S_RECEIVING] = t.receiving;
  v[S_FAILED] = expected === undefined ? NO_SAMPLE : expected ? 0 : 1;
  // Open models: the latency a user arriving on schedule would have seen (coordinated omission
  // corrected) = this request's duration plus how late its iteration started.
  v[S_CORRECTED_DURATION] = lag === undefined ? NO_SAMPLE : t.duration + lag;
  v[S_DATA_SENT] = r.bytesSent;
  v[S_DATA_RECEIVED] = r.bytesReceived;
  vu.recorder.record(HTTP_EXCHANGE, tags, v);
}

/** The values of one exchange, filled and recorded synchronously (one per thread, reused). */
const slots = new Float64Array(HTTP_EXCHANGE.metrics.length);

const NO_SOURCE = { rawHeaders: [] as Buffer[], body: [] as Buffer[] };

/** A response for a request that never reached the network (invalid URL). */
function failedResponse(method: string, url: string, err: ClassifiedError): Response {
  return new Response({
    status: 0,
    statusText: '',
    src: NO_SOURCE,
    responseType: 'none',
    url,
    proto: '',
    timings: zeroTimings(),
    error: err.message,
    errorCode: err.code,
    remoteIp: '',
    remotePort: 0,
    tlsVersion: '',
    reqMethod: method,
    reqUrl: url,
    reqHeaders: [],
    reqCookie: '',
    reqBody: null,
  });
}
