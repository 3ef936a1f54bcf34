import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { NormalizedConfig } from './config.js';
import { BodyMode, type TargetRequest, type TargetResponse, type CompiledRoute, type CompiledStorms } from './context.js';
import { Limiter } from './concurrency.js';
import { RateLimiter } from './rate-limit.js';
import { readBody } from './request-body.js';
import { abort, isGone, sendBody, sendError } from './respond.js';
import { Ring } from './ring.js';
import { Rng } from './rng.js';
import { BadPathError, Router } from './router.js';
import { Schedule } from './schedule.js';
import { StatsRegistry } from './stats.js';

/**
 * The request pipeline. Each request walks these steps, possibly pausing between them (timers,
 * queues, stalls); `advance(res)` resumes it at `res.step`:
 *
 *   ADMIT ──► GLOBAL_SLOT ──► ROUTE_SLOT ──► BODY ──► WORK ──► RESPOND
 *   storms,    service-wide    route          read     latency   errors.* or the
 *   rate       concurrency     concurrency    body     timer     route's handler
 *   limits     (queue / 503)   (queue / 503)
 *
 * A stall freezes every step: `advance` first checks the stall schedule and, inside a window, parks the
 * request until the window ends (one shared timer for all parked requests). Streaming handlers check
 * it before each write. Routes with nothing to wait for (`fast`) skip the pipeline entirely when the
 * service has no stalls, storms or service-wide limits.
 */
const S_ADMIT = 0;
const S_GLOBAL_SLOT = 1;
const S_ROUTE_SLOT = 2;
const S_BODY = 3;
const S_WORK = 4;
const S_RESPOND = 5;

/** Slot bits in `res.slots`. */
const SLOT_GLOBAL = 1;
const SLOT_ROUTE = 2;

/** One running target: routes, limits, schedules, stats, and the request pipeline. */
export class Service {
  /** performance.now() at start: the origin of stall and storm schedules. */
  readonly origin = performance.now();
  readonly rng: Rng;
  readonly stats = new StatsRegistry();
  readonly router = new Router<CompiledRoute>();
  readonly routes: CompiledRoute[] = [];
  readonly stalls: Schedule | null;
  readonly storms: CompiledStorms | null;
  readonly rateLimiter: RateLimiter | null;
  readonly rateStatus: number;
  readonly limiter: Limiter<TargetResponse> | null;
  /** Requests in service now (routed, not yet settled). */
  inFlight = 0;
  /** Does every request need the pipeline (service-wide stalls, storms or limits)? */
  private readonly gated: boolean;
  private readonly parked = new Ring<TargetResponse>();
  private parkTimer: NodeJS.Timeout | null = null;
  /** Request-id prefix: random per run, so ids from two runs never collide. */
  private readonly ridPrefix = randomBytes(4).toString('hex') + '-';
  private ridSeq = 0;
  private unmatchedRoute: CompiledRoute | null = null;

  constructor(readonly config: NormalizedConfig) {
    this.rng = new Rng(config.seed);
    this.stalls = config.stalls.length > 0 ? new Schedule(config.stalls, this.origin) : null;
    this.storms = compileStorms(config.storms, this.origin);
    this.rateLimiter = config.rateLimit ? new RateLimiter(config.rateLimit, this.origin) : null;
    this.rateStatus = config.rateLimit?.status ?? 429;
    this.limiter = config.concurrency ? new Limiter<TargetResponse>(config.concurrency.max, config.concurrency.queue, this.onGlobalSlot) : null;
    this.gated = this.stalls !== null || this.storms !== null || this.rateLimiter !== null || this.limiter !== null;
  }

  /**
   * A route's random stream: derived from the config seed and the route (method and path), so a
   * seeded target is reproducible per route; random when there is no seed. The seed's low 32 bits
   * count (the generator's state is 32-bit words).
   */
  routeRng(key: string): Rng {
    if (this.config.seed === undefined) return new Rng();
    let h = 0x811c9dc5; // FNV-1a
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return new Rng((this.config.seed ^ h) >>> 0);
  }

  /** Adds compiled routes (in precedence order). */
  addRoutes(routes: CompiledRoute[]): void {
    for (const r of routes) {
      this.routes.push(r);
      this.router.add(r.method, r.path, r);
    }
  }

  /** The route for unmatched requests (404/405), set by the builder. */
  setUnmatched(r: CompiledRoute): void {
    this.unmatchedRoute = r;
  }

