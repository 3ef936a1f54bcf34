import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Client, buildConnector } from 'undici';
import { RequestTimeoutError } from './error-codes.js';
import { span, type Timings } from './timings.js';
import type { TlsSettings, Transport, WireRequest, WireResult } from './transport.js';

/**
 * The undici Transport: one per VU (k6: every VU has its own connections).
 *
 * Why our own pool of `Client`s rather than an undici `Agent`: a `Client` with pipelining 1 is
 * exactly one connection, and we hand it at most one request at a time. That makes timing
 * attribution exact: the connector of a Client records when its socket started connecting,
 * finished TCP and finished TLS; the single request that next runs on it (`onConnect`) takes those
 * phases as its own, and every later request on the same socket has connecting = 0. An Agent's
 * Pool picks the connection internally and never tells the request handler which socket it got.
 *
 * Per origin (and TLS settings) a `OriginPool` keeps idle Clients (LIFO, so warm connections are
 * reused first), at most `maxIdlePerHost` of them (k6 sets Go's MaxIdleConnsPerHost to
 * batchPerHost); extra ones are closed when released. New Clients are created on demand, without
 * a cap: concurrency within one VU is bounded by http.batch's limits.
 */

export interface UndiciTransportOptions {
  /** Skip TLS certificate verification (k6 insecureSkipTLSVerify). Default false. */
  insecureSkipTLSVerify?: boolean;
  /** Extra trusted CA certificates, PEM; added to Node's bundled roots. Default none. */
  /** Plain http:// origins speak HTTP/2 without negotiation (h2c, prior knowledge). Default false. */
  h2c?: boolean | undefined;
  tlsCACerts?: string | readonly string[] | undefined;
  /** Idle connections kept per origin. Default 6 (k6 batchPerHost). */
  maxIdlePerHost?: number;
  /** TCP + TLS connect timeout in ms. Default 30 000 (k6's dialer timeout). */
  connectTimeoutMs?: number;
  /** Upper bound for keeping an idle connection when the server gives no keep-alive hint, ms. Default 60 000. */
  keepAliveTimeoutMs?: number;
  /** Largest response head accepted, bytes (undici's maxHeaderSize). Default 16 KiB. */
  maxResponseHeadBytes?: number;
}

const kSlot = Symbol('volley.slot');
type SlotSocket = (Socket | TLSSocket) & { [kSlot]?: Slot };
type Connector = (opts: buildConnector.Options, cb: buildConnector.Callback) => SlotSocket;

/** One connection: an undici Client (pipelining 1) and the timing of its current socket. */
class Slot {
  readonly client: Client;
  socket: SlotSocket | null = null;
  /** performance.now() when the connector was called (DNS + TCP start). */
  connectStart = 0;
  /** DNS lookup done (only for host names); 0 = no lookup. */
  dnsEnd = 0;
  /** The DNS lookup failed (the whole attempt then counts as blocked). */
  dnsFailed = false;
  tcpEnd = 0;
  tlsEnd = 0;
  /** A socket connected and no request has claimed its connect timings yet. */
  fresh = false;
  remoteIp = '';
  remotePort = 0;
  tlsVersion = '';
  /** 'HTTP/2.0' when the connection speaks HTTP/2 (ALPN over TLS, or h2c), else 'HTTP/1.1' (k6's `proto`). */
  proto = 'HTTP/1.1';
  destroyed = false;

  constructor(readonly pool: OriginPool) {
    // The connect function is the one closure per connection (not per request).
    this.client = new Client(pool.origin, {
      connect: (opts, cb) => this.connect(opts as buildConnector.Options, cb as buildConnector.Callback),
      pipelining: 1,
      // HTTP/2 when the server picks it in the TLS handshake (ALPN), as k6 does; h2c only when asked.
      allowH2: true,
      keepAliveTimeout: pool.transport.keepAliveTimeoutMs,
      keepAliveMaxTimeout: pool.transport.keepAliveTimeoutMs,
      // Our own per-exchange timer covers the whole request; undici's own would only cover parts.
      headersTimeout: 0,
      bodyTimeout: 0,
      maxHeaderSize: pool.transport.maxResponseHeadBytes,
    });
    // A Client without listeners would crash the process on 'error'; errors reach handlers anyway.
    this.client.on('connectionError', noop);
  }

