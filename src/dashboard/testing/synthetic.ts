/**
 * A deterministic synthetic run for the dashboard's tests and screenshot: what the CLI would feed
 * (`RunMeta`, one `LiveUpdate` per second, the final `SummaryData`) for a plausible test — two
 * scenarios, five routes, checks in groups, HTTP errors, thresholds, a latency spike — without a
 * real load test. No clock, no randomness beyond a seeded PRNG.
 */
import type { SnapshotSeries } from '../../metrics/snapshot.js';
import type { ThresholdEval } from '../../metrics/thresholds/index.js';
import { summaryFixture } from '../../summary/testing/fixtures.js';
import type { SummaryData } from '../../summary/types.js';
import type { LiveUpdate, RunMeta } from '../types.js';
import { mulberry32 } from '../../util/prng.js';

/** Options of `syntheticRun`. */
export interface SyntheticOptions {
  /** Epoch ms of the start. Default 2025-01-15 09:30:00 UTC. */
  startTimeMs?: number;
  /** Planned duration, ms. Default 5 min. */
  plannedMs?: number;
  /** From this second on, latency spikes and the p95 threshold fails. Default never. */
  spikeAtS?: number;
  /** PRNG seed. Default 7. */
  seed?: number;
}

interface RouteSpec {
  name: string;
  method: string;
  share: number;
  latency: number;
  errorRate: number;
}

const ROUTES: RouteSpec[] = [
  { name: 'http://127.0.0.1:8080/api/products', method: 'GET', share: 0.42, latency: 1, errorRate: 0.002 },
  { name: 'http://127.0.0.1:8080/api/products/{id}', method: 'GET', share: 0.27, latency: 0.8, errorRate: 0.001 },
  { name: 'http://127.0.0.1:8080/api/cart', method: 'POST', share: 0.15, latency: 1.4, errorRate: 0.006 },
  { name: 'http://127.0.0.1:8080/api/checkout', method: 'POST', share: 0.1, latency: 2.6, errorRate: 0.02 },
  { name: 'http://127.0.0.1:8080/api/search?q=…', method: 'GET', share: 0.06, latency: 1.9, errorRate: 0.004 },
];

const CHECKS: Array<{ group: string; check: string; fail: number }> = [
  { group: '::browse', check: 'status is 200', fail: 0.002 },
  { group: '::browse', check: 'has products', fail: 0.0005 },
  { group: '::checkout', check: 'order created', fail: 0.018 },
  { group: '', check: 'response time < 500ms', fail: 0.01 },
];

const prng = mulberry32;

/** A synthetic run: `meta`, then `next()` once per simulated second, then `summary()`. */
export class SyntheticRun {
  readonly meta: RunMeta;
  private readonly rnd: () => number;
  private readonly spikeAtS: number;
  /** Seconds fed so far. */
  second = 0;
  // cumulative
  private reqs = 0;
  private failed = 0;
  private iterations = 0;
  private latSum = 0;
  private latMax = 0;
  private p95Max = 0;
  private p99Max = 0;
  private readonly route = ROUTES.map(() => ({ reqs: 0, failed: 0, latSum: 0, p95: 0, p99: 0 }));
  private readonly checks = CHECKS.map(() => ({ passes: 0, fails: 0 }));
  private e503 = 0;
  private e1211 = 0;
  private dataIn = 0;
  private dataOut = 0;

  constructor(opts: SyntheticOptions = {}) {
    this.rnd = prng(opts.seed ?? 7);
    this.spikeAtS = opts.spikeAtS ?? Infinity;
    this.meta = {
      script: 'examples/shop.ts',
      startTimeMs: opts.startTimeMs ?? Date.UTC(2025, 0, 15, 9, 30, 0),
      plannedMs: opts.plannedMs ?? 300_000,
      scenarios: {
        browse: 'Up to 60 looping VUs for 5m0s over 3 stages (gracefulRampDown: 30s)',
        checkout: '40.00 iterations/s for 5m0s (maxVUs: 10-80)',
      },
      version: '0.1.0',
    };
  }

  /** VUs at second `s` (ramp to 60 + a constant-arrival-rate pool around 25). */
  private vusAt(s: number): { browse: number; checkout: number } {
    const browse = Math.min(60, Math.round(s));
    const checkout = 20 + Math.round(5 * Math.sin(s / 9));
    return { browse, checkout };
  }

