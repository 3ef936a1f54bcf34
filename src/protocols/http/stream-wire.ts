/**
 * One streamed HTTP exchange on the wire: node:http(s) on a per-VU keep-alive agent, its body
 * delivered chunk by chunk as it arrives, every phase timed. No metrics here: `http.stream`
 * (stream.ts) records it as an HTTP exchange, `volley/sse` as an event stream.
 *
 * This is a separate path from the buffered transports (fast/, undici-transport.ts) on purpose:
 * a streamed body needs per-chunk delivery and back-pressure, which the buffered fast path must not
 * pay for on every request.
 *
 * Hard stops: `timeoutMs` covers the whole exchange, body included (error 1050); a body cut by the
 * connection closing before its end is error 1066 (`StreamCut`); a VU hard stop destroys the
 * socket (the caller records it as interrupted). Never a hang past the timeout.
 */
import { settleWithin } from '../../util/settle-within.js';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { rootCertificates } from 'node:tls';
import type { VuContext, VuResource } from '../../vu/context.js';
import { classifyError, ErrorCode, RequestTimeoutError, type ClassifiedError } from './error-codes.js';
import type { Timings } from './timings.js';
import { span } from './timings.js';
import type { TlsSettings } from './transport.js';
import type { Target } from './url.js';
import { abortError, httpOptionsFrom, type HttpVuOptions } from './vu-state.js';

/** What a streamed exchange reports, in order: head, chunks, then exactly one `end`. */
export interface StreamSink {
  /** The status line and headers arrived. `raw` is Node's flat [name, value, ...] list. */
  onHead(status: number, statusText: string, raw: string[]): void;
  /** A body chunk (already decoded from chunked framing; not decompressed). */
  onChunk(chunk: Buffer): void;
  /** The exchange is over: `error` undefined when the body ended normally. */
  onEnd(error: ClassifiedError | undefined): void;
}

export interface StreamRequest {
  method: string;
  target: Target;
  /** Flat [name, value, ...]. */
  headers: readonly string[];
  body: Uint8Array | null;
  /** Whole exchange, body included; 0 or Infinity = none. */
  timeoutMs: number;
  tls: TlsSettings | undefined;
}

/**
 * Timings of a streamed exchange: k6's phases (timings.ts) plus `firstChunk`.
 * - waiting: request written → response head (status line and headers), as k6. For a stream this is
 *   NOT the time to the first piece of content: a server flushes its headers at once and sends the
 *   content later.
 * - firstChunk: request sending started → first body byte (same origin as `duration`, so
 *   `firstChunk` ≤ `duration`); NaN when the body had no byte.
 * - receiving: response head → last body byte; duration: sending + waiting + receiving (last byte).
 */
export interface StreamTimings extends Timings {
  firstChunk: number;
}

