import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { Cookie } from 'tough-cookie';
import { VolleyError, ExitCode } from '../../errors/index.js';
import { parseHTML, type Selection } from '../../modules/html.js';
import { canonicalHeaderKey, headersObject, rawHeaderValue, rawHeaderValues } from './headers.js';
import { ErrorCode } from './error-codes.js';
import { HeaderFlag } from './fast/parser.js';
import { selectJson } from './json-selector.js';
import type { Timings } from './timings.js';
import { currentVu } from '../../vu/context.js';
import type { RequestBody } from './body.js';
import type { Params, ResponseType } from './params.js';
import { httpState, type HttpVuState } from './vu-state.js';
import type { VuContext } from '../../vu/context.js';

export type { ResponseType } from './params.js';

/** Issues a request for a VU (client.ts's doRequest, registered by the client: no import cycle). */
type Requester = (vu: VuContext, st: HttpVuState, method: string, url: string, body: RequestBody, params: Params | undefined) => Promise<Response>;
let requester: Requester = () => Promise.reject(new Error('the HTTP client is not loaded'));

/** Called once by client.ts. @internal */
export function setRequester(r: Requester): void {
  requester = r;
}

/** A response cookie (k6 `res.cookies[name][i]`). */
export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  /** Seconds; 0 when not set. */
  max_age: number;
  /** Epoch ms; 0 when not set. */
  expires: number;
}

/** The request as it was sent (k6 `res.request`). Headers in k6's form: name → values. */
export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string;
  cookies: Record<string, { name: string; value: string; replace: boolean }[]>;
}

/**
 * Where a Response reads raw headers and body chunks: the transport's WireResult itself, read
 * only when a script asks (the fast transport builds both lazily, see fast/result.ts).
 * `headerFlags` (fast transport) says which headers of interest are present without a scan.
 */
export interface ResponseSource {
  readonly rawHeaders: Buffer[];
  readonly body: Buffer[];
  readonly headerFlags?: number;
}

/** Everything the client hands to a Response. @internal */
export interface ResponseInit {
  status: number;
  statusText: string;
  src: ResponseSource;
  responseType: ResponseType;
  url: string;
  proto: string;
  timings: Timings;
  error: string;
  errorCode: number;
  remoteIp: string;
  remotePort: number;
  tlsVersion: string;
  reqMethod: string;
  reqUrl: string;
  /** Flat [name, value, ...] as sent, without the cookie header. */
  reqHeaders: readonly string[];
  reqCookie: string;
  reqBody: Uint8Array | null;
}

const NOT_DECODED = Symbol('not decoded');
const DECOMPRESSORS: Record<string, (b: Buffer) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: (b) => {
    // 'deflate' is zlib-wrapped per the RFC, raw deflate in practice on some servers: accept both.
    try {
      return inflateSync(b);
    } catch {
      return inflateRawSync(b);
    }
  },
  br: brotliDecompressSync,
};
const zstdDecompressSync = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
if (zstdDecompressSync) DECOMPRESSORS.zstd = zstdDecompressSync;

/**
 * An HTTP response, with k6's field names. Built once per request; the expensive views (the body
 * as a string, the headers object, cookies, parsed JSON, the HTML document) are computed on first
 * access, so a script that only checks `res.status` pays for none of them.
 */
export class Response {
  /** HTTP status; 0 when the request failed before a response (see `error`, `error_code`). */
  readonly status: number;
  /** Go style: '200 OK'. */
  readonly status_text: string;
  /** The final URL (after redirects). */
  readonly url: string;
  /** 'HTTP/1.1'; '' when there was no response. */
  readonly proto: string;
  readonly timings: Timings;
  /** Error message, '' when none (k6 style: 'dial: connection refused', 'request timeout'). */
  readonly error: string;
  /** k6 error code, 0 when none; 1000 + status for 4xx/5xx. */
  readonly error_code: number;
  readonly remote_ip: string;
  readonly remote_port: number;
  /** 'tls1.3' style, '' for plain HTTP. */
  readonly tls_version: string;

  #init: ResponseInit;
  #body: string | ArrayBuffer | null | typeof NOT_DECODED = NOT_DECODED;
  #headers: Record<string, string> | undefined;
  #cookies: Record<string, ResponseCookie[]> | undefined;
  #json: unknown = NOT_DECODED;
  #doc: Selection | undefined;
  #request: RequestInfo | undefined;

