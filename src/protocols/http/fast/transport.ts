import { performance } from 'node:perf_hooks';
import { RequestTimeoutError } from '../error-codes.js';
import type { Transport, WireRequest, WireResult } from '../transport.js';
import { COARSE_TIMEOUT_MIN_MS, deliverError, FastConnection, Phase, type ConnectionOwner, type ConnPool } from './connection.js';
import { MAX_HEAD_BYTES } from './parser.js';
import { plainHeaders } from './request-bytes.js';
import { FastExchange, type WireSink } from './result.js';

/**
 * The fast HTTP/1.1 transport: one per VU, like the undici one (k6: every VU has its own
 * connections). It serves plain `http:` requests whose headers it can write exactly as undici
 * would (see `plainHeaders`) and hands everything else (https, Expect, a user-set Host, ...) to a
 * fallback transport, the undici one, created on first need. The Transport seam is unchanged.
 *
 * It also offers `start(req, sink)`: the same exchange with the outcome delivered to
 * `sink.onWire` instead of a promise, so the client needs no promise of its own per request
 * beyond the one the script awaits.
 *
 * Per origin a pool keeps idle connections (LIFO, warm ones first), at most `maxIdlePerHost`.
 * The first origin a VU talks to lives in a field, not a Map: a VU of a typical test holds one
 * transport object, one pool and its connections (see docs/http.md, "Memory per VU").
 */
export interface FastTransportOptions {
  /** Idle connections kept per origin. Default 6 (k6 batchPerHost). */
  maxIdlePerHost?: number;
  /** TCP connect timeout, ms. Default 30 000 (k6's dialer). */
  connectTimeoutMs?: number;
  /**
   * Source addresses for new connections, used in turn (round robin across the thread). Default
   * none (the kernel picks). Each source address has its own ~28k ephemeral ports, so holding more
   * connections than that to one target takes several (e.g. 127.0.0.1-127.0.0.4 on loopback).
   */
  localAddresses?: readonly string[];
  /** Largest response head accepted, bytes. Default MAX_HEAD_BYTES (16 KiB, Node's). */
  maxResponseHeadBytes?: number;
  /** Creates the transport for requests the fast path does not serve. */
  fallback: () => Transport;
}

/** Thread-wide round robin over source addresses (shared by every VU of the thread). */
let nextLocal = 0;

class Pool implements ConnPool {
  readonly idle: FastConnection[] = [];
  readonly hostname: string;
  readonly port: number;
  constructor(readonly origin: string) {
    const u = new URL(origin);
    this.hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    this.port = u.port === '' ? 80 : Number(u.port);
  }
}

export class FastTransport implements Transport, ConnectionOwner {
  private readonly maxIdlePerHost: number;
  private readonly connectTimeoutMs: number;
  private readonly localAddresses: readonly string[] | undefined;
  private readonly makeFallback: () => Transport;
  private fallbackT: Transport | undefined;
  /** The first origin's pool (most VUs never need another); more origins go to `pools`. */
  private pool0: Pool | null = null;
  private pools: Map<string, Pool> | null = null;
  /** Every open connection of this transport (destroyAll/close): an array with swap-remove (a Set costs ≈ 150 bytes per VU more). */
  private readonly conns: FastConnection[] = [];
  private closed = false;
  private readonly maxHeadBytes: number;

  constructor(o: FastTransportOptions) {
    this.maxIdlePerHost = o.maxIdlePerHost ?? 6;
    this.connectTimeoutMs = o.connectTimeoutMs ?? 30_000;
    this.maxHeadBytes = o.maxResponseHeadBytes ?? MAX_HEAD_BYTES;
    this.localAddresses = o.localAddresses !== undefined && o.localAddresses.length > 0 ? o.localAddresses : undefined;
    this.makeFallback = o.fallback;
  }

  /** Whether this transport serves `req` itself (else the fallback does). */
  static serves(req: WireRequest): boolean {
    return req.protocol === 'http:' && plainHeaders(req.headers);
  }

  roundTrip(req: WireRequest): Promise<WireResult> {
    if (!FastTransport.serves(req)) return this.fallback().roundTrip(req);
    return new Promise((resolve) => this.start(req, { onWire: resolve }));
  }

