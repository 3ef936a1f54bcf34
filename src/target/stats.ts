import * as hdr from 'hdr-histogram-js';

/**
 * Ground truth: what the target really did. Per route, the service time of each answered request
 * (first byte received → last byte handed to the kernel) in an HDR histogram of microseconds with 3
 * significant digits (≤ 0.1% relative error), plus counts per status and per abnormal outcome.
 *
 * Recording is a few array writes and one histogram record: no allocation per request.
 */

/** Service-time summary in milliseconds. */
export interface ServiceTimeMs {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** Counters and service times of one route (or of all routes, in `totals`). */
export interface RouteCounters {
  /** Requests answered (a complete response was sent); `statuses` splits them by status code. */
  count: number;
  statuses: Record<string, number>;
  /** Connections reset on purpose (errors.reset). */
  resets: number;
  /** Requests never answered on purpose (errors.hang), counted when the client gave up. */
  hung: number;
  /** Requests whose client went away before the response was complete. */
  aborted: number;
  /** Service times of answered requests, ms. */
  serviceTimeMs: ServiceTimeMs;
  /** HDR histogram of service times in µs, compressed base64 (only with `?histogram=1`). */
  histogram?: string;
  /**
   * LLM routes (streamed answers): what the target actually did, timed at each write. `ttftMs`: request
   * arrival → the write of the first token; `itlMs`: every gap between two tokens (0 for tokens written
   * together); `streams`: streamed answers completed. The configured distributions are the intent;
   * these are the ground truth a client's measurement is checked against.
   */
  llm?: { streams: number; ttftMs: ServiceTimeMs; itlMs: ServiceTimeMs };
}

/** One route's counters in a snapshot. */
export interface RouteStatsSnapshot extends RouteCounters {
  /** Stats label: "METHOD path" unless the route has a name. */
  route: string;
  method: string;
  path: string;
}

/** The JSON served at GET /__volley/stats. */
export interface TargetStats {
  /** ISO time the target started. */
  startedAt: string;
  /** ISO time of the last reset (or start). */
  since: string;
  /** Milliseconds since `since`. */
  intervalMs: number;
  /** Requests being served now (holding a concurrency slot or in progress). */
  inFlight: number;
  /** Requests waiting in concurrency queues now. */
  queued: number;
  totals: RouteCounters & {
    /** Malformed requests answered 400 by the HTTP parser (never reached a route). */
    clientErrors: number;
  };
  routes: Record<string, RouteStatsSnapshot>;
}

/** Route label for requests that matched no route. */
export const UNMATCHED = '(unmatched)';

function newHistogram(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000, // 60 s in µs initially; auto-resizes beyond
    numberOfSignificantValueDigits: 3,
  });
}

/** Counters of one route. Mutable by the server; read through `StatsRegistry`. */
export class RouteStats {
  readonly hist = newHistogram();
  /** Count per status code, indexed by the code (100..599). */
  readonly statuses = new Float64Array(600);
  count = 0;
  sumUs = 0;
  resets = 0;
  hung = 0;
  aborted = 0;
  /** LLM routes only (`trackLlm()`): actual first-token times and token gaps, µs. */
  llm: { ttft: hdr.Histogram; itl: hdr.Histogram; streams: number; ttftSumUs: number; gaps: number; itlSumUs: number } | undefined;

  constructor(
    readonly name: string,
    readonly method: string,
    readonly path: string,
  ) {}

  /** Records an answered request: its status and service time in ms. */
  record(status: number, serviceMs: number): void {
    const us = serviceMs > 0 ? Math.round(serviceMs * 1000) : 0;
    this.hist.recordValue(us);
    this.sumUs += us;
    this.count++;
    if (status >= 100 && status < 600) this.statuses[status]!++;
  }

  /** Keeps LLM ground truth for this route. */
  trackLlm(): void {
    this.llm ??= { ttft: newHistogram(), itl: newHistogram(), streams: 0, ttftSumUs: 0, gaps: 0, itlSumUs: 0 };
  }

  /** A streamed answer's first token was written `ms` after its request arrived. */
  recordLlmTtft(ms: number): void {
    const l = this.llm!;
    const us = ms > 0 ? Math.round(ms * 1000) : 0;
    l.ttft.recordValue(us);
    l.ttftSumUs += us;
    l.streams++;
  }