  private connect(opts: buildConnector.Options, cb: buildConnector.Callback): SlotSocket {
    this.connectStart = performance.now();
    this.dnsEnd = 0;
    this.dnsFailed = false;
    this.tcpEnd = 0;
    this.tlsEnd = 0;
    this.fresh = false;
    this.socket = null;
    const socket = this.pool.connector(opts, (err, sock) => {
      if (err || !sock) {
        cb(err ?? new Error('connect failed'), null);
        return;
      }
      const t = performance.now();
      if (this.pool.https) {
        this.tlsEnd = t;
        if (this.tcpEnd === 0) this.tcpEnd = t;
        this.tlsVersion = k6TlsVersion((sock as TLSSocket).getProtocol?.() ?? '');
      } else {
        this.tcpEnd = t;
      }
      this.proto = (sock as TLSSocket).alpnProtocol === 'h2' ? 'HTTP/2.0' : 'HTTP/1.1';
      this.fresh = true;
      this.socket = sock as SlotSocket;
      this.remoteIp = sock.remoteAddress ?? '';
      this.remotePort = sock.remotePort ?? 0;
      cb(null, sock);
    });
    socket[kSlot] = this;
    socket.once('lookup', onSocketLookup);
    if (this.pool.https) socket.once('connect', onSocketTcpConnect);
    return socket;
  }

  destroy(reason?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.pool.transport.slots.delete(this);
    this.client.destroy(reason ?? null).catch(noop);
  }
}

function onSocketLookup(this: SlotSocket, err: Error | null): void {
  const slot = this[kSlot];
  if (slot) {
    slot.dnsEnd = performance.now();
    if (err) slot.dnsFailed = true;
  }
}
function onSocketTcpConnect(this: SlotSocket): void {
  const slot = this[kSlot];
  if (slot) slot.tcpEnd = performance.now();
}
function noop(): void {}

function k6TlsVersion(p: string): string {
  switch (p) {
    case 'TLSv1.3':
      return 'tls1.3';
    case 'TLSv1.2':
      return 'tls1.2';
    case 'TLSv1.1':
      return 'tls1.1';
    case 'TLSv1':
      return 'tls1.0';
    default:
      return p;
  }
}

class OriginPool {
  readonly idle: Slot[] = [];
  readonly https: boolean;
  readonly connector: Connector;

  constructor(
    readonly transport: UndiciTransport,
    readonly origin: string,
    tls: TlsSettings | undefined,
  ) {
    this.https = origin.startsWith('https:');
    const insecure = tls?.insecureSkipVerify ?? transport.insecureSkipTLSVerify;
    const extraCa = tls?.ca ?? transport.tlsCACerts;
    this.connector = buildConnector({
      timeout: transport.connectTimeoutMs,
      rejectUnauthorized: !insecure,
      allowH2: true,
      ...(transport.h2c && !this.https ? { useH2c: true } : {}),
      ...(extraCa !== undefined ? { ca: [...rootCertificates, ...(Array.isArray(extraCa) ? extraCa : [extraCa])] } : {}),
    }) as unknown as Connector;
  }

  acquire(): Slot {
    const slot = this.idle.pop();
    if (slot !== undefined) return slot;
    const s = new Slot(this);
    this.transport.slots.add(s);
    return s;
  }

  release(slot: Slot): void {
    if (slot.destroyed) return;
    if (this.idle.length < this.transport.maxIdlePerHost) this.idle.push(slot);
    else slot.destroy();
  }
}

/**
 * One in-flight exchange. It is the undici handler (legacy callback API: it reports the moments we
 * time — onConnect when the request is about to be written on a socket, onRequestSent when it has
 * been written, onResponseStarted at the first response byte) and, once finished, the WireResult
 * itself, so a request costs one object here plus its timings.
 */
class Exchange implements WireResult {
  status = 0;
  statusText = '';
  rawHeaders: Buffer[] = EMPTY_HEADERS;
  body: Buffer[];
  bodyLength = 0;
  timings: Timings = undefined as unknown as Timings;
  bytesSent = 0;
  bytesReceived = 0;
  proto = 'HTTP/1.1';
  remoteIp = '';
  remotePort = 0;
  tlsVersion = '';
  error: unknown = undefined;

  // Moments, performance.now() ms; 0 = not reached.
  tStart = 0;
  tGotConn = 0;
  tWrote = 0;
  tFirstByte = 0;
  // Connect phases claimed from a fresh socket.
  connecting = 0;
  tlsHandshaking = 0;
  reused = false;
  read0 = 0;
  written0 = 0;

  abortFn: ((err?: Error) => void) | null = null;
  timer: NodeJS.Timeout | null = null;
  done = false;
  retried = false;
  resolve: (r: WireResult) => void = noop;

  constructor(
    public slot: Slot,
    public req: WireRequest,
  ) {
    this.body = req.keepBody ? [] : EMPTY_BODY;
  }

