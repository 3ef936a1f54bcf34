/**
 * Running a request: one exchange per hop through redirects and the Digest challenge, cookies in
 * and out, the response callback, the Response. The second of the HTTP client's concerns
 * (params.ts prepares the request, samples.ts records each hop).
 */
import { VolleyError, ExitCode } from '../../errors/index.js';
import type { VuContext } from '../../vu/context.js';
import { classifyError, ErrorCode, statusErrorCode, type ClassifiedError } from './error-codes.js';
import { isExpected } from './expected-statuses.js';
import { digestAuthorization, parseDigestChallenge } from './digest.js';
import { rawHeaderValue, rawHeaderValues } from './headers.js';
import { Response, setRequester } from './response.js';
import type { TlsSettings, Transport, WireRequest, WireResult } from './transport.js';
import { HeaderFlag } from './fast/parser.js';
import type { WireSink } from './fast/result.js';
import { HttpURL, parseTarget, type RequestUrl, type Target } from './url.js';
import { abortError, type HttpVuState } from './vu-state.js';
import { defaultCallback, prepare, type BodyCheck, type Params, type Prepared } from './params.js';
import { record } from './samples.js';
import type { RequestBody } from './body.js';

export { setResponseCallback, resetDefaultResponseCallback, type Params } from './params.js';

/**
 * Performs a request for the calling VU: cookies, redirects, metrics, Response. Network errors do
 * not throw (status 0, `error`, `error_code`) unless the `throw` option is set. Invalid params
 * throw a VolleyError, and so does an invalid URL (no metrics: nothing was sent): a request that
 * can never be sent must not pass silently (k6 warns "Request Failed" naming it; we throw, so
 * the script error names the URL and the line, and thresholds see no data).
 */
export function doRequest(vu: VuContext, st: HttpVuState, method: string, url: RequestUrl, body: RequestBody, params: Params | undefined, bodyCheck?: BodyCheck): Promise<Response> {
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
      throw new VolleyError('E_HTTP_INVALID_URL', invalidUrlMessage(urlStr), { exitCode: ExitCode.ScriptException });
    }
    const p = prepare(st, method, target, name, body, params);
    if (bodyCheck !== undefined) p.bodyCheck = bodyCheck;
    return execute(vu, st, p);
  } catch (err) {
    return Promise.reject(err);
  }
}


/** Cookie header for one hop: the user's Cookie header, the jar's cookies, params.cookies. */
export function cookieHeader(p: Prepared, st: HttpVuState, href: string): string {
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
    if (vi === true || (vi === undefined && vu.signal.aborted)) {
      // Cut by the end of the test: the target saw this request, so the results show it, failed
      // with its own code (not silently dropped, nor mistaken for the target's own failure).
      if (r.error !== undefined) record(vu, p, this.method, this.target, r, 0, INTERRUPTED, false);
      throw abortError();
    }
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
    let expected = challenge !== undefined && callback !== null ? true : isExpected(callback, status);
    // A 2xx whose body says it failed (GraphQL `errors`: graphql.ts) is a failed request with its own code.
    const bodyErr = err === undefined && p.bodyCheck !== undefined && status >= 200 && status < 300 && challenge === undefined ? p.bodyCheck(r) : undefined;
    if (bodyErr !== undefined && callback !== null) expected = false;
    record(vu, p, method, target, r, status, err ?? bodyErr, expected);

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
      error: err !== undefined ? err.message : bodyErr !== undefined ? bodyErr.message : '',
      errorCode: err !== undefined ? err.code : bodyErr !== undefined ? bodyErr.code : statusErrorCode(status),
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

/** A request cut by a VU hard stop (gracefulStop over, Ctrl-C, abort). */
export const INTERRUPTED: ClassifiedError = { code: ErrorCode.RequestInterrupted, message: 'request interrupted: the test ended before the response' };

/** Says what is wrong with a URL the client cannot send to, and what to write instead. */
export function invalidUrlMessage(u: string): string {
  const shown = u.length > 200 ? `${u.slice(0, 200)}…` : u;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    const guess = /^\/\//.test(u) ? `http:${u}` : `http://${u.replace(/^\/+/, '')}`;
    return `invalid URL "${shown}": no scheme (write "${guess.length > 200 ? `${guess.slice(0, 200)}…` : guess}"; relative URLs are not supported) (error_code 1020)`;
  }
  return `invalid URL "${shown}": only absolute http:// and https:// URLs are supported (error_code 1020)`;
}


// Responses issue follow-up requests (clickLink, submitForm) through the client.
setRequester(doRequest);