  /** A gap of `ms` before a token (`count` times: tokens written together after the first have gap 0). */
  recordLlmGap(ms: number, zeros: number): void {
    const l = this.llm!;
    const us = ms > 0 ? Math.round(ms * 1000) : 0;
    l.itl.recordValue(us);
    if (zeros > 0) l.itl.recordValueWithCount(0, zeros);
    l.itlSumUs += us;
    l.gaps += 1 + zeros;
  }

  reset(): void {
    if (this.llm) {
      this.llm.ttft.reset();
      this.llm.itl.reset();
      this.llm.streams = this.llm.gaps = this.llm.ttftSumUs = this.llm.itlSumUs = 0;
    }
    this.hist.reset();
    this.statuses.fill(0);
    this.count = 0;
    this.sumUs = 0;
    this.resets = 0;
    this.hung = 0;
    this.aborted = 0;
  }
}

/** Live gauges the server reports alongside the counters. */
export interface Gauges {
  inFlight: number;
  queued: number;
}

/** All routes' counters, the unmatched bucket, client errors; snapshots as JSON or Prometheus text. */
export class StatsRegistry {
  private readonly routes: RouteStats[] = [];
  private readonly byName = new Map<string, RouteStats>();
  readonly unmatched = new RouteStats(UNMATCHED, '*', '*');
  clientErrors = 0;
  readonly startedAtMs = Date.now();
  private sinceMs = this.startedAtMs;

  /** The stats of a route label, created on first use (routes sharing a name share stats). */
  route(name: string, method: string, path: string): RouteStats {
    let r = this.byName.get(name);
    if (!r) {
      r = new RouteStats(name, method, path);
      this.routes.push(r);
      this.byName.set(name, r);
    }
    return r;
  }

  reset(): void {
    for (const r of this.routes) r.reset();
    this.unmatched.reset();
    this.clientErrors = 0;
    this.sinceMs = Date.now();
  }

  snapshot(g: Gauges, withHistograms = false): TargetStats {
    const all = this.unmatched.count + this.unmatched.aborted > 0 ? [...this.routes, this.unmatched] : this.routes;
    const routes: Record<string, RouteStatsSnapshot> = {};
    const total = newHistogram();
    const totals = { count: 0, statuses: {} as Record<string, number>, resets: 0, hung: 0, aborted: 0, sumUs: 0 };
    for (const r of all) {
      routes[r.name] = { route: r.name, method: r.method, path: r.path, ...counters(r, withHistograms) };
      total.add(r.hist);
      totals.count += r.count;
      totals.resets += r.resets;
      totals.hung += r.hung;
      totals.aborted += r.aborted;
      totals.sumUs += r.sumUs;
      for (let s = 100; s < 600; s++) if (r.statuses[s]! > 0) totals.statuses[s] = (totals.statuses[s] ?? 0) + r.statuses[s]!;
    }
    const now = Date.now();
    const snap: TargetStats = {
      startedAt: new Date(this.startedAtMs).toISOString(),
      since: new Date(this.sinceMs).toISOString(),
      intervalMs: now - this.sinceMs,
      inFlight: g.inFlight,
      queued: g.queued,
      totals: {
        count: totals.count,
        statuses: totals.statuses,
        resets: totals.resets,
        hung: totals.hung,
        aborted: totals.aborted,
        serviceTimeMs: summary(total, totals.count, totals.sumUs),
        ...(withHistograms ? { histogram: hdr.encodeIntoCompressedBase64(total) } : {}),
        clientErrors: this.clientErrors,
      },
      routes,
    };
    total.destroy();
    return snap;
  }