  /** The update for the next second. */
  next(): LiveUpdate {
    const s = ++this.second;
    const r = this.rnd;
    const v = this.vusAt(s);
    const vus = v.browse + v.checkout;
    const spike = s >= this.spikeAtS ? 1 + Math.min(3, (s - this.spikeAtS + 1) * 0.5) : 1;
    const rps = Math.round((vus * 7.5 + r() * 25) / Math.sqrt(spike));
    const p50 = (32 + r() * 6) * spike;
    const p90 = p50 * 2.1;
    const p95 = p50 * 2.9 + r() * 8;
    const p99 = p50 * 5.2 + r() * 20;
    const max = p99 * 1.8;
    const errRate = (0.004 + r() * 0.004) * (spike > 1 ? 2.5 : 1);
    const failedNow = Math.round(rps * errRate);
    const its = Math.round(rps * 0.48);
    this.reqs += rps;
    this.failed += failedNow;
    this.iterations += its;
    this.latSum += p50 * 1.35 * rps;
    this.latMax = Math.max(this.latMax, max);
    this.p95Max = Math.max(this.p95Max * 0.98, p95);
    this.p99Max = Math.max(this.p99Max * 0.98, p99);
    this.dataIn += rps * 5400;
    this.dataOut += rps * 310;
    ROUTES.forEach((rt, i) => {
      const n = Math.round(rps * rt.share);
      const acc = this.route[i]!;
      acc.reqs += n;
      acc.failed += Math.round(n * rt.errorRate * (spike > 1 ? 2.5 : 1) + (r() < 0.3 ? 1 : 0));
      acc.latSum += n * p50 * 1.35 * rt.latency;
      acc.p95 = Math.max(acc.p95 * 0.98, p95 * rt.latency);
      acc.p99 = Math.max(acc.p99 * 0.98, p99 * rt.latency);
    });
    CHECKS.forEach((c, i) => {
      const n = Math.round(its * 0.7);
      const f = Math.round(n * c.fail * (spike > 1 ? 3 : 1) + (r() < c.fail * 20 ? 1 : 0));
      this.checks[i]!.passes += n - f;
      this.checks[i]!.fails += f;
    });
    this.e503 += Math.round(failedNow * 0.7);
    this.e1211 += failedNow - Math.round(failedNow * 0.7);

    const elapsedMs = s * 1000;
    const timeMs = this.meta.startTimeMs + elapsedMs;
    const planned = this.meta.plannedMs;
    const p = Math.min(1, elapsedMs / planned);
    const cpu = 35 + r() * 20 + (spike > 1 ? 15 : 0);
    const eld = 2 + r() * 4 + (spike > 1 ? 8 : 0);
    const checksPass = this.checks.reduce((a, c) => a + c.passes, 0);
    const checksFail = this.checks.reduce((a, c) => a + c.fails, 0);
    const checksRateNow = 1 - CHECKS.reduce((a, c) => a + c.fail, 0) / CHECKS.length * (spike > 1 ? 3 : 1) * (0.5 + r());

    const avg = this.reqs > 0 ? this.latSum / this.reqs : 0;
    const series: SnapshotSeries[] = [
      counter('http_reqs', {}, this.reqs),
      rate('http_req_failed', {}, this.failed, this.reqs - this.failed),
      trend('http_req_duration', {}, this.reqs, avg, this.p95Max * 0.42, this.p95Max * 0.75, this.p95Max, this.p99Max, this.latMax),
      counter('iterations', {}, this.iterations),
      counter('dropped_iterations', {}, 0),
      rate('checks', {}, checksPass, checksFail),
      counter('data_received', {}, this.dataIn, 'data'),
      counter('data_sent', {}, this.dataOut, 'data'),
      gauge('vus', {}, vus),
      // a threshold sub-metric, as buildSnapshot emits it (before the breakdown rows)
      trend('http_req_duration', { name: ROUTES[3]!.name }, this.route[3]!.reqs, 0, 0, 0, this.route[3]!.p95, this.route[3]!.p99, 0),
    ];
    ROUTES.forEach((rt, i) => {
      const a = this.route[i]!;
      const tags = { name: rt.name, method: rt.method };
      series.push(counter('http_reqs', tags, a.reqs));
      series.push(rate('http_req_failed', tags, a.failed, a.reqs - a.failed));
      series.push(trend('http_req_duration', tags, a.reqs, a.reqs ? a.latSum / a.reqs : 0, a.p95 * 0.4, a.p95 * 0.75, a.p95, a.p99, a.p99 * 1.7));
    });
    const browseIts = Math.round(this.iterations * 0.55);
    series.push(counter('iterations', { scenario: 'browse' }, browseIts));
    series.push(counter('iterations', { scenario: 'checkout' }, this.iterations - browseIts));
    series.push(trend('iteration_duration', { scenario: 'browse' }, browseIts, 1100, 0, 0, 1900 * spike, 2300 * spike, 3000 * spike));
    series.push(trend('iteration_duration', { scenario: 'checkout' }, this.iterations - browseIts, 300, 0, 0, 520 * spike, 700 * spike, 900 * spike));
    CHECKS.forEach((c, i) => {
      const tags: Record<string, string> = c.group ? { group: c.group, check: c.check } : { check: c.check };
      series.push(rate('checks', tags, this.checks[i]!.passes, this.checks[i]!.fails));
    });
    series.push(rate('http_req_failed', { status: '200' }, 0, this.reqs - this.failed));
    if (this.e503 > 0) series.push(rate('http_req_failed', { status: '503' }, this.e503, 0));
    if (this.e1211 > 0) series.push(rate('http_req_failed', { status: '0', error_code: '1211' }, this.e1211, 0));

    const p95Total = this.p95Max;
    const thresholds: ThresholdEval[] = [
      th('http_req_duration', 'p(95)<250', p95Total, p95Total < 250, false),
      th('http_req_duration{name:' + ROUTES[3]!.name + '}', 'p(99)<1500', this.route[3]!.p99, this.route[3]!.p99 < 1500, true),
      th('http_req_failed', 'rate<0.02', this.failed / this.reqs, this.failed / this.reqs < 0.02, false),
      th('checks', 'rate>0.95', checksPass / (checksPass + checksFail), checksPass / (checksPass + checksFail) > 0.95, false),
    ];

    return {
      live: {
        elapsedMs,
        plannedMs: planned,
        vus,
        vusMax: 60 + 40,
        iterations: this.iterations,
        rps,
        p95,
        errorRate: errRate,
        scenarios: [
          { name: 'browse', executor: 'ramping-vus', active: v.browse, allocated: 60, progress: p, done: p >= 1, iterations: browseIts },
          { name: 'checkout', executor: 'constant-arrival-rate', active: v.checkout, allocated: 40, progress: p, done: p >= 1, iterations: this.iterations - browseIts },
        ],
        failedThresholds: thresholds.filter((t) => !t.ok).length,
        eventLoopDelayP99Ms: eld,
        cpuPercent: cpu,
      },
      row: {
        timeMs: timeMs - 1000,
        values: {
          vus,
          http_reqs: rps,
          iterations: its,
          http_req_failed: errRate,
          checks: checksRateNow,
          'http_req_duration.p50': p50,
          'http_req_duration.p90': p90,
          'http_req_duration.p95': p95,
          'http_req_duration.p99': p99,
          'http_req_duration.max': max,
          'http_req_duration.avg': p50 * 1.35,
          data_received: rps * 5400,
          data_sent: rps * 310,
          dropped_iterations: 0,
          'volley_event_loop_delay.p99': eld,
          volley_cpu: cpu,
        },
      },
      snapshot: { timeMs, elapsedMs, series },
      thresholds,
    };
  }

