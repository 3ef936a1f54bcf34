/**
 * Preparing a request: k6's `Params`, checked once, and the request's headers and body built once
 * (redirects reuse them). The first of the HTTP client's three concerns (params.ts: prepare;
 * client.ts: run through redirects and auth; samples.ts: record its samples).
 */
import { parseDurationMs } from '../../config/duration.js';
import { VolleyError, ExitCode } from '../../errors/index.js';
import type { VuContext } from '../../vu/context.js';
import { compressBody, encodeBody, type RequestBody } from './body.js';
import { CookieJar } from './cookie-jar.js';
import { checkResponseCallback, DEFAULT_RESPONSE_CALLBACK, type ResponseCallback } from './expected-statuses.js';
import type { TlsSettings, WireResult } from './transport.js';
import type { ClassifiedError } from './error-codes.js';
import type { Target } from './url.js';
import type { HttpVuState } from './vu-state.js';

/** How the response body is delivered: 'text' (string, default), 'binary' (ArrayBuffer), 'none' (null, not kept). */
export type ResponseType = 'text' | 'binary' | 'none';

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
  /** Volley extension: retry with exponential backoff and full jitter, honouring Retry-After (retry.ts, docs/http.md). */
  retry?: RetryParams;
}

/** `params.retry`. */
export interface RetryParams {
  /** Attempts in all, the first included (default 3; at most 20). */
  attempts?: number;
  /** Backoff base, ms: attempt n waits a random time in [0, min(maxMs, baseMs × 2^(n-1))] (default 100). */
  baseMs?: number;
  /** Backoff cap, ms (default 10000). */
  maxMs?: number;
  /** Statuses to retry (default 429, 502, 503, 504); network errors (status 0) are always retried. */
  statuses?: number[];
  /** Wait what a Retry-After header says (seconds or an HTTP date) instead of the backoff, up to `maxRetryAfterMs` (default true). */
  retryAfter?: boolean;
  /** Longest Retry-After honoured, ms (default 60000); a longer one gives up at once. */
  maxRetryAfterMs?: number;
}

/** Module-wide default response callback (set by http.setResponseCallback outside a VU). */
export let defaultCallback: ResponseCallback = DEFAULT_RESPONSE_CALLBACK;

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

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Status → its decimal string, so the status tag allocates nothing. */

/** A request with its parameters checked and its headers and body built once (redirects reuse them). */
export interface Prepared {
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
  /** Failure a 2xx body may carry (GraphQL `errors`: graphql.ts); undefined for plain requests. */
  bodyCheck: BodyCheck | undefined;
}

/** Looks at a 2xx response: a ClassifiedError when its body says the request failed. */
export type BodyCheck = (r: WireResult) => ClassifiedError | undefined;

export function paramsError(msg: string, hint?: string): VolleyError {
  return new VolleyError('E_HTTP_PARAMS', msg, { hint, exitCode: ExitCode.ScriptException });
}


export function prepare(st: HttpVuState, method: string, target: Target, name: string | undefined, body: RequestBody, params: Params | undefined): Prepared {
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
      bodyCheck: undefined,
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
    bodyCheck: undefined,
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
