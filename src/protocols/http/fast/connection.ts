import { isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { RequestTimeoutError } from '../error-codes.js';
import { span } from '../timings.js';
import { ResponseParser, State } from './parser.js';
import { bodilessRequest, requestHead } from './request-bytes.js';
import type { FastExchange } from './result.js';

/**
 * One HTTP/1.1 keep-alive connection of the fast transport: a net.Socket, the response parser
 * (this class extends it, so a connection is one object), and at most one exchange at a time.
 *
 * Phases (transition table):
 *
 *   connecting ──'connect'──▶ busy (the exchange that asked for it is written)
 *   idle ──start()──▶ busy ──response complete, keep-alive──▶ idle (back in its pool)
 *   busy ──complete without keep-alive / error / timeout──▶ closed
 *   idle ──server closed / idle timeout──▶ closed
 *   any ──destroy()──▶ closed
 *
 * Hot-path choices, each measured on this machine (2 cores, nginx on the other core, 64
 * connections; bench/micro/socket-ceiling.mjs):
 * - Reads use net's `onread` option with ONE buffer shared by every connection of the thread:
 *   the socket reads straight into it and calls us, skipping the stream `push`/'data' machinery
 *   and a fresh Buffer per read. 0.040 CPU s per 10k requests against 0.052 with 'data' events,
 *   and no 64 KiB buffer per connection (10,000 VUs would otherwise hold 640 MB of them). The
 *   buffer is only read synchronously inside the callback; what a response keeps is copied.
 * - Writes are one `socket.write` of a cached Buffer (see request-bytes.ts).
 * - No closures per request: socket events go to shared functions (`this` is the socket), the
 *   exchange is a plain object, and request timeouts of 1 s or more are checked by one sweep
 *   timer per thread (below) rather than a setTimeout/clearTimeout pair per request
 *   (≈ 0.27 µs per request against ≈ 0.05 µs for the deadline field, bench/micro/timers.mjs).
 */

/** How the transport that owns a connection takes it back. */
export interface ConnectionOwner {
  /** The connection finished an exchange and may be reused. */
  release(c: FastConnection): void;
  /** The connection is closed (remove it from pools and live sets). */
  forget(c: FastConnection): void;
  /** Retries `ex` on a new connection (the Go rule, see `FastConnection.shouldRetry`). */
  retry(ex: FastExchange): void;
}

/** What a connection needs from its pool: where to connect, and the idle list it returns to. */
export interface ConnPool {
  readonly hostname: string;
  readonly port: number;
  readonly idle: FastConnection[];
}

export const Phase = { Connecting: 0, Idle: 1, Busy: 2, Closed: 3 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** Size of the read buffer shared by all connections of this thread (the kernel hands us at most this per read). */
export const READ_BUFFER_BYTES = 64 * 1024;
const sharedReadBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

/** The socket error undici raises when the server closes mid-exchange; same code, same classification. */
export class SocketClosedError extends Error {
  readonly code = 'UND_ERR_SOCKET';
  constructor(
    /** Bytes of the response had arrived: k6's 'unexpected EOF' rather than 'EOF'. */
    readonly midResponse = false,
    message = 'other side closed',
  ) {
    super(message);
    this.name = 'SocketError';
  }
}

/** A malformed response (code HPE_*, as undici's parser errors; classified by error-codes.ts). */
export class ResponseParseError extends Error {
  constructor(
    readonly code: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'HTTPParserError';
  }
}

/** Connect timeout, with undici's code so that it classifies as k6's 1211 (dial: i/o timeout). */
export class ConnectTimeoutError extends Error {
  readonly code = 'UND_ERR_CONNECT_TIMEOUT';
  constructor() {
    super('Connect Timeout Error');
    this.name = 'ConnectTimeoutError';
  }
}

class FastSocket extends Socket {
  conn: FastConnection | null = null;
}

export class FastConnection extends ResponseParser {
  phase: Phase = Phase.Connecting;
  readonly socket: FastSocket;
  /** The exchange in flight, if any. */
  ex: FastExchange | null = null;
  /** Exchanges completed on this connection (0: the next one is its first). */
  uses = 0;
  /**
   * performance.now() when the `connecting` phase starts: when connecting started, moved to when
   * DNS finished for a host name. One field (the TCP-connected time was never read): each double
   * field of a connection is a 16-byte boxed number per VU (heap-by-type.mjs: 20 per VU).
   */
  connectFrom = 0;
  dnsFailed = false;
  connectDeadline = 0;
  /** performance.now() when it became idle (idle timeout). */
  idleSince = 0;
  remoteIp = '';
  remotePort = 0;
  /** Bytes of the current response received so far (the retry rule needs "nothing yet"). */
  resBytes = 0;
  /** Set by onComplete inside execute(); acted on after execute() returns. */
  private completed = false;
  /** Where the body copy of the current response goes (see onHead). */
  private bodyDirect = false;
  /** Index in the owner's connection list (swap-remove), -1 when not listed. */
  index = -1;

  constructor(
    readonly owner: ConnectionOwner,
    readonly pool: ConnPool,
    localAddress: string | undefined,
    connectTimeoutMs: number,
    maxHeadBytes: number,
  ) {
    super();
    this.maxHeadBytes = maxHeadBytes;
    const s = new FastSocket({ onread: { buffer: sharedReadBuffer, callback: onSocketRead } } as unknown as ConstructorParameters<typeof Socket>[0]);
    s.conn = this;
    this.socket = s;
    s.setNoDelay(true);
    // Few listeners (each is an entry in the socket's event map, per connection): EOF is handled
    // in 'close' (net closes a socket that is not half-open at EOF), 'drain' is added only when a
    // write is buffered, 'lookup' only for host names.
    s.on('connect', onSocketConnect);
    s.on('error', onSocketError);
    s.on('close', onSocketClose);
    if (isIP(pool.hostname) === 0) s.once('lookup', onSocketLookup);
    this.connectFrom = performance.now();
    this.connectDeadline = connectTimeoutMs > 0 ? this.connectFrom + connectTimeoutMs : 0;
    live.add(this);
    ensureSweeper();
    if (localAddress !== undefined) s.connect({ port: pool.port, host: pool.hostname, localAddress });
    else s.connect({ port: pool.port, host: pool.hostname });
  }

  /** Starts `ex` on this connection (idle or still connecting). */
  start(ex: FastExchange): void {
    this.ex = ex;
    ex.conn = this;
    this.resBytes = 0;
    this.completed = false;
    this.resetParser(ex.req.method === 'HEAD');
    if (this.phase === Phase.Idle) {
      // Reused keep-alive connection: writing starts within this call, so "got connection" is
      // the start time itself (blocked ≈ 0 by construction, as the gap is well under 1 µs).
      ex.reused = true;
      ex.tGotConn = ex.tStart;
      this.phase = Phase.Busy;
      this.write(ex);
    }
    // Connecting: the 'connect' handler writes it.
  }

  /** TCP connected: the exchange that waits takes the connect phase as its own. */
  onConnect(): void {
    const t = performance.now();
    this.connectDeadline = 0;
    this.remoteIp = this.socket.remoteAddress ?? '';
    this.remotePort = this.socket.remotePort ?? 0;
    const ex = this.ex;
    if (ex === null) {
      this.phase = Phase.Idle;
      this.idleSince = t;
      this.owner.release(this);
      return;
    }
    this.phase = Phase.Busy;
    ex.tGotConn = t;
    ex.reused = false;
    ex.connecting = span(this.connectFrom, t);
    this.write(ex);
  }

  private write(ex: FastExchange): void {
    const req = ex.req;
    const body = req.body;
    const s = this.socket;
    const host = hostOf(req.origin);
    let sent: number;
    if (body === null || body.byteLength === 0) {
      const b = bodilessRequest(req.method, req.path, host, !req.reset, req.headers);
      if (typeof b === 'string') {
        s.write(b, 'latin1');
        sent = b.length;
      } else {
        s.write(b);
        sent = b.length;
      }
    } else {
      const head = requestHead(req.method, req.path, host, !req.reset, req.headers, body.byteLength);
      if (body.byteLength <= 16 * 1024) {
        // One write, one syscall: head and a small body in a single buffer.
        const hl = Buffer.byteLength(head, 'latin1');
        const out = Buffer.allocUnsafe(hl + body.byteLength);
        out.write(head, 0, hl, 'latin1');
        out.set(body, hl);
        s.write(out);
      } else {
        s.cork();
        s.write(head, 'latin1');
        s.write(body);
        s.uncork();
      }
      sent = head.length + body.byteLength;
    }
    ex.bytesSent = sent;
    // Fully handed to the kernel (the usual case) or buffered: then 'drain' marks the end.
    if (s.writableLength === 0) ex.tWrote = performance.now();
    else s.once('drain', onSocketDrain);
  }

  onDrain(): void {
    const ex = this.ex;
    if (ex !== null && ex.tWrote === 0) ex.tWrote = performance.now();
  }

  /** Bytes arrived in the shared buffer. */
  onRead(n: number, buf: Buffer): void {
    const ex = this.ex;
    if (ex === null || this.phase !== Phase.Busy) {
      // Bytes nobody asked for (a server talking out of turn): this connection is unusable.
      this.destroy();
      return;
    }
    // One clock read per read event: it is the first byte's time (first read), and the last
    // byte's time when this read completes the response (the end of `receiving`, and the idle
    // start). Before: separate reads for first byte, idle start and end, 5 → 3 clock reads per
    // keep-alive exchange (with tStart and tWrote); see bench/micro/README.md, round 2.
    const now = performance.now();
    if (ex.tFirstByte === 0) ex.tFirstByte = now;
    if (ex.tWrote === 0) ex.tWrote = now; // answered before our write was flushed
    this.resBytes += n;
    const used = this.execute(buf, 0, n);
    if (used < 0) {
      ex.bytesReceived += n;
      this.fail(new ResponseParseError(this.errorCode, this.errorReason));
      return;
    }
    ex.bytesReceived += used;
    if (this.completed) this.finish(used < n, now);
  }

  protected override onHead(buf: Buffer, start: number, end: number, avail: number): void {
    const ex = this.ex!;
    ex.status = this.status;
    ex.statusText = this.statusText;
    ex.headerFlags = this.headerFlags;
    const headLen = end - start;
    // One copy for head and body when the body is already here and small (bytes ≤ 16 KiB keep to
    // Buffer's pool: no separate ArrayBuffer per response).
    let take = headLen;
    this.bodyDirect = false;
    if (ex.keepBody && !this.chunked && this.contentLength > 0 && !this.noBody && end + this.contentLength <= avail && this.status !== 204 && this.status !== 304) {
      take += this.contentLength;
      this.bodyDirect = true;
    }
    const copy = Buffer.allocUnsafe(take);
    buf.copy(copy, 0, start, start + take);
    ex.bytes = copy;
    ex.headLen = headLen;
    ex.bodyInBytes = this.bodyDirect || !ex.keepBody;
  }

  protected override onBody(buf: Buffer, start: number, end: number): void {
    const ex = this.ex!;
    const n = end - start;
    ex.bodyLength += n;
    if (!ex.keepBody || this.bodyDirect || n === 0) return;
    const c = Buffer.allocUnsafe(n);
    buf.copy(c, 0, start, end);
    (ex.chunks ??= []).push(c);
  }

  protected override onComplete(): void {
    this.completed = true;
  }

  /**
   * The response is complete; `extra`: bytes followed it (a protocol violation: do not reuse);
   * `now`: performance.now() of the read that completed it.
   */
  private finish(extra: boolean, now: number): void {
    const ex = this.ex!;
    this.ex = null;
    this.uses++;
    const reuse = !extra && this.keepAlive && !ex.req.reset;
    ex.remoteIp = this.remoteIp;
    ex.remotePort = this.remotePort;
    if (reuse) {
      this.phase = Phase.Idle;
      this.idleSince = now;
      this.owner.release(this);
    } else this.destroy();
    deliver(ex, undefined, now);
  }

  /** Fails the exchange in flight (or retries it once, per the Go rule) and closes the connection. */
  fail(err: Error): void {
    const ex = this.ex;
    const wasConnecting = this.phase === Phase.Connecting;
    this.ex = null;
    this.destroy();
    if (ex === null || ex.done) return;
    if (this.shouldRetry(ex, err)) {
      ex.retried = true;
      ex.resetForRetry();
      this.owner.retry(ex);
      return;
    }
    if (wasConnecting && !this.dnsFailed) {
      // A failed or timed-out connect: the attempt counts as connecting (a failed DNS lookup as
      // blocked), as the undici transport reports it.
      ex.connecting = span(this.connectFrom, performance.now());
    }
    ex.remoteIp = this.remoteIp;
    ex.remotePort = this.remotePort;
    deliver(ex, err);
  }

  /**
   * Go's transport retries a request once when a reused keep-alive connection turns out to be
   * closed by the server before any response byte arrived (the server's idle timeout raced our
   * write). Same rule as the undici transport: reused, nothing received, idempotent or body-less.
   */
  private shouldRetry(ex: FastExchange, err: Error): boolean {
    if (ex.retried || !ex.reused || this.resBytes !== 0 || err instanceof RequestTimeoutError) return false;
    const code = (err as { code?: string }).code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET' && code !== 'EPIPE') return false;
    const m = ex.req.method;
    return ex.req.body === null || m === 'GET' || m === 'HEAD' || m === 'OPTIONS' || m === 'PUT' || m === 'DELETE';
  }

  onClose(): void {
    if (this.ex !== null) {
      if (this.state === State.BodyEof && this.finishEof() && this.completed) {
        this.finish(false, performance.now());
        return;
      }
      this.fail(new SocketClosedError(this.resBytes !== 0));
      return;
    }
    this.destroy();
  }

  /** Closes the socket and drops the connection from its owner (idempotent). */
  destroy(): void {
    if (this.phase === Phase.Closed) return;
    this.phase = Phase.Closed;
    live.delete(this);
    this.owner.forget(this);
    this.socket.destroy();
  }
}

/** Delivers an outcome: timings, timer cleanup, then the sink. `tEnd`: when it ended (default: now). */
function deliver(ex: FastExchange, err: Error | undefined, tEnd = performance.now()): void {
  if (ex.done) return;
  ex.done = true;
  if (ex.timer !== null) {
    clearTimeout(ex.timer);
    ex.timer = null;
  }
  ex.deadline = 0;
  ex.error = err;
  if (err !== undefined) {
    ex.status = 0;
    ex.bytes = null;
    ex.chunks = null;
  }
  const tStart = ex.tStart;
  if (ex.tGotConn === 0) {
    // Failed before the request could be written (refused, connect timeout, timeout while connecting).
    const conn = ex.connecting;
    const blocked = span(tStart, tEnd) - conn;
    ex.timings = { blocked: blocked > 0 ? blocked : 0, connecting: conn, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 };
  } else {
    const tWrote = ex.tWrote > 0 ? ex.tWrote : tEnd;
    const tFirst = ex.tFirstByte > 0 ? ex.tFirstByte : tEnd;
    const sending = span(ex.tGotConn, tWrote);
    const waiting = span(tWrote, tFirst);
    const receiving = span(tFirst, tEnd);
    const blocked = span(tStart, ex.tGotConn) - ex.connecting;
    ex.timings = {
      blocked: blocked > 0 ? blocked : 0,
      connecting: ex.connecting,
      tls_handshaking: 0,
      sending,
      waiting,
      receiving,
      duration: sending + waiting + receiving,
    };
  }
  const sink = ex.sink;
  ex.req = undefined as unknown as FastExchange['req'];
  sink.onWire(ex);
}

/** Fails an exchange that never got a connection slot (used by the transport, e.g. on a bad port). */
export function deliverError(ex: FastExchange, err: Error): void {
  deliver(ex, err);
}

// --- socket event glue: shared functions, `this` is the socket ---

function onSocketRead(this: FastSocket, n: number, buf: Buffer): void {
  const c = this.conn;
  if (c !== null) c.onRead(n, buf);
}
function onSocketConnect(this: FastSocket): void {
  this.conn?.onConnect();
}
function onSocketError(this: FastSocket, err: Error): void {
  const c = this.conn;
  if (c === null) return;
  c.fail(err);
}
function onSocketClose(this: FastSocket): void {
  const c = this.conn;
  if (c === null) return;
  c.onClose();
  this.conn = null;
}
function onSocketDrain(this: FastSocket): void {
  this.conn?.onDrain();
}
function onSocketLookup(this: FastSocket, err: Error | null): void {
  const c = this.conn;
  if (c === null) return;
  c.connectFrom = performance.now();
  if (err !== null) c.dnsFailed = true;
}

/** 'http://host:port' → 'host:port' (the Host header), memoised: origins repeat. */
const hostCache = new Map<string, string>();
export function hostOf(origin: string): string {
  let h = hostCache.get(origin);
  if (h === undefined) {
    h = origin.slice(origin.indexOf('//') + 2);
    if (hostCache.size > 1000) hostCache.clear();
    hostCache.set(origin, h);
  }
  return h;
}

// --- timeouts: one sweep timer per thread ---

/** Every open connection of this thread (the sweep visits them). */
const live = new Set<FastConnection>();
/** Sweep period, ms: request timeouts ≥ COARSE_TIMEOUT_MIN_MS fire at most this late. */
export const SWEEP_MS = 100;
/** Shorter request timeouts get their own precise timer. */
export const COARSE_TIMEOUT_MIN_MS = 1000;
let sweeper: NodeJS.Timeout | null = null;
let idleTimeoutMs = 60_000;

/** Idle connections unused for this long are closed (undici's keepAliveTimeout analogue). Default 60 s. */
export function setIdleTimeoutMs(ms: number): void {
  idleTimeoutMs = ms;
}

function ensureSweeper(): void {
  if (sweeper !== null) return;
  sweeper = setInterval(sweep, SWEEP_MS);
  sweeper.unref();
}

function sweep(): void {
  if (live.size === 0) {
    clearInterval(sweeper!);
    sweeper = null;
    return;
  }
  const now = performance.now();
  for (const c of live) {
    const ex = c.ex;
    if (ex !== null && ex.deadline !== 0 && now >= ex.deadline) {
      const t = ex.deadline - ex.tStart;
      ex.deadline = 0;
      c.fail(new RequestTimeoutError(Math.round(t)));
    } else if (c.phase === Phase.Connecting && c.connectDeadline !== 0 && now >= c.connectDeadline) {
      c.fail(new ConnectTimeoutError());
    } else if (c.phase === Phase.Idle && now - c.idleSince >= idleTimeoutMs) {
      c.destroy();
    }
  }
}

/** Open connections of this thread (tests, memory measurements). */
export function liveConnections(): number {
  return live.size;
}
