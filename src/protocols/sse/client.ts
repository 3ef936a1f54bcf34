/**
 * The `volley/sse` client: an EventSource over a streamed HTTP exchange (http/stream-wire.ts),
 * with k6's xk6-sse shape — `sse.open(url, params, (client) => { client.on('event', ...) })` —
 * returning a promise that settles when the stream is over (closed by the script, ended by the
 * server with no reconnect left, failed, timed out, or `params.duration` reached).
 *
 * Reconnects (`params.reconnect`, default 0) wait the server's `retry:` (else `params.retry`) and
 * send `Last-Event-ID`; a non-200 status or a Content-Type other than text/event-stream fails the
 * stream without reconnecting (as EventSource does). Each connection is one `SSE_STREAM` record;
 * each event one `SSE_EVENT` (metrics.ts).
 */
import { VolleyError, ExitCode } from '../../errors/index.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import { LevelCounter } from '../../metrics/levels.js';
import type { TagSet } from '../../metrics/tags.js';
import type { VuContext } from '../../vu/context.js';
import { parseDurationMs } from '../../config/duration.js';
import { ErrorCode, type ClassifiedError } from '../http/error-codes.js';
import { prepare, type Prepared } from '../http/params.js';
import { StreamExchange, streamState, type StreamSink } from '../http/stream-wire.js';
import { parseTarget } from '../http/url.js';
import { abortError, httpState } from '../http/vu-state.js';
import type { RequestBody } from '../http/body.js';
import { SseParser, type SseEvent } from './parser.js';
import {
  SSE_EVENT,
  SSE_OPEN,
  SSE_STREAM,
  S_EV_EVENTS,
  S_EV_GAP,
  S_ST_DATA_RECEIVED,
  S_ST_DATA_SENT,
  S_ST_DURATION,
  S_ST_FAILED,
  S_ST_FIRST_EVENT,
  S_ST_STREAMS,
} from './metrics.js';

export interface SseParams {
  /** Default GET; POST when a body is given. */
  method?: string;
  /** Request body: a string, bytes, or an object (sent as JSON unless a Content-Type says otherwise). */
  body?: RequestBody | Record<string, unknown>;
  headers?: Record<string, string | number | readonly string[] | undefined>;
  /** Extra tags on this stream's samples; `name` groups URLs. */
  tags?: Record<string, string | number | boolean>;
  /** Each connection's whole-life timeout (duration string or ms); default '60s'. Reaching it is a failure (1050). */
  timeout?: string | number;
  /** Close the stream after this long (not a failure): how long a listener stays. */
  duration?: string | number;
  /** Reconnects allowed after the server ends or cuts the stream (default 0). */
  reconnect?: number;
  /** Wait before a reconnect when the server sent no `retry:`, ms (default 1000). */
  retry?: number;
  /** Stop (close) after this many events, all connections together. */
  maxEvents?: number;
}

/** An event as handlers see it (xk6-sse names `name`; `type` is EventSource's). */
export interface SseClientEvent {
  id: string;
  name: string;
  type: string;
  data: string;
  /** ms since this connection started sending its request. */
  elapsedMs: number;
}

export type SseErrorKind = 'status' | 'content-type' | 'malformed' | 'cut' | 'timeout' | 'network';

export interface SseError {
  kind: SseErrorKind;
  error: string;
  error_code: number;
  status: number;
}

export interface SseResult {
  /** Status of the last connection (0 when it failed before a response). */
  status: number;
  url: string;
  /** Events received, all connections. */
  events: number;
  /** Connections made (1 + reconnects). */
  connections: number;
  lastEventId: string;
  /** The last connection's failure ('' / 0 / undefined when none). */
  error: string;
  error_code: number;
  error_kind: SseErrorKind | undefined;
}

type Handler = (arg?: unknown) => void;

/** The object a script's setup function gets. */
export class SseClient {
  /** @internal */ readonly handlers = new Map<string, Handler[]>();
  /** @internal */ closed = false;
  /** @internal */ onClose: () => void = noop;
  /** The current last event id (sent as Last-Event-ID on reconnect). */
  lastEventId = '';

  /** 'open' (each connection's head), 'event' (each event), 'error' (each failure), 'close' (the end). */
  on(event: 'open' | 'event' | 'error' | 'close', fn: (arg: never) => void): void {
    if (typeof fn !== 'function') throw new VolleyError('E_SSE_PARAMS', `client.on('${event}', handler): handler must be a function`, { exitCode: ExitCode.ScriptException });
    let l = this.handlers.get(event);
    if (l === undefined) this.handlers.set(event, (l = []));
    l.push(fn as Handler);
  }