  /** The end-of-test summary (the summary fixture, with this run's script and verdict). */
  summary(opts: { thresholdsOk?: boolean } = {}): SummaryData {
    const d = summaryFixture();
    d.volley.script = this.meta.script;
    d.state.testRunDurationMs = this.second * 1000;
    d.volley.startTime = new Date(this.meta.startTimeMs).toISOString();
    d.volley.endTime = new Date(this.meta.startTimeMs + this.second * 1000).toISOString();
    if (opts.thresholdsOk) {
      d.volley.thresholds = d.volley.thresholds.map((t) => ({ ...t, ok: true }));
      d.volley.verdict = { thresholdsOk: true, aborted: false, exitCode: 0 };
    }
    return d;
  }
}

/** The breakdown a synthetic row belongs to, by its tags (a lone `name` is the threshold sub-metric above). */
function viewOf(tags: Record<string, string>): string {
  if ('method' in tags) return 'route';
  if ('name' in tags) return 'submetric';
  if ('scenario' in tags) return 'scenario';
  if ('check' in tags) return 'check';
  if ('status' in tags) return 'error';
  return 'total';
}
function counter(name: string, tags: Record<string, string>, count: number, contains: 'default' | 'data' = 'default'): SnapshotSeries {
  return { name, type: 'counter', contains, tags, view: viewOf(tags), values: { count } };
}
function rate(name: string, tags: Record<string, string>, passes: number, fails: number): SnapshotSeries {
  const n = passes + fails;
  return { name, type: 'rate', contains: 'default', tags, view: viewOf(tags), values: { rate: n ? passes / n : 0, passes, fails } };
}
function gauge(name: string, tags: Record<string, string>, value: number): SnapshotSeries {
  return { name, type: 'gauge', contains: 'default', tags, view: viewOf(tags), values: { value, min: 0, max: value } };
}
function trend(name: string, tags: Record<string, string>, count: number, avg: number, med: number, p90: number, p95: number, p99: number, max: number): SnapshotSeries {
  return { name, type: 'trend', contains: 'time', tags, view: viewOf(tags), values: { count, sum: avg * count, avg, min: 0, max, med, 'p(90)': p90, 'p(95)': p95, 'p(99)': p99 } };
}
function th(metric: string, expr: string, value: number, ok: boolean, abortOnFail: boolean): ThresholdEval {
  return { metric, expr, ok, value, abortOnFail, shouldAbort: false };
}
