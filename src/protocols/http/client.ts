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
import type { TlsSettings, WireRequest, WireResult } from './transport.js';
import { HttpURL, parseTarget, type RequestUrl, type Target } from './url.js';
import { abortError, type HttpVuState } from './vu-state.js';

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
  jar: CookieJar | null;
  timeoutMs: number;
  maxRedirects: number;
  responseType: ResponseType;
  callback: ResponseCallback;
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
  let callback = st.responseCallback !== undefined ? st.responseCallback : defaultCallback;
  let jar: CookieJar | null = null;
  let userTags: Params['tags'] | undefined;
  let compression: string | undefined;
  let reqCookies: Params['cookies'] | undefined;
  let tls: TlsSettings | undefined;
  let jarSet = false;
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
      jarSet = true;
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
  if (!jarSet) jar = st.jar;

  // Headers, built once: defaults the user did not override, then the user's own.
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

/** Cookie header for one hop: the user's Cookie header, the jar's cookies, params.cookies. */
function cookieHeader(p: Prepared, href: string): string {
  let jarPart = '';
  if (p.jar !== null && p.jar.hasCookies) {
    if (p.reqCookies === undefined) jarPart = p.jar.cookieHeader(href);
    else {
      // Drop the jar's cookies that a params.cookies entry with replace: true overrides.
      const jarCookies = p.jar.cookiesForURL(href);
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

async function execute(vu: VuContext, st: HttpVuState, p: Prepared): Promise<Response> {
  const transport = st.transport;
  const deadline = p.timeoutMs > 0 ? performance.now() + p.timeoutMs : Infinity;
  const keepBody = p.responseType !== 'none';
  let method = p.method;
  let target = p.target;
  let headers = p.headers;
  let body = p.body;
  const originalHost = target.host;
  let digestSent = false;

  for (let hop = 0; ; hop++) {
    const cookie = cookieHeader(p, target.href);
    if (cookie !== '') headers.push('cookie', cookie);
    const remaining = deadline === Infinity ? 0 : Math.max(1, deadline - performance.now());
    const wire: WireRequest = {
      protocol: target.protocol,
      origin: target.origin,
      path: target.path,
      method,
      headers,
      body,
      timeoutMs: remaining,
      reset: st.options.noConnectionReuse,
      keepBody,
      tls: p.tls,
    };
    const r = await transport.roundTrip(wire);
    if (cookie !== '') headers.length -= 2;
    if (vu.signal.aborted) throw abortError();

    if (p.jar !== null && r.rawHeaders.length > 0) {
      const sc = rawHeaderValues(r.rawHeaders, 'set-cookie');
      if (sc.length > 0) p.jar.storeSetCookies(target.href, sc);
    }

    const err = r.error === undefined ? undefined : classifyError(r.error);
    // A failure after the status line (reset or timeout mid-body) is still a failed request with
    // status 0, as in k6 (its response callback sees 0 whenever the exchange errored).
    const status = err === undefined ? r.status : 0;
    const challenge = status === 401 && p.digest && !digestSent ? digestChallenge(r) : undefined;
    // The 401 that carries the Digest challenge is protocol mechanics, not a failure.
    const expected = challenge !== undefined && p.callback !== null ? true : isExpected(p.callback, status);
    record(vu, st, p, method, target, r, status, err, expected);

    if (challenge !== undefined) {
      const [user, pass] = splitUserinfo(p.target.userinfo);
      headers = [...headers, 'authorization', digestAuthorization(challenge, user, pass, method, target.path)];
      digestSent = true;
      hop--; // the challenge round trip is not a redirect
      continue;
    }

    if (err === undefined && hop < p.maxRedirects && isRedirect(status)) {
      const loc = rawHeaderValue(r.rawHeaders, 'location');
      const next = loc === undefined ? null : resolveLocation(loc, target.href);
      if (next !== null) {
        // 301/302/303 turn into GET without a body (except HEAD); 307/308 repeat as they were.
        if (r.status === 303 || ((r.status === 301 || r.status === 302) && method !== 'GET' && method !== 'HEAD')) {
          if (method !== 'HEAD') method = 'GET';
          if (body !== null) {
            body = null;
            headers = dropHeaders(headers, BODY_HEADERS);
          }
        }
        if (next.host !== originalHost && !isSubdomain(next.host, originalHost)) {
          headers = dropHeaders(headers, SENSITIVE_ON_REDIRECT);
        }
        target = next;
        continue;
      }
    }

    const res = new Response({
      status,
      statusText: r.statusText,
      rawHeaders: r.rawHeaders,
      chunks: r.body,
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
      reqHeaders: headers,
      reqCookie: cookie,
      reqBody: body,
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

/** Samples of one exchange (one hop), k6's Trail: every phase, the request counter, failure rate and data. */
function record(vu: VuContext, st: HttpVuState, p: Prepared, method: string, target: Target, r: WireResult, status: number, err: ClassifiedError | undefined, expected: boolean | undefined): void {
  const sys = st.sys;
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
  let tags = cache.with(vu.tags, sys);
  if (p.userTags !== undefined) tags = cache.with(tags, p.userTags);

  const rec = vu.recorder;
  const m = vu.metrics;
  const t = r.timings;
  rec.add(m.http_reqs, 1, tags);
  rec.add(m.http_req_duration, t.duration, tags);
  rec.add(m.http_req_blocked, t.blocked, tags);
  rec.add(m.http_req_connecting, t.connecting, tags);
  rec.add(m.http_req_tls_handshaking, t.tls_handshaking, tags);
  rec.add(m.http_req_sending, t.sending, tags);
  rec.add(m.http_req_waiting, t.waiting, tags);
  rec.add(m.http_req_receiving, t.receiving, tags);
  if (expected !== undefined) rec.add(m.http_req_failed, expected ? 0 : 1, tags);
  // Open models: the latency a user arriving on schedule would have seen (coordinated omission
  // corrected) = this request's duration plus how late its iteration started.
  const lag = vu.startLagMs;
  if (lag !== undefined) rec.add(m.http_req_corrected_duration, t.duration + lag, tags);
  rec.add(m.data_sent, r.bytesSent, tags);
  rec.add(m.data_received, r.bytesReceived, tags);
}

/** A response for a request that never reached the network (invalid URL). */
function failedResponse(method: string, url: string, err: ClassifiedError): Response {
  return new Response({
    status: 0,
    statusText: '',
    rawHeaders: [],
    chunks: [],
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
