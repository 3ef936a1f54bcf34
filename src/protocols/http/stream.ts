/**
 * `http.stream(method, url, body, params)`: a request whose body the script reads as it arrives.
 * The promise resolves when the response head arrives (or the request failed before it); the body
 * is async-iterable over chunks (`for await (const chunk of res)`), or delivered to
 * `params.onChunk`, or gathered by `text()`/`json()`; `done()` waits for the end.
 *
 * The request is recorded when it ends, as every other exchange (`http_*`, routes table,
 * `http_req_failed`), plus `http_req_first_chunk` (sending → first body byte) and
 * `http_req_chunks`. No redirects are followed (a 3xx is the response); cookies go in and out.
 * See docs/streams.md.
 */
import { VolleyError, ExitCode } from '../../errors/index.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import type { VuContext } from '../../vu/context.js';
import { cookieHeader, INTERRUPTED, invalidUrlMessage } from './client.js';
import { ErrorCode, statusErrorCode, type ClassifiedError } from './error-codes.js';
import { isExpected } from './expected-statuses.js';
import { HTTP_STREAM, S_CHUNKS, S_FIRST_CHUNK } from './metrics.js';
import { defaultCallback, prepare, type Params, type Prepared } from './params.js';
import { record } from './samples.js';
import { StreamExchange, streamState, type StreamSink, type StreamTimings } from './stream-wire.js';
import { HttpURL, parseTarget, type RequestUrl } from './url.js';
import { abortError, httpState } from './vu-state.js';
import type { RequestBody } from './body.js';

export type { StreamTimings } from './stream-wire.js';

/** `http.stream` params: k6's Params (redirects are not followed) plus a per-chunk callback. */
export interface StreamParams extends Params {
  /**
   * Called with each body chunk as it arrives and the ms since sending started. With it, chunks are
   * not kept for iteration. A throw ends the stream (the script's error is `done()`'s rejection).
   */
  onChunk?: (chunk: Uint8Array, elapsedMs: number) => void;
}

/** Unread chunks kept before the socket is paused (a slow reader slows the stream, memory stays bounded). */
const HIGH_WATER_BYTES = 1 << 20;

/** A streamed response: the head at once, the body as it comes. */
export class StreamedResponse implements AsyncIterable<Uint8Array> {
  /** HTTP status of the head; 0 when the request failed before it. */
  status = 0;
  status_text = '';
  readonly url: string;
  proto = '';
  /** Response headers (canonical names; lower-case aliases). */
  headers: Record<string, string> = {};
  /** '' until the stream fails; then k6-style text ('stream cut: …', 'request timeout'). */
  error = '';
  /** 0, or the k6 code: 1000 + status for 4xx/5xx (from the head on), 1066 stream cut, 1050 timeout, network codes. */
  error_code = 0;
  /** Final once `done()` resolves. */
  readonly timings: StreamTimings;
  /** Body chunks and bytes received so far. */
  chunks = 0;
  body_bytes = 0;
  /** The script stopped reading before the end (break, cancel()). */
  cancelled = false;

  #x: StreamExchange;
  #queue: Buffer[] = [];
  #queued = 0;
  #paused = false;
  #ended = false;
  #failure: unknown = undefined;
  #wake: (() => void) | null = null;
  #donePromise: Promise<StreamedResponse>;
  #resolveDone!: (r: StreamedResponse) => void;
  #rejectDone!: (e: unknown) => void;
  /** Chunks are dropped (done() without reading) or gathered (text()). */
  #mode: 'queue' | 'drop' | 'gather' | 'callback' = 'queue';
  #gathered: Buffer[] = [];
  #onChunk: StreamParams['onChunk'];