  /** Prometheus text exposition format (version 0.0.4). */
  prometheus(g: Gauges): string {
    const all = this.unmatched.count > 0 ? [...this.routes, this.unmatched] : this.routes;
    const out: string[] = [];
    out.push('# HELP volley_target_requests_total Requests answered by the volley target, by route and status.');
    out.push('# TYPE volley_target_requests_total counter');
    for (const r of all) {
      const route = label(r.name);
      for (let s = 100; s < 600; s++) if (r.statuses[s]! > 0) out.push(`volley_target_requests_total{route="${route}",status="${s}"} ${r.statuses[s]}`);
    }
    out.push('# HELP volley_target_abnormal_total Requests not answered normally: reset (connection reset on purpose), hung (never answered on purpose), aborted (client left).');
    out.push('# TYPE volley_target_abnormal_total counter');
    for (const r of all) {
      const route = label(r.name);
      for (const [k, v] of [['reset', r.resets], ['hung', r.hung], ['aborted', r.aborted]] as const) {
        if (v > 0) out.push(`volley_target_abnormal_total{route="${route}",outcome="${k}"} ${v}`);
      }
    }
    out.push('# HELP volley_target_service_time_seconds Service time of answered requests, first byte received to last byte sent.');
    out.push('# TYPE volley_target_service_time_seconds summary');
    for (const r of all) {
      const route = label(r.name);
      for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
        const v = r.count === 0 ? Number.NaN : r.hist.getValueAtPercentile(q * 100) / 1e6;
        out.push(`volley_target_service_time_seconds{route="${route}",quantile="${q}"} ${fmt(v)}`);
      }
      out.push(`volley_target_service_time_seconds_sum{route="${route}"} ${fmt(r.sumUs / 1e6)}`);
      out.push(`volley_target_service_time_seconds_count{route="${route}"} ${r.count}`);
    }
    out.push('# HELP volley_target_client_errors_total Malformed requests rejected with 400 before routing.');
    out.push('# TYPE volley_target_client_errors_total counter');
    out.push(`volley_target_client_errors_total ${this.clientErrors}`);
    out.push('# HELP volley_target_in_flight Requests being served now.');
    out.push('# TYPE volley_target_in_flight gauge');
    out.push(`volley_target_in_flight ${g.inFlight}`);
    out.push('# HELP volley_target_queued Requests waiting for a concurrency slot now.');
    out.push('# TYPE volley_target_queued gauge');
    out.push(`volley_target_queued ${g.queued}`);
    // The process series every Prometheus client library exports, under the same names, so that
    // `volley run --monitor prometheus=…/metrics` sees the target's memory and CPU like a real service's.
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.');
    out.push('# TYPE process_resident_memory_bytes gauge');
    out.push(`process_resident_memory_bytes ${mem.rss}`);
    out.push('# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.');
    out.push('# TYPE process_cpu_seconds_total counter');
    out.push(`process_cpu_seconds_total ${fmt((cpu.user + cpu.system) / 1e6)}`);
    out.push('# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.');
    out.push('# TYPE nodejs_heap_size_used_bytes gauge');
    out.push(`nodejs_heap_size_used_bytes ${mem.heapUsed}`);
    return out.join('\n') + '\n';
  }
}

function counters(r: RouteStats, withHistogram: boolean): RouteCounters {
  const statuses: Record<string, number> = {};
  for (let s = 100; s < 600; s++) if (r.statuses[s]! > 0) statuses[s] = r.statuses[s]!;
  return {
    count: r.count,
    statuses,
    resets: r.resets,
    hung: r.hung,
    aborted: r.aborted,
    serviceTimeMs: summary(r.hist, r.count, r.sumUs),
    ...(withHistogram ? { histogram: hdr.encodeIntoCompressedBase64(r.hist) } : {}),
    ...(r.llm ? { llm: { streams: r.llm.streams, ttftMs: summary(r.llm.ttft, r.llm.streams, r.llm.ttftSumUs), itlMs: summary(r.llm.itl, r.llm.gaps, r.llm.itlSumUs) } } : {}),
  };
}

function summary(h: hdr.Histogram, count: number, sumUs: number): ServiceTimeMs {
  if (count === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const max = h.maxValue;
  // HDR percentiles report the top of their bucket (≤ 0.1% above the true value); clamp to the
  // exact max so that p99 never reads above max.
  const ms = (us: number) => Math.round(Math.min(us, max)) / 1000;
  return {
    min: ms(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue),
    mean: ms(sumUs / count),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  };
}

function label(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function fmt(v: number): string {
  return Number.isNaN(v) ? 'NaN' : String(+v.toPrecision(6));
}