  // --- undici handler (legacy API) ---

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    const t = performance.now();
    this.tGotConn = t;
    const slot = this.slot;
    if (slot.fresh) {
      // This request triggered (or waited for) the connection: the connect phases are its own.
      slot.fresh = false;
      this.reused = false;
      const tcpStart = slot.dnsEnd > 0 ? slot.dnsEnd : slot.connectStart;
      this.connecting = span(tcpStart, slot.tcpEnd);
      this.tlsHandshaking = slot.tlsEnd > 0 ? span(slot.tcpEnd, slot.tlsEnd) : 0;
    } else {
      this.reused = true;
    }
    const s = slot.socket;
    if (s !== null) {
      this.read0 = s.bytesRead;
      this.written0 = s.bytesWritten;
    }
  }

  onRequestSent(): void {
    this.tWrote = performance.now();
  }

  onResponseStarted(): void {
    if (this.tFirstByte === 0) this.tFirstByte = performance.now();
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (status < 200) return true; // 1xx informational: the final response follows
    if (this.tFirstByte === 0) this.tFirstByte = performance.now();
    if (this.tWrote === 0) this.tWrote = this.tFirstByte; // server answered before the body was written
    this.status = status;
    this.statusText = statusText;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bodyLength += chunk.length;
    if (this.req.keepBody) this.body.push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish(undefined);
  }

  onError(err: Error): void {
    // The server closed the connection: before the response or in the middle of it (k6: EOF vs unexpected EOF).
    if (this.tFirstByte !== 0 && (err as { code?: string }).code === 'UND_ERR_SOCKET') (err as { midResponse?: boolean }).midResponse = true;
    this.finish(err);
  }

  // --- lifecycle ---

  /** Fails the exchange (timeout, VU stop): aborts the socket if writing started, else drops the connection. */
  fail(err: Error): void {
    if (this.done) return;
    if (this.abortFn !== null) this.abortFn(err); // undici calls onError(err) synchronously
    if (!this.done) {
      this.slot.destroy();
      this.finish(err);
    }
  }

  private finish(err: Error | undefined): void {
    if (this.done) return;
    const tEnd = performance.now();
    const slot = this.slot;

    if (err !== undefined && this.shouldRetry(err)) {
      this.retry(slot);
      return;
    }

    this.done = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }

    const s = slot.socket;
    if (s !== null && this.tGotConn > 0) {
      this.bytesSent = s.bytesWritten - this.written0;
      this.bytesReceived = s.bytesRead - this.read0;
      this.remoteIp = slot.remoteIp;
      this.remotePort = slot.remotePort;
      this.tlsVersion = slot.tlsVersion;
      this.proto = slot.proto;
    }
    this.timings = this.computeTimings(tEnd, slot);

    if (err !== undefined) {
      this.error = err;
      // Go closes the connection after a failed exchange; so do we.
      slot.destroy();
    } else if (this.req.reset) {
      slot.destroy();
    } else {
      slot.pool.release(slot);
    }
    this.abortFn = null;
    this.req = undefined as unknown as WireRequest;
    const resolve = this.resolve;
    this.resolve = noop;
    resolve(this);
  }

  private computeTimings(tEnd: number, slot: Slot): Timings {
    const tStart = this.tStart;
    if (this.tGotConn === 0) {
      // Failed before the request could be written (connect error, timeout while connecting).
      let blocked = span(tStart, tEnd);
      let connecting = 0;
      let tlsHs = 0;
      if (slot.connectStart >= tStart && !slot.dnsFailed) {
        const tcpStart = slot.dnsEnd > 0 ? slot.dnsEnd : slot.connectStart;
        blocked = span(tStart, tcpStart);
        if (slot.tcpEnd > 0) {
          connecting = span(tcpStart, slot.tcpEnd);
          tlsHs = span(slot.tcpEnd, tEnd);
        } else {
          connecting = span(tcpStart, tEnd);
        }
      }
      return { blocked, connecting, tls_handshaking: tlsHs, sending: 0, waiting: 0, receiving: 0, duration: 0 };
    }
    const tGot = this.tGotConn;
    const tWrote = this.tWrote > 0 ? this.tWrote : tEnd;
    const tFirst = this.tFirstByte > 0 ? this.tFirstByte : tEnd;
    const sending = span(tGot, tWrote);
    const waiting = span(tWrote, tFirst);
    const receiving = span(tFirst, tEnd);
    const blocked = span(tStart, tGot) - this.connecting - this.tlsHandshaking;
    return {
      blocked: blocked > 0 ? blocked : 0,
      connecting: this.connecting,
      tls_handshaking: this.tlsHandshaking,
      sending,
      waiting,
      receiving,
      duration: sending + waiting + receiving,
    };
  }

  /**
   * Go's transport retries a request once when a reused keep-alive connection turns out to be
   * closed by the server before any response byte arrived (the server's idle timeout raced our
   * write). Same rule here: reused connection, nothing received, idempotent or body-less request.
   */
  private shouldRetry(err: Error): boolean {
    if (this.retried || !this.reused || this.tFirstByte !== 0 || err instanceof RequestTimeoutError) return false;
    const code = (err as { code?: string }).code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET' && code !== 'EPIPE') return false;
    const m = this.req.method;
    return this.req.body === null || m === 'GET' || m === 'HEAD' || m === 'OPTIONS' || m === 'PUT' || m === 'DELETE';
  }

  private retry(old: Slot): void {
    this.retried = true;
    old.destroy();
    this.tGotConn = 0;
    this.tWrote = 0;
    this.tFirstByte = 0;
    this.connecting = 0;
    this.tlsHandshaking = 0;
    this.reused = false;
    this.abortFn = null;
    this.status = 0;
    this.rawHeaders = EMPTY_HEADERS;
    if (this.body !== EMPTY_BODY) this.body.length = 0;
    this.bodyLength = 0;
    this.slot = old.pool.acquire();
    this.slot.pool.transport.dispatch(this);
  }
}

