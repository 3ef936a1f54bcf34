/**
 * One WebSocket session on the `ws` package, measured: the core under both user APIs (k6/ws's
 * `ws.connect` in socket.ts, k6/websockets' `WebSocket` in websocket.ts). It records the session,
 * each message, each ping's round trip, and `request()` round trips (metrics.ts), and ends
 * itself on a VU hard stop.
 */
import { settleWithin } from '../../util/settle-within.js';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import WebSocketImpl from 'ws';
import { VolleyError, ExitCode } from '../../errors/index.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import { LevelCounter } from '../../metrics/levels.js';
import type { TagSet } from '../../metrics/tags.js';
import type { VuContext, VuResource } from '../../vu/context.js';
import { parseDurationMs } from '../../config/duration.js';
import {
  S_CONNECTING,
  S_DATA_RECEIVED,
  S_DATA_SENT,
  S_SESSION_DURATION,
  S_SESSION_FAILED,
  S_SESSIONS,
  WS_MESSAGE,
  WS_PING,
  WS_ROUND_TRIP,
  WS_OPEN,
  WS_SESSION,
} from './metrics.js';

export interface WsParams {
  headers?: Record<string, string | number>;
  /** Extra tags; `name` groups URLs. */
  tags?: Record<string, string | number | boolean>;
  /** Subprotocols offered (Sec-WebSocket-Protocol). */
  protocols?: string | string[];
  /** Handshake timeout (duration or ms); default '60s'. */
  timeout?: string | number;
  /** permessage-deflate ('deflate'); none by default (k6: compression). */
  compression?: 'deflate' | '';
}

export interface RequestOptions {
  /** Which received message answers this request (default: the next message). */
  match?: (data: string | ArrayBuffer) => boolean;
  /** Give up after (duration or ms); default '10s'. Unanswered: ws_failed 1, the promise rejects. */
  timeout?: string | number;
  /** Extra tags on ws_round_trip (e.g. { op: 'subscribe' }). */
  tags?: Record<string, string | number | boolean>;
}

export interface SessionEvents {
  onOpen(): void;
  onMessage(data: string | ArrayBuffer, isBinary: boolean): void;
  onPing(): void;
  onPong(): void;
  onError(message: string): void;
  onClose(code: number, reason: string): void;
}

interface PendingRequest {
  sent: number;
  match: ((data: string | ArrayBuffer) => boolean) | undefined;
  tags: TagSet;
  timer: NodeJS.Timeout;
  resolve: (data: string | ArrayBuffer) => void;
  reject: (e: unknown) => void;
}

const kWs = Symbol('volley.ws');

/** A VU's open sessions (closed on a hard stop and when the VU retires). Lives in `vu.slots`. */
class WsVuState implements VuResource {
  readonly open = new Set<WsSession>();
  interrupted = false;
  /** The first error thrown by an event handler of a socket the script did not await (reported when the iteration ends). */
  handlerError: unknown = undefined;
  /** While the iteration waits for its open sockets: settles it when the last one closes. */
  private idle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  /** While the VU is being closed: settles `close()` when the last session has closed. */
  private drained: (() => void) | null = null;
  constructor(vu: VuContext) {
    if ((vu as { interruptHooks?: boolean }).interruptHooks !== true) {
      if (vu.signal.aborted) this.interrupted = true;
      else vu.signal.addEventListener('abort', () => this.onInterrupt(), { once: true });
    } else if ((vu as { interrupted?: boolean }).interrupted === true) {
      // First socket of a VU already stopped (e.g. opened in a catch after an aborted sleep): no hook will come.
      this.interrupted = true;
    }
  }
  /** A socket does not outlive the iteration that opened it: closed normally (1000) when the next starts. */
  onIterationStart(): void {
    this.handlerError = undefined;
    if (this.open.size !== 0) for (const s of [...this.open]) s.close(1000, 'iteration ended');
  }
  /** As in k6, an iteration whose function returned goes on until its sockets have closed (or the VU is stopped). */
  keepsIterationAlive(): Promise<void> | undefined {
    if (this.open.size === 0) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.idle = { resolve, reject };
    });
  }
  /** A session ended (removed from `open`). */
  closed(): void {
    if (this.open.size !== 0) return;
    if (this.drained !== null) this.drained();
    if (this.idle === null) return;
    const idle = this.idle;
    this.idle = null;
    const e = this.handlerError;
    this.handlerError = undefined;
    if (e !== undefined) idle.reject(e);
    else idle.resolve();
  }
  onInterrupt(): void {
    this.interrupted = true;
    for (const s of [...this.open]) s.terminate('the VU was stopped');
  }
  /**
   * Terminates the VU's sessions and waits (at most 1 s) for their close events: a session is
   * counted closed there (ws_open, ws_sessions), and the worker's final flush comes right after
   * the VUs are closed, so one still closing then (terminated by a hard stop) was never counted.
   */
  close(): Promise<void> | undefined {
    for (const s of [...this.open]) s.terminate('the VU retired');
    if (this.open.size === 0) return undefined;
    const w = settleWithin(1000, () => (this.drained = null));
    this.drained = w.settle;
    return w.promise;
  }
}