  /** Requests waiting in concurrency queues. */
  get queued(): number {
    let n = this.limiter?.queued ?? 0;
    for (const r of this.routes) if (r.limiter) n += r.limiter.queued;
    return n;
  }

  /** Milliseconds until the current stall ends (0 when not stalled). */
  stallLeft(): number {
    return this.stalls === null ? 0 : this.stalls.remaining(performance.now());
  }

  /** http 'request' listener (bound once). */
  readonly onRequest = (req: TargetRequest, res: TargetResponse): void => {
    res.t0 = performance.now();
    res.svc = this;
    res.requestId = scanHeaders(req.rawHeaders) ?? this.ridPrefix + (++this.ridSeq).toString(36);
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    res.method = method;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (q >= 0) res.search = url.slice(q + 1);
    res.pathname = path;
    if (!sawHost && req.httpVersionMinor === 1 && req.httpVersionMajor === 1) {
      this.answerUnmatched(res, 400, 'HTTP/1.1 requests need a Host header');
      return;
    }
    if (path.charCodeAt(0) !== 47 /* / */) {
      this.answerUnmatched(res, 400, `request target must be a path starting with "/", got ${JSON.stringify(path.slice(0, 100))}`);
      return;
    }
    let route: CompiledRoute | undefined;
    try {
      route = this.router.match(method, path);
    } catch (e) {
      if (!(e instanceof BadPathError)) throw e;
      this.answerUnmatched(res, 400, e.message);
      return;
    }
    if (route === undefined) {
      this.answerUnmatched(res, 0, '');
      return;
    }
    res.params = this.router.params;
    res.route = route;
    if (route.internal) {
      route.handler.respond(res);
      return;
    }
    this.inFlight++;
    res.seq = ++route.seq;
    if (route.fast && !this.gated) {
      route.handler.respond(res);
      return;
    }
    res.step = S_ADMIT;
    this.advance(res);
  };

  /** Resumes a request's pipeline at `res.step` (see the diagram above). */
  advance(res: TargetResponse): void {
    if (this.stalls !== null) {
      const left = this.stalls.remaining(performance.now());
      if (left > 0) {
        this.park(res, left);
        return;
      }
    }
    const route = res.route!;
    if (res.step === S_ADMIT) {
      if (this.storms !== null && this.refuseByStorm(res, this.storms)) return;
      if (route.storms !== null && this.refuseByStorm(res, route.storms, route.rng)) return;
      if (route.throttle !== null && this.refuseByStorm(res, route.throttle, route.rng)) return;
      if (this.rateLimiter !== null && this.refuseByRate(res, this.rateLimiter, this.rateStatus)) return;
      if (route.rateLimiter !== null && this.refuseByRate(res, route.rateLimiter, route.rateStatus)) return;
      res.step = S_GLOBAL_SLOT;
    }
    if (res.step === S_GLOBAL_SLOT) {
      res.step = S_ROUTE_SLOT;
      if (this.limiter !== null) {
        const got = this.limiter.acquire(res);
        if (got === 'queued') return; // onGlobalSlot resumes at S_ROUTE_SLOT
        if (got === 'full') return sendError(res, 503, 'service at capacity: concurrency queue is full', { 'retry-after': '1' }, 'queue_full');
        res.slots |= SLOT_GLOBAL;
      }
    }
    if (res.step === S_ROUTE_SLOT) {
      res.step = S_BODY;
      if (route.limiter !== null) {
        const got = route.limiter.acquire(res);
        if (got === 'queued') return; // onRouteSlot resumes at S_BODY
        if (got === 'full') return sendError(res, 503, 'route at capacity: concurrency queue is full', { 'retry-after': '1' }, 'queue_full');
        res.slots |= SLOT_ROUTE;
      }
    }
    if (res.step === S_BODY) {
      res.step = S_WORK;
      if (route.bodyMode !== BodyMode.None) {
        readBody(res, route.bodyMode, route.bodyLimit); // its 'end' resumes at S_WORK
        return;
      }
    }
    if (res.step === S_WORK) {
      res.step = S_RESPOND;
      const ms = route.latency === null ? 0 : route.latency.sample(route.rng);
      if (ms > 0) {
        res.dueAt = performance.now() + ms;
        res.timer = setTimeout(onLatencyDone, ms, res);
        res.timer.unref();
        return;
      }
    }
    if (isGone(res)) return abort(res);
    if (route.errors !== null && this.injectError(res, route)) return;
    route.handler.respond(res);
  }