/** One streamed exchange in flight. */
export class StreamExchange {
  readonly timings: StreamTimings = { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0, firstChunk: NaN };
  status = 0;
  proto = 'HTTP/1.1';
  remoteIp = '';
  remotePort = 0;
  tlsVersion = '';
  bytesSent = 0;
  bytesReceived = 0;
  chunks = 0;
  bodyBytes = 0;
  /** performance.now() at the call, the first body byte, the end. */
  readonly t0 = performance.now();
  tFirstChunk = NaN;
  tEnd = NaN;
  private tConnectStart = NaN;
  private tTcp = NaN;
  private tTls = NaN;
  private tSendStart = NaN;
  private tSent = NaN;
  private tHead = NaN;
  private req: ClientRequest | null = null;
  private res: IncomingMessage | null = null;
  private socket: Socket | null = null;
  private read0 = 0;
  private written0 = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly state: StreamVuState,
    private readonly sink: StreamSink,
  ) {}

  start(r: StreamRequest): void {
    const https = r.target.protocol === 'https:';
    const headers: Record<string, string | string[]> = {};
    for (let i = 0; i + 1 < r.headers.length; i += 2) {
      const k = r.headers[i]!.toLowerCase();
      const prev = headers[k];
      headers[k] = prev === undefined ? r.headers[i + 1]! : Array.isArray(prev) ? [...prev, r.headers[i + 1]!] : [prev, r.headers[i + 1]!];
    }
    if (r.body !== null && headers['content-length'] === undefined) headers['content-length'] = String(r.body.byteLength);
    const url = new URL(r.target.path, r.target.origin);
    const o = this.state.options;
    const tlsOpts = https
      ? {
          rejectUnauthorized: !(r.tls?.insecureSkipVerify ?? o.insecureSkipTLSVerify),
          ...(r.tls?.ca !== undefined || o.tlsCACerts !== undefined ? { ca: [...rootCertificates, ...toArray(r.tls?.ca ?? o.tlsCACerts)] } : {}),
        }
      : {};
    let req: ClientRequest;
    try {
      // noConnectionReuse: a connection per request (no agent), as the buffered transports do.
      const agent = o.noConnectionReuse ? false : https ? this.state.httpsAgent : this.state.httpAgent;
      req = (https ? httpsRequest : httpRequest)(url, { method: r.method, headers, agent, ...tlsOpts });
    } catch (err) {
      this.end(classifyError(err));
      return;
    }
    this.req = req;
    this.state.active.add(this);
    if (r.timeoutMs > 0 && r.timeoutMs !== Infinity) {
      this.timer = setTimeout(() => this.destroy(new RequestTimeoutError(r.timeoutMs)), r.timeoutMs);
    }
    req.on('socket', (s) => this.onSocket(s));
    req.on('finish', () => {
      this.tSent = performance.now();
    });
    req.on('response', (res) => this.onResponse(res));
    req.on('error', (err) => this.onError(err));
    // The last word: whatever happened, a closed request ends the exchange (never a hang).
    req.on('close', () => {
      if (!this.ended && this.res === null) this.end(classifyError(this.pendingError ?? Object.assign(new Error('socket closed'), { code: 'UND_ERR_SOCKET' })));
    });
    req.end(r.body === null ? undefined : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
  }

  /** Ends the exchange early (the script stopped reading, the VU stopped, the timeout). */
  destroy(reason: Error): void {
    if (this.ended) return;
    this.pendingError = reason;
    // Without the error: the reason is kept here (every listener reads it), and no emitter is left
    // to throw it unhandled.
    if (this.req !== null) this.req.destroy();
    else this.end(classifyError(reason));
  }

  /** The iteration that opened it ended with the stream still open (see StreamVuState.onIterationStart). */
  abandoned = false;

  /** Ends it as abandoned: recorded as it stands, not a failure (the script stopped listening). */
  abandon(): void {
    if (this.ended) return;
    this.abandoned = true;
    this.destroy(Object.assign(new Error('stream abandoned: its iteration ended'), { code: 'VOLLEY_STREAM_ABANDONED' }));
  }

  /** ms since sending started (the origin of `firstChunk` and `duration`). */
  sinceSendStart(): number {
    return performance.now() - (Number.isNaN(this.tSendStart) ? this.t0 : this.tSendStart);
  }

  /** Pauses / resumes reading the socket (back-pressure from a slow reader). */
  pause(): void {
    this.res?.pause();
  }
  resume(): void {
    this.res?.resume();
  }

  private pendingError: Error | null = null;

  private onSocket(s: Socket): void {
    this.socket = s;
    this.read0 = s.bytesRead;
    this.written0 = s.bytesWritten;
    if (s.connecting) {
      this.tConnectStart = performance.now();
      s.once('connect', () => {
        this.tTcp = performance.now();
        this.remoteIp = s.remoteAddress ?? '';
        this.remotePort = s.remotePort ?? 0;
        if ((s as TLSSocket).encrypted !== true) this.tSendStart = this.tTcp;
      });
      s.once('secureConnect', () => {
        this.tTls = performance.now();
        this.tSendStart = this.tTls;
        this.tlsVersion = k6TlsVersion((s as TLSSocket).getProtocol?.() ?? '');
      });
    } else {
      this.tSendStart = performance.now();
      this.remoteIp = s.remoteAddress ?? '';
      this.remotePort = s.remotePort ?? 0;
      if ((s as TLSSocket).encrypted === true) this.tlsVersion = k6TlsVersion((s as TLSSocket).getProtocol?.() ?? '');
    }
  }

  private onResponse(res: IncomingMessage): void {
    this.tHead = performance.now();
    this.res = res;
    this.status = res.statusCode ?? 0;
    this.proto = `HTTP/${res.httpVersion}`;
    if (Number.isNaN(this.tSent)) this.tSent = this.tHead;
    this.sink.onHead(this.status, res.statusMessage ?? '', res.rawHeaders);
    res.on('data', (chunk: Buffer) => {
      if (this.chunks === 0) this.tFirstChunk = performance.now();
      this.chunks++;
      this.bodyBytes += chunk.length;
      this.sink.onChunk(chunk);
    });
    res.on('end', () => this.end(undefined));
    // 'close' without 'end': the connection went away mid-body (or we destroyed it).
    res.on('close', () => {
      if (!this.ended) this.end(this.pendingError !== null ? classifyError(this.pendingError) : STREAM_CUT);
    });
    res.on('error', (err) => this.onError(err));
  }

  private onError(err: Error): void {
    if (this.ended) return;
    const e = this.pendingError ?? err;
    // Bytes of the body had arrived: the stream was cut, whatever the socket error says (unless it
    // is our own timeout or a hard stop, which keep their codes).
    if (this.res !== null && this.pendingError === null) this.end(STREAM_CUT);
    else this.end(classifyError(e));
  }

  private end(error: ClassifiedError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.tEnd = performance.now();
    if (this.timer !== null) clearTimeout(this.timer);
    this.state.active.delete(this);
    const s = this.socket;
    if (s !== null) {
      this.bytesSent = s.bytesWritten - this.written0;
      this.bytesReceived = s.bytesRead - this.read0;
    }
    this.fillTimings();
    if (error !== undefined && this.req !== null && !this.req.destroyed) this.req.destroy();
    this.sink.onEnd(error);
    if (this.state.active.size === 0) this.state.drained?.();
  }

  private fillTimings(): void {
    const t = this.timings;
    const end = this.tEnd;
    const connStart = Number.isNaN(this.tConnectStart) ? NaN : this.tConnectStart;
    const sendStart = Number.isNaN(this.tSendStart) ? end : this.tSendStart;
    if (!Number.isNaN(connStart)) {
      t.blocked = span(this.t0, connStart);
      const tcp = Number.isNaN(this.tTcp) ? end : this.tTcp;
      t.connecting = span(connStart, tcp);
      t.tls_handshaking = Number.isNaN(this.tTls) ? 0 : span(tcp, this.tTls);
    } else {
      t.blocked = span(this.t0, sendStart);
    }
    const sent = Number.isNaN(this.tSent) ? end : this.tSent;
    const head = Number.isNaN(this.tHead) ? end : this.tHead;
    t.sending = span(sendStart, Math.min(sent, head));
    t.waiting = span(Math.min(sent, head), head);
    t.receiving = span(head, end);
    t.duration = t.sending + t.waiting + t.receiving;
    t.firstChunk = Number.isNaN(this.tFirstChunk) ? NaN : span(sendStart, this.tFirstChunk);
  }
}