const EMPTY_HEADERS: Buffer[] = [];
/** Shared by exchanges that do not keep their body (never pushed to: see onData). */
const EMPTY_BODY: Buffer[] = [];

function onExchangeTimeout(ex: Exchange, timeoutMs: number): void {
  ex.timer = null;
  ex.fail(new RequestTimeoutError(timeoutMs));
}

export class UndiciTransport implements Transport {
  readonly insecureSkipTLSVerify: boolean;
  readonly h2c: boolean;
  readonly tlsCACerts: string | readonly string[] | undefined;
  readonly maxIdlePerHost: number;
  readonly connectTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxResponseHeadBytes: number;
  /** Every live connection, for destroyAll/close. */
  readonly slots = new Set<Slot>();
  private readonly pools = new Map<string, OriginPool>();
  /**
   * Reused dispatch options: undici copies what it needs in `dispatch()` synchronously (the
   * Request constructor), so one object serves every request of this VU.
   */
  private readonly opts = {
    path: '/',
    method: 'GET',
    headers: [] as string[],
    body: null as Uint8Array | null,
    reset: false,
  };

  constructor(o: UndiciTransportOptions = {}) {
    this.insecureSkipTLSVerify = o.insecureSkipTLSVerify ?? false;
    this.tlsCACerts = o.tlsCACerts;
    this.h2c = o.h2c === true;
    this.maxIdlePerHost = o.maxIdlePerHost ?? 6;
    this.connectTimeoutMs = o.connectTimeoutMs ?? 30_000;
    this.keepAliveTimeoutMs = o.keepAliveTimeoutMs ?? 60_000;
    this.maxResponseHeadBytes = o.maxResponseHeadBytes ?? 16 * 1024;
  }

  roundTrip(req: WireRequest): Promise<WireResult> {
    const pool = this.poolFor(req);
    const ex = new Exchange(pool.acquire(), req);
    const p = new Promise<WireResult>((resolve) => {
      ex.resolve = resolve;
    });
    ex.tStart = performance.now();
    const t = req.timeoutMs;
    if (t > 0 && t !== Infinity) ex.timer = setTimeout(onExchangeTimeout, t, ex, t);
    this.dispatch(ex);
    return p;
  }

  /** Hands an exchange to its slot's Client. */
  dispatch(ex: Exchange): void {
    const req = ex.req;
    const o = this.opts;
    o.path = req.path;
    o.method = req.method;
    o.headers = req.headers;
    o.body = req.body;
    o.reset = req.reset;
    try {
      ex.slot.client.dispatch(o, ex);
    } catch (err) {
      ex.onError(err as Error);
    } finally {
      o.headers = EMPTY_STRINGS;
      o.body = null;
    }
  }

  closeIdle(): void {
    for (const pool of this.pools.values()) {
      for (const slot of pool.idle) slot.destroy();
      pool.idle.length = 0;
    }
  }

  destroyAll(reason: Error): void {
    // Destroying a Client fails its running and queued requests (their onError), so in-flight
    // exchanges end here too, with `reason`.
    for (const slot of [...this.slots]) slot.destroy(reason);
    for (const pool of this.pools.values()) pool.idle.length = 0;
  }

  async close(): Promise<void> {
    this.destroyAll(new Error('transport closed'));
    this.pools.clear();
  }

  private poolFor(req: WireRequest): OriginPool {
    const key = req.tls === undefined ? req.origin : `${req.origin}\u0000${tlsKey(req.tls)}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = new OriginPool(this, req.origin, req.tls);
      this.pools.set(key, pool);
    }
    return pool;
  }
}

const EMPTY_STRINGS: string[] = [];

function tlsKey(t: TlsSettings): string {
  const ca = t.ca === undefined ? '' : Array.isArray(t.ca) ? t.ca.join('\n') : t.ca;
  return `${t.insecureSkipVerify === undefined ? '' : t.insecureSkipVerify ? '1' : '0'}|${ca}`;
}