  /** errors.*: one uniform draw decides. Returns true when the request was handled here. */
  private injectError(res: TargetResponse, route: CompiledRoute): boolean {
    const e = route.errors!;
    const rng = route.rng;
    const u = rng.next();
    if (u < e.statusBelow) {
      const status = e.statuses.length === 1 ? e.statuses[0]! : e.statuses[Math.floor(rng.next() * e.statuses.length)]!;
      if (e.body !== null) {
        sendBody(res, status, { 'content-type': e.body.contentType }, e.body.render(res));
      } else sendError(res, status, `injected error (errors.rate on ${route.name})`, undefined, 'injected_error');
      return true;
    }
    if (u < e.resetBelow) {
      res.settled = true;
      this.inFlight--;
      if (res.slots !== 0) this.releaseSlots(res);
      route.stats.resets++;
      res.req.socket.resetAndDestroy();
      return true;
    }
    if (u < e.hangBelow) {
      // Never answer; account for it when the client (or close()) drops the connection.
      res.on('close', onHungClose);
      return true;
    }
    if (u < e.slowBelow) res.dripMs = e.slowMs;
    return false;
  }

  private refuseByStorm(res: TargetResponse, s: CompiledStorms, rng: Rng = this.rng): boolean {
    let i = 0;
    let left = Number.POSITIVE_INFINITY;
    if (s.schedule !== null) {
      const now = performance.now();
      i = s.schedule.active(now);
      if (i < 0) return false;
      left = s.schedule.remainingOf(i, now - this.origin);
    }
    if (s.rate[i]! < 1 && rng.next() >= s.rate[i]!) return false;
    const retryMs = s.retryAfterMs[i]! > 0 ? s.retryAfterMs[i]! : left;
    sendError(res, s.status[i]!, s.schedule === null ? 'throttled, retry later' : 'overloaded (storm window), retry later', { 'retry-after': String(Math.max(1, Math.ceil(retryMs / 1000))) }, 'throttled');
    return true;
  }

  private refuseByRate(res: TargetResponse, rl: RateLimiter, status: number): boolean {
    const waitMs = rl.take(rl.keyHeader === undefined ? '' : res.header(rl.keyHeader), performance.now());
    if (waitMs === 0) return false;
    sendError(res, status, `rate limit exceeded (${rl.keyHeader === undefined ? 'all clients' : `per ${rl.keyHeader}`}), retry later`, { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) }, 'rate_limit_exceeded');
    return true;
  }

  /** Releases the concurrency slots `res` holds (the next waiter, if any, takes each over). */
  releaseSlots(res: TargetResponse): void {
    const held = res.slots;
    res.slots = 0;
    if ((held & SLOT_ROUTE) !== 0) res.route!.limiter!.release();
    if ((held & SLOT_GLOBAL) !== 0) this.limiter!.release();
  }

  private readonly onGlobalSlot = (res: TargetResponse): void => {
    res.slots |= SLOT_GLOBAL;
    if (isGone(res)) abort(res);
    else this.advance(res);
  };

  /** Limiter callback for a route's own concurrency limit. */
  readonly onRouteSlot = (res: TargetResponse): void => {
    res.slots |= SLOT_ROUTE;
    if (isGone(res)) abort(res);
    else this.advance(res);
  };

  /** Holds a request until the stall ends. */
  private park(res: TargetResponse, leftMs: number): void {
    this.parked.push(res);
    if (this.parkTimer === null) {
      this.parkTimer = setTimeout(this.unpark, Math.ceil(leftMs) + 1);
      this.parkTimer.unref();
    }
  }

  private readonly unpark = (): void => {
    this.parkTimer = null;
    // Only the requests parked so far: any re-parked by advance() wait for the next timer.
    for (let n = this.parked.length; n > 0; n--) {
      const res = this.parked.shift()!;
      if (isGone(res)) abort(res);
      else this.advance(res);
    }
  };

  /** 404 / 405 / 400 before routing, recorded under "(unmatched)". */
  private answerUnmatched(res: TargetResponse, status: number, message: string): void {
    const route = this.unmatchedRoute!;
    res.route = route;
    this.inFlight++;
    if (status === 0) {
      const allowed = this.router.allowedMethods(res.pathname);
      if (allowed.length > 0) {
        status = 405;
        message = `${res.method} not allowed on ${res.pathname}; allowed: ${allowed.join(', ')}`;
        return sendError(res, status, message, { allow: allowed.join(', ') }, 'method_not_allowed');
      }
      status = 404;
      message = `no route for ${res.method} ${res.pathname}`;
    }
    sendError(res, status, message, undefined, status === 404 ? 'not_found' : 'bad_request');
  }

  /** http 'clientError' listener: malformed requests get 400 and the connection closes; never throws. */
  readonly onClientError = (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    this.stats.clientErrors++;
    // Malformed requests (oversized heads included) get 400; a request whose head or body did not
    // arrive within Node's requestTimeout/headersTimeout gets 408.
    const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const status = timeout ? '408 Request Timeout' : '400 Bad Request';
    const body = JSON.stringify({ error: { message: timeout ? 'request not received in time' : `malformed request: ${err.code ?? err.message}`, type: 'invalid_request_error', code: timeout ? 'request_timeout' : 'bad_request', param: null, status: timeout ? 408 : 400 } });
    const head = `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${this.ridPrefix}${(++this.ridSeq).toString(36)}\r\nconnection: close\r\n\r\n`;
    // Garbage after a complete request on a kept-alive connection: the earlier response is already
    // written, so the 400 can follow it. A response still in progress would be corrupted: just close.
    const current = (socket as Socket & { _httpMessage?: { headersSent: boolean; writableEnded: boolean } })._httpMessage;
    if (current && current.headersSent && !current.writableEnded) socket.destroy();
    else socket.end(head + body);
  };

  /** Refills rate-limit buckets (part of a state reset). */
  resetRateLimits(): void {
    const now = performance.now();
    this.rateLimiter?.reset(now);
    for (const r of this.routes) r.rateLimiter?.reset(now);
  }

  /** Clears timers so the process can exit. */
  shutdown(): void {
    if (this.parkTimer !== null) clearTimeout(this.parkTimer);
    this.parkTimer = null;
  }

}