function wsState(vu: VuContext): WsVuState {
  let st = vu.slots.get(kWs) as WsVuState | undefined;
  if (st === undefined) {
    st = new WsVuState(vu);
    vu.slots.set(kWs, st);
  }
  return st;
}

/** This worker's open sessions (`ws_open`), recorded at each change only. */
const openSessions = new LevelCounter(WS_OPEN);
function changeOpen(vu: VuContext, delta: number): void {
  openSessions.change(vu.recorder, delta);
}

export function wsParamsError(msg: string): VolleyError {
  return new VolleyError('E_WS_PARAMS', msg, { exitCode: ExitCode.ScriptException });
}

const msgSlots = new Float64Array(WS_MESSAGE.metrics.length);
const pingSlots = new Float64Array(WS_PING.metrics.length);
const rtSlots = new Float64Array(WS_ROUND_TRIP.metrics.length);
const sessionSlots = new Float64Array(WS_SESSION.metrics.length);

export class WsSession {
  readonly ws: WebSocketImpl;
  readonly t0 = performance.now();
  tOpen = NaN;
  status = 0;
  headers: Record<string, string> = {};
  error = '';
  failed = false;
  ended = false;
  binaryType: 'arraybuffer' | 'blob' = 'arraybuffer';
  readonly tags: TagSet;
  private socket: Socket | null = null;
  private readonly pings: number[] = [];
  private readonly pending: PendingRequest[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly state: WsVuState;

  constructor(
    readonly vu: VuContext,
    readonly url: string,
    params: WsParams | undefined,
    private readonly ev: SessionEvents,
  ) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw wsParamsError(`invalid WebSocket URL "${String(url).slice(0, 200)}": write ws://host/path or wss://host/path`);
    }
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw wsParamsError(`invalid WebSocket URL "${url.slice(0, 200)}": the scheme must be ws:// or wss://`);
    const p = params ?? {};
    const timeout = p.timeout === undefined ? 60_000 : parseDurationMs(p.timeout);
    const cache = vu.recorder.tagSets;
    const name = p.tags?.name !== undefined ? String(p.tags.name) : `${u.protocol}//${u.host}${u.pathname}`;
    let tags = cache.with(vu.tags, { name, url: name });
    if (p.tags !== undefined) tags = cache.with(tags, p.tags);
    this.tags = tags;
    this.state = wsState(vu);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.headers ?? {})) headers[k] = String(v);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent') && vu.options.userAgent !== '') headers['user-agent'] = vu.options.userAgent;
    this.ws = new WebSocketImpl(url, p.protocols ?? [], {
      headers,
      handshakeTimeout: timeout,
      perMessageDeflate: p.compression === 'deflate',
      rejectUnauthorized: !vu.options.insecureSkipTLSVerify,
      ...(vu.options.tlsCACerts.length > 0 ? { ca: [...rootCertificates, ...vu.options.tlsCACerts] } : {}),
      followRedirects: false,
    });
    this.ws.binaryType = 'arraybuffer';
    this.state.open.add(this);
    changeOpen(vu, 1);
    this.ws.on('upgrade', (res: IncomingMessage) => {
      this.status = res.statusCode ?? 0;
      this.socket = res.socket;
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) this.headers[res.rawHeaders[i]!] = res.rawHeaders[i + 1]!;
    });
    this.ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      this.status = res.statusCode ?? 0;
      this.socket = res.socket;
      this.fail(`unexpected response status ${this.status} to the WebSocket handshake`);
      res.resume();
      this.ws.terminate();
    });
    this.ws.on('open', () => {
      this.tOpen = performance.now();
      this.ev.onOpen();
    });
    this.ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => this.onMessage(data, isBinary));
    this.ws.on('ping', () => this.ev.onPing());
    this.ws.on('pong', () => {
      const sent = this.pings.shift();
      if (sent !== undefined) {
        pingSlots[0] = performance.now() - sent;
        vu.recorder.record(WS_PING, this.tags, pingSlots);
      }
      this.ev.onPong();
    });
    this.ws.on('error', (err: Error) => {
      this.fail(err.message);
    });
    this.ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString('utf8')));
    // After the listeners: ws reports an aborted handshake as an 'error' event, which needs one.
    if (this.state.interrupted) this.terminate('the VU was stopped');
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.error = message;
    this.ev.onError(message);
  }

  private onMessage(raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const buf = Array.isArray(raw) ? Buffer.concat(raw) : raw;
    const data: string | ArrayBuffer = isBinary ? (buf instanceof ArrayBuffer ? buf : toArrayBuffer(buf)) : Buffer.isBuffer(buf) ? buf.toString('utf8') : Buffer.from(buf).toString('utf8');
    msgSlots[0] = NO_SAMPLE;
    msgSlots[1] = 1;
    this.vu.recorder.record(WS_MESSAGE, this.tags, msgSlots);
    // A reply to a pending request() is delivered to it (and to the handlers too).
    for (let i = 0; i < this.pending.length; i++) {
      const r = this.pending[i]!;
      let hit: boolean;
      try {
        hit = r.match === undefined || r.match(data);
      } catch (err) {
        this.pending.splice(i, 1);
        clearTimeout(r.timer);
        r.reject(err);
        break;
      }
      if (hit) {
        this.pending.splice(i, 1);
        clearTimeout(r.timer);
        rtSlots[0] = performance.now() - r.sent;
        rtSlots[1] = 0;
        this.vu.recorder.record(WS_ROUND_TRIP, r.tags, rtSlots);
        r.resolve(data);
        break;
      }
    }
    this.ev.onMessage(data, isBinary);
  }

  /** An event handler of this socket threw: the iteration reports it if the script does not await the socket. */
  handlerFailed(e: unknown): void {
    if (this.state.handlerError === undefined) this.state.handlerError = e;
  }

  private onClose(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.state.open.delete(this);
    changeOpen(this.vu, -1);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.pending.splice(0)) {
      clearTimeout(r.timer);
      rtSlots[0] = NO_SAMPLE;
      rtSlots[1] = 1;
      this.vu.recorder.record(WS_ROUND_TRIP, r.tags, rtSlots);
      r.reject(new VolleyError('E_WS_CLOSED', `ws request: the socket closed (code ${code}) before the reply`, { exitCode: ExitCode.ScriptException }));
    }
    // 1000 normal, 1001 going away, 1005 no status (a close frame without a code): clean closes.
    if (!this.failed && code !== 1000 && code !== 1001 && code !== 1005) this.fail(`abnormal close: code ${code}${reason ? ` (${reason})` : ''}`);
    const now = performance.now();
    const cache = this.vu.recorder.tagSets;
    let tags = cache.with1(this.tags, 'status', String(this.status));
    if (this.failed) tags = cache.with1(tags, 'error', this.error.length > 100 ? this.error.slice(0, 100) : this.error);
    const v = sessionSlots;
    v[S_SESSIONS] = 1;
    v[S_CONNECTING] = Number.isNaN(this.tOpen) ? NO_SAMPLE : this.tOpen - this.t0;
    v[S_SESSION_DURATION] = now - this.t0;
    v[S_SESSION_FAILED] = this.failed ? 1 : 0;
    v[S_DATA_SENT] = this.socket?.bytesWritten ?? 0;
    v[S_DATA_RECEIVED] = this.socket?.bytesRead ?? 0;
    this.vu.recorder.record(WS_SESSION, tags, v);
    // The waiting iteration settles after the close and error handlers ran: their errors are its own.
    try {
      this.ev.onClose(code, reason);
    } finally {
      this.state.closed();
    }
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  send(data: unknown): void {
    if (this.ws.readyState !== WebSocketImpl.OPEN) throw new VolleyError('E_WS_NOT_OPEN', 'ws send: the socket is not open (send from the open handler or later)', { exitCode: ExitCode.ScriptException });
    const payload = typeof data === 'string' ? data : data instanceof ArrayBuffer ? Buffer.from(data) : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : String(data);
    this.ws.send(payload);
    msgSlots[0] = 1;
    msgSlots[1] = NO_SAMPLE;
    this.vu.recorder.record(WS_MESSAGE, this.tags, msgSlots);
  }

  /** Sends `data` and resolves with the reply that `opts.match` accepts (default: the next message); records ws_round_trip. */
  request(data: unknown, opts: RequestOptions = {}): Promise<string | ArrayBuffer> {
    try {
      const timeout = opts.timeout === undefined ? 10_000 : parseDurationMs(opts.timeout);
      if (opts.match !== undefined && typeof opts.match !== 'function') throw wsParamsError('ws request: options.match must be a function (data) => boolean');
      const tags = opts.tags === undefined ? this.tags : this.vu.recorder.tagSets.with(this.tags, opts.tags);
      return new Promise((resolve, reject) => {
        const r: PendingRequest = {
          sent: 0,
          match: opts.match,
          tags,
          resolve,
          reject,
          timer: setTimeout(() => {
            const i = this.pending.indexOf(r);
            if (i >= 0) this.pending.splice(i, 1);
            rtSlots[0] = NO_SAMPLE;
            rtSlots[1] = 1;
            this.vu.recorder.record(WS_ROUND_TRIP, tags, rtSlots);
            reject(new VolleyError('E_WS_TIMEOUT', `ws request: no reply within ${timeout} ms`, { hint: 'raise options.timeout, or check options.match', exitCode: ExitCode.ScriptException }));
          }, timeout),
        };
        this.pending.push(r);
        r.sent = performance.now();
        try {
          this.send(data);
        } catch (err) {
          this.pending.pop();
          clearTimeout(r.timer);
          reject(err);
        }
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  ping(): void {
    if (this.ws.readyState !== WebSocketImpl.OPEN) return;
    this.pings.push(performance.now());
    this.ws.ping();
  }

  close(code?: number, reason?: string): void {
    if (this.ws.readyState === WebSocketImpl.CLOSED || this.ws.readyState === WebSocketImpl.CLOSING) return;
    if (this.ws.readyState === WebSocketImpl.CONNECTING) {
      this.ws.terminate();
      return;
    }
    this.ws.close(code ?? 1000, reason);
    // A peer that never answers the close frame: drop the connection after a while.
    const t = setTimeout(() => this.ws.terminate(), 3000);
    t.unref();
  }

  /** Drops the connection at once (hard stop). */
  terminate(why: string): void {
    if (this.ended) return;
    this.fail(why);
    this.ws.terminate();
  }

  /** A timer that belongs to the socket: cleared when it closes (k6 socket.setTimeout / setInterval). */
  timer(fn: () => void, ms: number, repeat: boolean, onError: (e: unknown) => void): NodeJS.Timeout {
    if (typeof fn !== 'function') throw wsParamsError('socket.setTimeout/setInterval: the first argument must be a function');
    const run = (): void => {
      if (!repeat) this.timers.delete(t);
      try {
        fn();
      } catch (err) {
        onError(err);
      }
    };
    const t = repeat ? setInterval(run, Math.max(1, ms)) : setTimeout(run, Math.max(0, ms));
    this.timers.add(t);
    return t;
  }

  clearTimer(t: NodeJS.Timeout): void {
    clearTimeout(t);
    this.timers.delete(t);
  }

  get interrupted(): boolean {
    return this.state.interrupted || (this.vu as { interrupted?: boolean }).interrupted === true;
  }
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