  /** @internal */
  constructor(init: ResponseInit) {
    this.#init = init;
    this.status = init.status;
    this.status_text = init.status === 0 ? '' : `${init.status} ${init.statusText}`;
    this.url = init.url;
    this.proto = init.proto;
    this.timings = init.timings;
    let error = init.error;
    let errorCode = init.errorCode;
    const flags = init.src.headerFlags;
    if (
      init.status !== 0 &&
      init.responseType !== 'none' &&
      (flags === undefined ? rawHeaderValue(init.src.rawHeaders, 'content-encoding') !== undefined : (flags & HeaderFlag.ContentEncoding) !== 0)
    ) {
      // Decode compressed bodies now, so that a corrupt one shows up as k6's error 1701 rather
      // than as an exception on first access.
      try {
        this.#body = this.decodeBody();
      } catch (err) {
        this.#body = null;
        error = `error decompressing response body: ${(err as Error).message}`;
        errorCode = ErrorCode.ResponseDecompression;
      }
    }
    this.error = error;
    this.error_code = errorCode;
    this.remote_ip = init.remoteIp;
    this.remote_port = init.remotePort;
    this.tls_version = init.tlsVersion;
  }

  /**
   * The body: a string ('text'), an ArrayBuffer ('binary'), or null ('none', discardResponseBodies,
   * or a failed request). Decompressed per Content-Encoding (gzip, deflate, br; zstd where Node has it).
   */
  get body(): string | ArrayBuffer | null {
    if (this.#body === NOT_DECODED) this.#body = this.decodeBody();
    return this.#body;
  }

  /** Response headers, Go-canonical names ('Content-Type'); repeated headers joined with ', '. */
  get headers(): Record<string, string> {
    return (this.#headers ??= headersObject(this.#init.src.rawHeaders));
  }

  /** Cookies set by this response (Set-Cookie), name → list. */
  get cookies(): Record<string, ResponseCookie[]> {
    if (this.#cookies === undefined) {
      const out: Record<string, ResponseCookie[]> = {};
      for (const sc of rawHeaderValues(this.#init.src.rawHeaders, 'set-cookie')) {
        const c = Cookie.parse(sc, { loose: true });
        if (!c) continue;
        const expires = c.expires instanceof Date ? c.expires.getTime() : 0;
        const maxAge = typeof c.maxAge === 'number' && Number.isFinite(c.maxAge) ? c.maxAge : 0;
        (out[c.key] ??= []).push({
          name: c.key,
          value: c.value,
          domain: c.domain ?? '',
          path: c.path ?? '',
          http_only: !!c.httpOnly,
          secure: !!c.secure,
          max_age: maxAge,
          expires,
        });
      }
      this.#cookies = out;
    }
    return this.#cookies;
  }

  /** The request as sent (method, url, headers, body, cookies). */
  get request(): RequestInfo {
    if (this.#request === undefined) {
      const i = this.#init;
      const headers: Record<string, string[]> = {};
      const h = i.reqHeaders;
      for (let k = 0; k + 1 < h.length; k += 2) (headers[canonicalHeaderKey(h[k]!)] ??= []).push(h[k + 1]!);
      const cookies: RequestInfo['cookies'] = {};
      if (i.reqCookie) {
        headers.Cookie = [i.reqCookie];
        for (const pair of i.reqCookie.split('; ')) {
          const eq = pair.indexOf('=');
          const name = eq < 0 ? pair : pair.slice(0, eq);
          (cookies[name] ??= []).push({ name, value: eq < 0 ? '' : pair.slice(eq + 1), replace: false });
        }
      }
      this.#request = {
        method: i.reqMethod,
        url: i.reqUrl,
        headers,
        body: i.reqBody === null ? '' : Buffer.from(i.reqBody.buffer, i.reqBody.byteOffset, i.reqBody.byteLength).toString('utf8'),
        cookies,
      };
    }
    return this.#request;
  }

  /**
   * The body parsed as JSON; with a selector, the value at that gjson-style path ('items.0.id',
   * 'items.#', 'items.#.id'), undefined when the path does not exist. Throws when the body is not
   * JSON.
   */
  json(selector?: string): unknown {
    if (this.#json === NOT_DECODED) {
      const body = this.body;
      const text = typeof body === 'string' ? body : body instanceof ArrayBuffer ? Buffer.from(body).toString('utf8') : null;
      if (text === null) {
        throw new VolleyError('E_HTTP_JSON', `res.json(): the response has no body${this.error ? ` (${this.error})` : ''}`, {
          hint: this.error ? undefined : "check the request's responseType / discardResponseBodies",
          exitCode: ExitCode.ScriptException,
        });
      }
      try {
        this.#json = JSON.parse(text);
      } catch (err) {
        throw new VolleyError('E_HTTP_JSON', `res.json(): cannot parse the body of ${this.url} as JSON: ${(err as Error).message}`, {
          exitCode: ExitCode.ScriptException,
        });
      }
    }
    return selector === undefined ? this.#json : selectJson(this.#json, String(selector));
  }

  /** The body as an HTML document (volley/html Selection); with a selector, `.find(selector)`. */
  html(selector?: string): Selection {
    if (this.#doc === undefined) {
      const body = this.body;
      this.#doc = parseHTML(typeof body === 'string' ? body : body instanceof ArrayBuffer ? Buffer.from(body).toString('utf8') : '');
    }
    return selector === undefined ? this.#doc : this.#doc.find(selector);
  }

  /**
   * Follows the first link matching `selector` (default 'a[href]'), resolved against this
   * response's URL (k6 `clickLink`). Throws E_HTTP_NO_LINK when nothing matches.
   */
  clickLink(opts: { selector?: string; params?: Params } = {}): Promise<Response> {
    const selector = opts.selector ?? 'a[href]';
    const href = this.html(selector).first().attr('href');
    if (href === undefined) {
      throw new VolleyError('E_HTTP_NO_LINK', `clickLink: no element matches "${selector}" with an href in ${this.url}`, { exitCode: ExitCode.ScriptException });
    }
    const vu = currentVu('res.clickLink()');
    return requester(vu, httpState(vu), 'GET', new URL(href, this.url).href, null, opts.params);
  }

  /**
   * Submits the first form matching `formSelector` (default 'form'), as a browser would (k6
   * `submitForm`): its fields, overridden by `fields`, plus the submit button matched by
   * `submitSelector` if given; to the form's action (default: this URL) with its method (default
   * GET: fields in the query string; otherwise form-encoded body).
   */
  submitForm(opts: { formSelector?: string; fields?: Record<string, string>; submitSelector?: string; params?: Params } = {}): Promise<Response> {
    const formSelector = opts.formSelector ?? 'form';
    const form = this.html(formSelector).first();
    if (form.size() === 0) {
      throw new VolleyError('E_HTTP_NO_FORM', `submitForm: no form matches "${formSelector}" in ${this.url}`, { exitCode: ExitCode.ScriptException });
    }
    const values: Record<string, unknown> = { ...form.serializeObject(), ...(opts.fields ?? {}) };
    if (opts.submitSelector !== undefined) {
      const btn = form.find(opts.submitSelector).first();
      const name = btn.attr('name');
      if (name !== undefined) values[name] = btn.attr('value') ?? '';
    }
    const method = (form.attr('method') ?? 'GET').toUpperCase();
    const action = new URL(form.attr('action') ?? '', this.url);
    const vu = currentVu('res.submitForm()');
    if (method === 'GET') {
      for (const [k, v] of Object.entries(values)) {
        if (Array.isArray(v)) for (const item of v) action.searchParams.append(k, String(item));
        else action.searchParams.set(k, String(v));
      }
      return requester(vu, httpState(vu), 'GET', action.href, null, opts.params);
    }
    return requester(vu, httpState(vu), method, action.href, values, opts.params);
  }

  /** A plain-object snapshot (for console.log / JSON.stringify). */
  toJSON(): Record<string, unknown> {
    return {
      status: this.status,
      status_text: this.status_text,
      url: this.url,
      proto: this.proto,
      headers: this.headers,
      body: this.body instanceof ArrayBuffer ? `<${this.body.byteLength} bytes>` : this.body,
      timings: this.timings,
      error: this.error,
      error_code: this.error_code,
      remote_ip: this.remote_ip,
      remote_port: this.remote_port,
      tls_version: this.tls_version,
      cookies: this.cookies,
      request: this.request,
    };
  }

  private decodeBody(): string | ArrayBuffer | null {
    const i = this.#init;
    if (i.responseType === 'none' || i.status === 0) return null;
    const chunks = i.src.body;
    let buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const flags = i.src.headerFlags;
    const enc = flags !== undefined && (flags & HeaderFlag.ContentEncoding) === 0 ? undefined : rawHeaderValue(i.src.rawHeaders, 'content-encoding');
    if (enc !== undefined && buf.length > 0) buf = decompress(buf, enc);
    if (i.responseType === 'binary') return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    return buf.toString('utf8');
  }
}

/** Decodes Content-Encoding layers (applied in order, so undone in reverse). Unknown encodings pass through. */
export function decompress(buf: Buffer, contentEncoding: string): Buffer {
  const layers = contentEncoding.split(',');
  for (let k = layers.length - 1; k >= 0; k--) {
    const name = layers[k]!.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    const fn = DECOMPRESSORS[name];
    if (!fn) return buf;
    buf = fn(buf);
  }
  return buf;
}