const STREAM_CUT: ClassifiedError = { code: ErrorCode.StreamCut, message: 'stream cut: the connection closed before the end of the body' };

function toArray(v: string | readonly string[] | undefined): string[] {
  return v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
}

function k6TlsVersion(p: string): string {
  const m: Record<string, string> = { 'TLSv1.3': 'tls1.3', 'TLSv1.2': 'tls1.2', 'TLSv1.1': 'tls1.1', TLSv1: 'tls1.0' };
  return m[p] ?? p;
}

const kStream = Symbol('volley.http.stream');

/** A VU's streamed-exchange state: its keep-alive agents and the exchanges in flight. Lives in `vu.slots`. */
export class StreamVuState implements VuResource {
  readonly options: HttpVuOptions;
  readonly active = new Set<StreamExchange>();
  #http: HttpAgent | undefined;
  #https: HttpsAgent | undefined;
  interrupted = false;

  constructor(vu: VuContext) {
    this.options = httpOptionsFrom(vu.options);
    const hooked = vu as { interruptHooks?: boolean };
    if (hooked.interruptHooks !== true) {
      if (vu.signal.aborted) this.interrupted = true;
      else vu.signal.addEventListener('abort', () => this.onInterrupt(), { once: true });
    }
  }

  get httpAgent(): HttpAgent {
    return (this.#http ??= new HttpAgent({ keepAlive: true, maxSockets: Infinity }));
  }
  get httpsAgent(): HttpsAgent {
    return (this.#https ??= new HttpsAgent({ keepAlive: true, maxSockets: Infinity }));
  }

  /**
   * A new iteration starts: a stream does not outlive the iteration that opened it (a script that
   * never read or awaited one would otherwise keep it, and its socket, until the timeout).
   */
  onIterationStart(): void {
    if (this.active.size !== 0) for (const x of [...this.active]) x.abandon();
    if (this.waiting.size !== 0) for (const w of [...this.waiting]) w(false);
    // noVUConnectionReuse: each iteration starts on new connections.
    if (this.options.noVUConnectionReuse) {
      this.#http?.destroy();
      this.#https?.destroy();
      this.#http = this.#https = undefined;
    }
  }

  /**
   * Streams waiting between connections (an SSE reconnect delay): ended at once on a hard stop
   * (`true`: as interrupted), and when their iteration is over or the VU closes (`false`: as closed).
   */
  readonly waiting = new Set<(interrupted: boolean) => void>();

  /** The VU was interrupted (hard stop): streams in flight end at once. */
  onInterrupt(): void {
    this.interrupted = true;
    for (const x of [...this.active]) x.destroy(abortError());
    for (const w of [...this.waiting]) w(true);
  }

  /** While the VU is being closed: settles `close()` when the last stream has ended. */
  drained: (() => void) | null = null;

  /**
   * Ends the VU's streams and waits (at most 1 s) for them to end: a stream is recorded there
   * (sse_open, sse_streams...), and the worker's final flush comes right after the VUs are closed,
   * so one still ending then (destroyed by a hard stop, its request not closed yet) was never counted.
   */
  close(): Promise<void> | undefined {
    for (const x of [...this.active]) x.destroy(abortError());
    for (const w of [...this.waiting]) w(false);
    this.#http?.destroy();
    this.#https?.destroy();
    if (this.active.size === 0) return undefined;
    const w = settleWithin(1000, () => (this.drained = null));
    this.drained = w.settle;
    return w.promise;
  }
}

/** The VU's stream state, created on first use. */
export function streamState(vu: VuContext): StreamVuState {
  let st = vu.slots.get(kStream) as StreamVuState | undefined;
  if (st === undefined) {
    st = new StreamVuState(vu);
    vu.slots.set(kStream, st);
  }
  return st;
}