  /** @internal */
  constructor(x: StreamExchange, url: string, onChunk: StreamParams['onChunk']) {
    this.#x = x;
    this.url = url;
    this.timings = x.timings;
    this.#onChunk = onChunk;
    if (onChunk !== undefined) this.#mode = 'callback';
    this.#donePromise = new Promise((res, rej) => {
      this.#resolveDone = res;
      this.#rejectDone = rej;
    });
    this.#donePromise.catch(noop);
  }

  /** @internal */ pushChunk(c: Buffer): void {
    this.chunks++;
    this.body_bytes += c.length;
    switch (this.#mode) {
      case 'drop':
        return;
      case 'gather':
        this.#gathered.push(c);
        return;
      case 'callback':
        try {
          this.#onChunk!(c, this.#x.sinceSendStart());
        } catch (err) {
          this.#failure = err;
          this.cancel();
        }
        return;
      default:
        this.#queue.push(c);
        this.#queued += c.length;
        if (this.#queued > HIGH_WATER_BYTES && !this.#paused) {
          this.#paused = true;
          this.#x.pause();
        }
        this.#wakeUp();
    }
  }

  /** @internal */ finish(err: ClassifiedError | undefined, failure: unknown): void {
    this.#ended = true;
    if (err !== undefined) {
      this.error = err.message;
      this.error_code = err.code;
    }
    if (failure !== undefined && this.#failure === undefined) this.#failure = failure;
    if (this.#failure !== undefined) this.#rejectDone(this.#failure);
    else this.#resolveDone(this);
    this.#wakeUp();
  }

  #wakeUp(): void {
    const w = this.#wake;
    if (w !== null) {
      this.#wake = null;
      w();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.#mode !== 'queue') throw streamUseError('the body is already being read (text(), json(), done() or onChunk)');
    let finished = false;
    try {
      for (;;) {
        const c = this.#queue.shift();
        if (c !== undefined) {
          this.#queued -= c.length;
          if (this.#paused && this.#queued < HIGH_WATER_BYTES / 2) {
            this.#paused = false;
            this.#x.resume();
          }
          yield c;
          continue;
        }
        if (this.#ended) {
          finished = true;
          if (this.#failure !== undefined) throw this.#failure;
          return;
        }
        await new Promise<void>((r) => (this.#wake = r));
      }
    } finally {
      if (!finished && !this.#ended) this.cancel();
    }
  }

  /** Waits for the end, dropping what was not read. Rejects only for a script error (onChunk threw) or a VU hard stop. */
  done(): Promise<StreamedResponse> {
    if (this.#mode === 'queue') {
      this.#mode = 'drop';
      this.#queue = [];
      this.#queued = 0;
      if (this.#paused) {
        this.#paused = false;
        this.#x.resume();
      }
    }
    return this.#donePromise;
  }

  /** The whole body (what was not read yet) as text, once the stream ends. */
  async text(): Promise<string> {
    if (this.#mode === 'queue') {
      this.#mode = 'gather';
      this.#gathered = this.#queue;
      this.#queue = [];
      this.#queued = 0;
      if (this.#paused) {
        this.#paused = false;
        this.#x.resume();
      }
    } else if (this.#mode !== 'gather') throw streamUseError('the body is already being read');
    await this.#donePromise;
    return Buffer.concat(this.#gathered).toString('utf8');
  }

  /** The whole body parsed as JSON, once the stream ends. */
  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  /** Stops reading: the connection is closed and the request recorded as it stands (not a failure). */
  cancel(): void {
    if (this.#ended) return;
    this.cancelled = true;
    this.#x.destroy(new StreamCancelled());
  }
}

class StreamCancelled extends Error {
  readonly code = 'VOLLEY_STREAM_CANCELLED';
}

function streamUseError(msg: string): VolleyError {
  return new VolleyError('E_HTTP_STREAM', `http.stream: ${msg}`, {
    hint: 'read a streamed body one way: for await over the response, params.onChunk, text()/json(), or done() to drop it',
    exitCode: ExitCode.ScriptException,
  });
}

function noop(): void {}

/** Runs a streamed request for the calling VU. */
export function doStream(vu: VuContext, method: string, url: RequestUrl, body: RequestBody, params: StreamParams | undefined): Promise<StreamedResponse> {
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
    if (target === null) throw new VolleyError('E_HTTP_INVALID_URL', invalidUrlMessage(urlStr), { exitCode: ExitCode.ScriptException });
    if (params?.onChunk !== undefined && typeof params.onChunk !== 'function') {
      throw new VolleyError('E_HTTP_PARAMS', 'params.onChunk must be a function (chunk, elapsedMs) => void', { exitCode: ExitCode.ScriptException });
    }
    const hst = httpState(vu);
    const p = prepare(hst, method, target, name, body, params);
    return new Promise((resolve, reject) => new StreamRun(vu, p, params?.onChunk, resolve, reject).start());
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The sink of one streamed request: builds the response at the head, records at the end. */
class StreamRun implements StreamSink {
  readonly x: StreamExchange;
  readonly res: StreamedResponse;
  cookie = '';
  resolved = false;

  constructor(
    readonly vu: VuContext,
    readonly p: Prepared,
    onChunk: StreamParams['onChunk'],
    readonly resolve: (r: StreamedResponse) => void,
    readonly reject: (e: unknown) => void,
  ) {
    this.x = new StreamExchange(streamState(vu), this);
    this.res = new StreamedResponse(this.x, p.target.href, onChunk);
  }

  start(): void {
    const { p, vu } = this;
    const st = httpState(vu);
    const cookie = cookieHeader(p, st, p.target.href);
    this.cookie = cookie;
    const headers = cookie === '' ? p.headers : [...p.headers, 'cookie', cookie];
    this.x.start({ method: p.method, target: p.target, headers, body: p.body, timeoutMs: p.timeoutMs, tls: p.tls });
  }

  onHead(status: number, statusText: string, raw: string[]): void {
    const r = this.res;
    r.status = status;
    r.status_text = `${status} ${statusText}`;
    r.proto = this.x.proto;
    r.error_code = statusErrorCode(status);
    const h: Record<string, string> = {};
    const cookies: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const k = canonical(raw[i]!);
      if (k === 'Set-Cookie') cookies.push(raw[i + 1]!);
      h[k] = h[k] === undefined ? raw[i + 1]! : `${h[k]}, ${raw[i + 1]!}`;
    }
    for (const k of Object.keys(h)) if (k.toLowerCase() !== k) Object.defineProperty(h, k.toLowerCase(), { value: h[k], enumerable: false });
    r.headers = h;
    if (cookies.length > 0 && this.p.jar !== null) {
      (this.p.jar === undefined ? httpState(this.vu).jar : this.p.jar).storeSetCookies(this.p.target.href, cookies);
    }
    this.resolved = true;
    this.resolve(r);
  }

  onChunk(chunk: Buffer): void {
    this.res.pushChunk(chunk);
  }

  onEnd(error: ClassifiedError | undefined): void {
    const { vu, p, x, res } = this;
    const interrupted = streamState(vu).interrupted || (vu as { interrupted?: boolean }).interrupted === true;
    let err = error;
    if (x.abandoned) res.cancelled = true;
    if (res.cancelled && err !== undefined && err.code !== ErrorCode.RequestTimeout) err = undefined;
    if (interrupted && err !== undefined) err = INTERRUPTED;
    const status = err === undefined ? x.status : 0;
    const hst = httpState(vu);
    const callback = p.callback !== undefined ? p.callback : hst.responseCallback !== undefined ? hst.responseCallback : defaultCallback;
    const expected = isExpected(callback, status);
    const tags = record(vu, p, p.method, p.target, x, status, err, expected);
    const v = streamSlots;
    v[S_FIRST_CHUNK] = Number.isNaN(x.timings.firstChunk) ? NO_SAMPLE : x.timings.firstChunk;
    v[S_CHUNKS] = x.chunks;
    vu.recorder.record(HTTP_STREAM, tags, v);
    if (!this.resolved) res.status = 0;
    const failure = interrupted ? abortError() : undefined;
    res.finish(err, failure);
    if (!this.resolved) {
      this.resolved = true;
      if (interrupted) this.reject(abortError());
      else if (err !== undefined && hst.options.throw) {
        this.reject(new VolleyError('E_HTTP_REQUEST', `${p.method} ${p.target.clean}: ${err.message} (error_code ${err.code})`, {
          hint: 'set the throw option to false to get a response with status 0 instead',
          exitCode: ExitCode.ScriptException,
        }));
      } else this.resolve(res);
    }
  }
}

const streamSlots = new Float64Array(HTTP_STREAM.metrics.length);

function canonical(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());
}