  /**
   * Starts one exchange; `sink.onWire` gets the result (never synchronously for a network
   * exchange... except immediate local failures, which are delivered on the next tick).
   */
  start(req: WireRequest, sink: WireSink): void {
    if (!FastTransport.serves(req)) {
      const f = this.fallback() as Transport & { start?(r: WireRequest, s: WireSink): void };
      if (f.start !== undefined) f.start(req, sink);
      else f.roundTrip(req).then((r) => sink.onWire(r));
      return;
    }
    const ex = new FastExchange(req, sink);
    ex.tStart = performance.now();
    const t = req.timeoutMs;
    if (t > 0 && t !== Infinity) {
      // Long timeouts are checked by the connections' sweep (100 ms resolution, no timer per
      // request); short ones get a precise timer.
      if (t >= COARSE_TIMEOUT_MIN_MS) ex.deadline = ex.tStart + t;
      else ex.timer = setTimeout(onExchangeTimer, t, ex, t);
    }
    if (this.closed) {
      setImmediate(deliverError, ex, new Error('transport closed'));
      return;
    }
    this.dispatch(ex);
  }

  private dispatch(ex: FastExchange): void {
    const pool = this.poolFor(ex.req.origin);
    const c = pool.idle.pop();
    if (c !== undefined && c.phase === Phase.Idle) {
      c.start(ex);
      return;
    }
    let local: string | undefined;
    const la = this.localAddresses;
    if (la !== undefined) local = la[nextLocal++ % la.length];
    let conn: FastConnection;
    try {
      conn = new FastConnection(this, pool, local, this.connectTimeoutMs, this.maxHeadBytes);
    } catch (err) {
      // Synchronous failures (an invalid port, say) arrive like network errors, never as a throw.
      setImmediate(deliverError, ex, err as Error);
      return;
    }
    conn.index = this.conns.length;
    this.conns.push(conn);
    conn.start(ex);
  }

  private poolFor(origin: string): Pool {
    const p0 = this.pool0;
    if (p0 !== null && p0.origin === origin) return p0;
    if (p0 === null) return (this.pool0 = new Pool(origin));
    let m = this.pools;
    if (m === null) m = this.pools = new Map();
    let p = m.get(origin);
    if (p === undefined) m.set(origin, (p = new Pool(origin)));
    return p;
  }

  // --- ConnectionOwner ---

  release(c: FastConnection): void {
    const pool = c.pool;
    if (!this.closed && pool.idle.length < this.maxIdlePerHost) pool.idle.push(c);
    else c.destroy();
  }

  forget(c: FastConnection): void {
    const k = c.index;
    if (k >= 0) {
      const last = this.conns.pop()!;
      if (last !== c) {
        this.conns[k] = last;
        last.index = k;
      }
      c.index = -1;
    }
    const idle = c.pool.idle;
    const i = idle.indexOf(c);
    if (i >= 0) idle.splice(i, 1);
  }

  retry(ex: FastExchange): void {
    if (this.closed) deliverError(ex, new Error('transport closed'));
    else this.dispatch(ex);
  }

  // --- Transport lifecycle ---

  private fallback(): Transport {
    return (this.fallbackT ??= this.makeFallback());
  }

  closeIdle(): void {
    for (const p of this.allPools()) {
      const idle = p.idle.splice(0);
      for (const c of idle) c.destroy();
    }
    this.fallbackT?.closeIdle();
  }

  destroyAll(reason: Error): void {
    for (const c of [...this.conns]) {
      if (c.ex !== null) c.fail(reason);
      else c.destroy();
    }
    for (const p of this.allPools()) p.idle.length = 0;
    this.fallbackT?.destroyAll(reason);
  }

  async close(): Promise<void> {
    this.destroyAll(new Error('transport closed'));
    this.closed = true;
    this.pool0 = null;
    this.pools = null;
    const f = this.fallbackT;
    this.fallbackT = undefined;
    if (f !== undefined) await f.close();
  }

  private allPools(): Pool[] {
    const out: Pool[] = [];
    if (this.pool0 !== null) out.push(this.pool0);
    if (this.pools !== null) for (const p of this.pools.values()) out.push(p);
    return out;
  }
}

function onExchangeTimer(ex: FastExchange, t: number): void {
  ex.timer = null;
  if (ex.done) return;
  const err = new RequestTimeoutError(t);
  if (ex.conn !== null) ex.conn.fail(err);
  else deliverError(ex, err);
}