  /** Ends the stream (no reconnect); the promise of `sse.open` resolves. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}

function noop(): void {}

function paramsError(msg: string): VolleyError {
  return new VolleyError('E_SSE_PARAMS', `sse.open: ${msg}`, { exitCode: ExitCode.ScriptException });
}

const KIND_BY_CODE = new Map<number, SseErrorKind>([
  [ErrorCode.StreamCut, 'cut'],
  [ErrorCode.RequestTimeout, 'timeout'],
  [ErrorCode.SseMalformed, 'malformed'],
  [ErrorCode.SseNotEventStream, 'content-type'],
]);

function kindOf(code: number): SseErrorKind {
  return KIND_BY_CODE.get(code) ?? (code >= 1400 && code < 1600 ? 'status' : 'network');
}

/** This worker's `sse.open` calls in progress (`sse_open`), recorded at each change only. */
const openCount = new LevelCounter(SSE_OPEN);
function changeOpen(vu: VuContext, delta: number): void {
  openCount.change(vu.recorder, delta);
}

/** Opens a stream for the calling VU. */
export function openStream(vu: VuContext, url: string, params: SseParams | undefined, setup: ((c: SseClient) => void) | undefined): Promise<SseResult> {
  try {
    const target = parseTarget(String(url));
    if (target === null) throw paramsError(`invalid URL "${String(url).slice(0, 200)}": only absolute http:// and https:// URLs`);
    const p = params ?? {};
    if (p.reconnect !== undefined && !(Number.isInteger(p.reconnect) && p.reconnect >= 0)) throw paramsError(`params.reconnect must be a whole number ≥ 0, got ${String(p.reconnect)}`);
    if (p.retry !== undefined && !(typeof p.retry === 'number' && p.retry >= 0)) throw paramsError(`params.retry must be ms ≥ 0, got ${String(p.retry)}`);
    if (p.maxEvents !== undefined && !(Number.isInteger(p.maxEvents) && p.maxEvents > 0)) throw paramsError(`params.maxEvents must be a whole number > 0, got ${String(p.maxEvents)}`);
    const durationMs = p.duration === undefined ? undefined : parseDurationMs(p.duration);
    if (durationMs !== undefined && !(durationMs > 0)) throw paramsError(`params.duration must be a positive duration, got ${String(p.duration)}`);
    let body = p.body ?? null;
    const headers: Record<string, string | number | readonly string[] | undefined> = { accept: 'text/event-stream', 'cache-control': 'no-cache', ...(p.headers ?? {}) };
    const hasCT = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
    if (body !== null && typeof body === 'object' && !(body instanceof ArrayBuffer) && !ArrayBuffer.isView(body) && !hasCT) {
      body = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const method = (p.method ?? (body === null ? 'GET' : 'POST')).toUpperCase();
    const prepared = prepare(httpState(vu), method, target, undefined, body as RequestBody, { headers, tags: p.tags, timeout: p.timeout });
    const client = new SseClient();
    if (setup !== undefined) {
      if (typeof setup !== 'function') throw paramsError('the third argument must be a function (client) => { client.on(...) }');
      setup(client);
    }
    return new Promise<SseResult>((resolve, reject) => {
      changeOpen(vu, 1);
      let settled = false;
      const end = (): void => {
        if (!settled) changeOpen(vu, -1);
        settled = true;
      };
      try {
        new SseSession(vu, prepared, client, p, durationMs, (r) => (end(), resolve(r)), (e) => (end(), reject(e))).connect();
      } catch (e) {
        end();
        throw e;
      }
    });
  } catch (err) {
    return Promise.reject(err);
  }
}

/** All connections of one `sse.open`. */
class SseSession {
  readonly result: SseResult;
  reconnectsLeft: number;
  retryMs: number;
  conn: SseConnection | null = null;
  durationTimer: NodeJS.Timeout | null = null;
  retryTimer: NodeJS.Timeout | null = null;
  scriptError: unknown = undefined;
  settled = false;
  eventTags: TagSet;

  constructor(
    readonly vu: VuContext,
    readonly p: Prepared,
    readonly client: SseClient,
    readonly params: SseParams,
    durationMs: number | undefined,
    readonly resolve: (r: SseResult) => void,
    readonly reject: (e: unknown) => void,
  ) {
    this.result = { status: 0, url: p.target.href, events: 0, connections: 0, lastEventId: '', error: '', error_code: 0, error_kind: undefined };
    this.reconnectsLeft = params.reconnect ?? 0;
    this.retryMs = params.retry ?? 1000;
    const cache = vu.recorder.tagSets;
    const name = p.userTags?.name !== undefined ? String(p.userTags.name) : p.target.clean;
    let tags = cache.with(vu.tags, { name, url: name, method: p.method });
    if (p.userTags !== undefined) tags = cache.with(tags, p.userTags);
    this.eventTags = tags;
    client.onClose = () => {
      if (this.retryTimer !== null) {
        this.stopWaiting();
        this.finish();
      } else this.conn?.x.destroy(new ClosedByClient());
    };
    if (durationMs !== undefined) {
      this.durationTimer = setTimeout(() => client.close(), durationMs);
    }
  }

  private readonly onStopWhileWaiting = (interrupted: boolean): void => {
    this.stopWaiting();
    if (interrupted) this.fail(abortError());
    else this.finish();
  };

  /** The reconnect delay is over (or cut short). */
  private stopWaiting(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    streamState(this.vu).waiting.delete(this.onStopWhileWaiting);
  }

  connect(): void {
    const headers = this.client.lastEventId === '' ? this.p.headers : [...this.p.headers, 'last-event-id', this.client.lastEventId];
    this.result.connections++;
    const c = new SseConnection(this);
    this.conn = c;
    const st = streamState(this.vu);
    if (st.interrupted) {
      this.fail(abortError());
      return;
    }
    c.x.start({ method: this.p.method, target: this.p.target, headers, body: this.p.body, timeoutMs: this.p.timeoutMs, tls: this.p.tls });
  }

  emit(name: string, arg?: unknown): void {
    const l = this.client.handlers.get(name);
    if (l === undefined) return;
    // A handler's throw (or an async handler's rejection) is the script's error: the stream ends,
    // the promise rejects with it.
    const fail = (err: unknown): void => {
      if (this.scriptError === undefined) this.scriptError = err;
      this.client.close();
    };
    for (const fn of l) {
      try {
        const r = fn(arg) as unknown;
        if (r instanceof Promise) r.catch(fail);
      } catch (err) {
        fail(err);
        return;
      }
    }
  }

  /** A connection ended (recorded already): reconnect or settle. */
  connectionEnded(err: SseError | undefined, interrupted: boolean): void {
    this.conn = null;
    if (interrupted) {
      this.fail(abortError());
      return;
    }
    if (err !== undefined) this.emit('error', err);
    const canRetry = err === undefined || err.kind === 'cut' || err.kind === 'network' || err.kind === 'timeout';
    if (!this.client.closed && this.scriptError === undefined && this.reconnectsLeft > 0 && canRetry && this.result.status !== 204) {
      this.reconnectsLeft--;
      this.retryTimer = setTimeout(() => {
        this.stopWaiting();
        this.connect();
      }, this.retryMs);
      // A hard stop (or the VU's close) during the delay ends the stream at once, not after `retry:`.
      streamState(this.vu).waiting.add(this.onStopWhileWaiting);
      return;
    }
    this.finish();
  }

  finish(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.durationTimer !== null) clearTimeout(this.durationTimer);
    this.result.lastEventId = this.client.lastEventId;
    this.client.closed = true;
    if (this.scriptError !== undefined) {
      this.reject(this.scriptError);
      return;
    }
    this.emit('close');
    if (this.scriptError !== undefined) this.reject(this.scriptError);
    else this.resolve(this.result);
  }

  fail(e: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (this.durationTimer !== null) clearTimeout(this.durationTimer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.reject(e);
  }
}

class ClosedByClient extends Error {
  readonly code = 'VOLLEY_SSE_CLOSED';
}

class SseFailure extends Error {
  constructor(readonly classified: ClassifiedError) {
    super(classified.message);
  }
}

/** One connection: the sink of its exchange, feeding the parser. */
class SseConnection implements StreamSink {
  readonly x: StreamExchange;
  readonly parser: SseParser;
  events = 0;
  tLastEvent = NaN;
  failure: ClassifiedError | undefined;

  constructor(readonly s: SseSession) {
    this.x = new StreamExchange(streamState(s.vu), this);
    this.parser = new SseParser({
      onEvent: (e) => this.onEvent(e),
      onRetry: (ms) => {
        s.retryMs = ms;
      },
      onMalformed: (_kind, detail) => this.failWith({ code: ErrorCode.SseMalformed, message: `malformed event stream: ${detail}` }),
    });
    this.parser.lastEventId = s.client.lastEventId;
  }

  failWith(c: ClassifiedError): void {
    if (this.failure === undefined) this.failure = c;
    this.x.destroy(new SseFailure(c));
  }

  onHead(status: number, _statusText: string, raw: string[]): void {
    const r = this.s.result;
    r.status = status;
    if (status === 204) {
      this.x.destroy(new ClosedByClient());
      return;
    }
    if (status !== 200) {
      this.failWith({ code: status >= 400 && status < 600 ? 1000 + status : ErrorCode.Generic, message: `status ${status}: not an event stream` });
      return;
    }
    let ct = '';
    for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'content-type') ct = raw[i + 1]!;
    if (!/^text\/event-stream\b/i.test(ct.trim())) {
      this.failWith({ code: ErrorCode.SseNotEventStream, message: `Content-Type "${ct.slice(0, 100)}" is not text/event-stream` });
      return;
    }
    this.s.emit('open');
  }

  onChunk(chunk: Buffer): void {
    if (this.failure !== undefined || this.s.client.closed) return;
    this.parser.push(chunk);
  }

  onEvent(e: SseEvent): void {
    const s = this.s;
    if (s.client.closed) return;
    const now = performance.now();
    this.events++;
    s.result.events++;
    s.client.lastEventId = e.id;
    const v = eventSlots;
    v[S_EV_EVENTS] = 1;
    v[S_EV_GAP] = this.events === 1 ? NO_SAMPLE : now - this.tLastEvent;
    if (this.events === 1) this.tFirstEvent = now;
    this.tLastEvent = now;
    s.vu.recorder.record(SSE_EVENT, s.eventTags, v);
    s.emit('event', { id: e.id, name: e.type, type: e.type, data: e.data, elapsedMs: this.x.sinceSendStart() } satisfies SseClientEvent);
    if (s.params.maxEvents !== undefined && s.result.events >= s.params.maxEvents) s.client.close();
  }

  tFirstEvent = NaN;

  onEnd(error: ClassifiedError | undefined): void {
    const s = this.s;
    const vu = s.vu;
    const interrupted = streamState(vu).interrupted || (vu as { interrupted?: boolean }).interrupted === true;
    const x0 = this.x;
    let err = this.failure ?? error;
    // Abandoned (its iteration ended without awaiting sse.open): as if the script had closed it.
    if (x0.abandoned) s.client.closed = true;
    if (this.failure === undefined && error !== undefined && (s.client.closed || s.result.status === 204) && error.code !== ErrorCode.RequestTimeout) err = undefined;
    // The server ended the body in the middle of an event: the stream was cut.
    if (err === undefined && !s.client.closed && this.parser.midEvent) err = { code: ErrorCode.StreamCut, message: 'stream cut: the body ended in the middle of an event' };
    this.parser.end();
    const x = this.x;
    const sendStart = x.t0 + x.timings.blocked + x.timings.connecting + x.timings.tls_handshaking;
    const v = streamSlots;
    v[S_ST_STREAMS] = 1;
    v[S_ST_FIRST_EVENT] = Number.isNaN(this.tFirstEvent) ? NO_SAMPLE : this.tFirstEvent - sendStart;
    v[S_ST_DURATION] = x.timings.duration;
    v[S_ST_FAILED] = err === undefined ? 0 : 1;
    v[S_ST_DATA_SENT] = x.bytesSent;
    v[S_ST_DATA_RECEIVED] = x.bytesReceived;
    let tags = s.eventTags;
    const cache = vu.recorder.tagSets;
    tags = cache.with1(tags, 'status', String(err === undefined ? x.status : err.code >= 1400 && err.code < 1600 ? err.code - 1000 : 0));
    if (err !== undefined) tags = cache.with(tags, { error_code: String(err.code), error_kind: kindOf(err.code) });
    vu.recorder.record(SSE_STREAM, tags, v);
    const r = s.result;
    if (err !== undefined) {
      r.error = err.message;
      r.error_code = err.code;
      r.error_kind = kindOf(err.code);
    } else {
      r.error = '';
      r.error_code = 0;
      r.error_kind = undefined;
    }
    s.connectionEnded(err === undefined ? undefined : { kind: kindOf(err.code), error: err.message, error_code: err.code, status: r.status }, interrupted);
  }
}

const eventSlots = new Float64Array(SSE_EVENT.metrics.length);
const streamSlots = new Float64Array(SSE_STREAM.metrics.length);