/**
 * Node timers count from the loop's cached clock in whole milliseconds, so they can fire up to ~1 ms
 * before the requested delay has passed on performance.now(). Ground truth must never be shorter
 * than the configured latency: an early timer is re-armed for the remainder.
 */
function onLatencyDone(res: TargetResponse): void {
  const left = res.dueAt - performance.now();
  if (left > 0) {
    res.timer = setTimeout(onLatencyDone, left, res);
    res.timer.unref();
    return;
  }
  res.timer = null;
  res.svc!.advance(res);
}

function onHungClose(this: TargetResponse): void {
  if (this.settled) return;
  this.settled = true;
  const svc = this.svc!;
  svc.inFlight--;
  if (this.slots !== 0) svc.releaseSlots(this);
  this.route!.stats.hung++;
}

/** Set by scanHeaders: did the request have a Host header? (A module variable: no allocation per request.) */
let sawHost = false;

/**
 * One pass over the raw header names (cheaper than building req.headers): notes whether Host is
 * present (Node's own Host check is disabled so that its 400 also carries x-request-id) and returns
 * the client's x-request-id, if any, to echo back.
 */
function scanHeaders(raw: string[]): string | undefined {
  sawHost = false;
  let rid: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!;
    if (k.length === 4) {
      // Common spellings first: toLowerCase allocates.
      if (k === 'Host' || k === 'host' || k.toLowerCase() === 'host') sawHost = true;
    } else if (k.length === 12 && rid === undefined && (k === 'x-request-id' || k.toLowerCase() === 'x-request-id')) {
      const v = raw[i + 1]!;
      if (v.length > 0 && v.length <= 200) rid = v;
    }
  }
  return rid;
}

/** Compiles storm windows (service-wide or per route); null when there are none. */
export function compileStorms(storms: readonly { every?: number | undefined; for: number; at?: number | undefined; rate: number; status: number; retryAfter?: number | undefined }[] | undefined, origin: number): CompiledStorms | null {
  if (!storms || storms.length === 0) return null;
  return {
    schedule: new Schedule(storms, origin),
    rate: storms.map((s) => s.rate),
    status: storms.map((s) => s.status),
    retryAfterMs: storms.map((s) => s.retryAfter ?? 0),
  };
}

