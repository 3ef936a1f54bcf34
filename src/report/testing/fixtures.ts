/**
 * Synthetic SummaryData for the report's tests, screenshots and docs, generated from a small
 * queueing model so that the numbers agree with each other (totals = sums of the series, the
 * histogram matches the percentiles, Little's law holds). Deterministic: no clock, no randomness
 * beyond a seeded PRNG.
 *
 * - `saturationSummaryFixture()`: a 10-minute ramp of one closed-model scenario to 200 VUs against
 *   a service whose capacity is ~1,000 req/s: throughput plateaus at ~125 VUs while latency
 *   climbs, and errors (503) break away near the peak. Two thresholds fail.
 * - `longRunSummaryFixture(points)`: a 24-hour soak at a steady, daily-varying load with one
 *   series point per second (86,400 by default), to test the report's size and speed.
 */
import { summaryFixture } from '../../summary/testing/fixtures.js';
import type { MetricData, RouteRow, SummaryData } from '../../summary/types.js';
import { mulberry32 } from '../../util/prng.js';

const prng = mulberry32;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
function normCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Latency distribution of one second: lognormal with median `p50` ms and log-spread `sigma`. */
interface SecondModel {
  rps: number;
  vus: number;
  p50: number;
  sigma: number;
  failed: number;
}

const Z95 = 1.6449;
const Z99 = 2.3263;
const Z90 = 1.2816;

/** Upper bounds of the histogram buckets, ms: log-spaced, 4 per octave from 0.5 ms to ~16 s. */
function bucketBounds(): number[] {
  const out: number[] = [];
  for (let i = 0; i <= 60; i++) out.push(Math.round(0.5 * 2 ** (i / 4) * 1000) / 1000);
  return out;
}

/** Percentile p (0..1) of a bucketed distribution, interpolated inside the bucket. */
function percentileOf(buckets: Array<[number, number]>, p: number): number {
  const total = buckets.reduce((a, [, c]) => a + c, 0);
  let cum = 0;
  let lo = 0;
  for (const [ub, c] of buckets) {
    if (cum + c >= p * total && c > 0) return lo + (ub - lo) * ((p * total - cum) / c);
    cum += c;
    lo = ub;
  }
  return lo;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Builds the summary's series, histogram and totals from per-second models. */
function fromSeconds(base: SummaryData, startMs: number, seconds: SecondModel[], rnd: () => number): SummaryData {
  const d = base;
  const n = seconds.length;
  const s: Record<string, (number | null)[]> = {};
  const names = [
    'vus', 'http_reqs', 'iterations', 'http_req_failed', 'checks', 'http_req_duration.p50', 'http_req_duration.p90', 'http_req_duration.p95',
    'http_req_duration.p99', 'http_req_duration.max', 'http_req_duration.avg', 'data_received', 'data_sent', 'dropped_iterations',
    'volley_event_loop_delay.p99', 'volley_cpu',
  ];
  for (const k of names) s[k] = [];
  const bounds = bucketBounds();
  const counts = bounds.map(() => 0);
  let reqs = 0;
  let failed = 0;
  let sumMs = 0;
  let maxMs = 0;
  for (let i = 0; i < n; i++) {
    const m = seconds[i]!;
    const has = m.rps > 0;
    const avg = m.p50 * Math.exp((m.sigma * m.sigma) / 2);
    const max = m.p50 * Math.exp(m.sigma * 3.2);
    s.vus!.push(Math.round(m.vus));
    s.http_reqs!.push(Math.round(m.rps));
    s.iterations!.push(Math.round(m.rps / 3));
    s.http_req_failed!.push(has ? round(m.failed / m.rps, 5) : null);
    s.checks!.push(has ? round(1 - m.failed / m.rps, 5) : null);
    s['http_req_duration.p50']!.push(has ? round(m.p50) : null);
    s['http_req_duration.p90']!.push(has ? round(m.p50 * Math.exp(m.sigma * Z90)) : null);
    s['http_req_duration.p95']!.push(has ? round(m.p50 * Math.exp(m.sigma * Z95)) : null);
    s['http_req_duration.p99']!.push(has ? round(m.p50 * Math.exp(m.sigma * Z99)) : null);
    s['http_req_duration.max']!.push(has ? round(max) : null);
    s['http_req_duration.avg']!.push(has ? round(avg) : null);
    s.data_received!.push(Math.round(m.rps * 5_400));
    s.data_sent!.push(Math.round(m.rps * 310));
    s.dropped_iterations!.push(0);
    s['volley_event_loop_delay.p99']!.push(round(9 + rnd() * 7, 2));
    s.volley_cpu!.push(round(18 + (m.rps / 1000) * 40 + rnd() * 6, 1));
    if (!has) continue;
    reqs += Math.round(m.rps);
    failed += m.failed;
    sumMs += avg * Math.round(m.rps);
    maxMs = Math.max(maxMs, max);
    let prev = 0;
    for (let b = 0; b < bounds.length; b++) {
      const c = normCdf(Math.log(bounds[b]! / m.p50) / m.sigma);
      counts[b]! += (c - prev) * m.rps;
      prev = c;
    }
  }
  const buckets: Array<[number, number]> = [];
  bounds.forEach((ub, i) => {
    const c = Math.round(counts[i]!);
    if (c > 0) buckets.push([ub, c]);
  });
  const durS = n;
  const p = (q: number) => round(percentileOf(buckets, q));
  const dur: Record<string, number> = { avg: round(sumMs / reqs), min: round(buckets[0]?.[0] ?? 0), med: p(0.5), max: round(maxMs), 'p(90)': p(0.9), 'p(95)': p(0.95), 'p(99)': p(0.99) };
  const m = d.metrics;
  m.http_reqs = { type: 'counter', contains: 'default', values: { count: reqs, rate: reqs / durS } };
  m.http_req_duration = { type: 'trend', contains: 'time', values: dur };
  m.http_req_failed = { type: 'rate', contains: 'default', values: { rate: failed / reqs, passes: failed, fails: reqs - failed } };
  m.checks = { type: 'rate', contains: 'default', values: { rate: 1 - failed / reqs, passes: reqs - failed, fails: failed } };
  const iterations = Math.round(reqs / 3);
  m.iterations = { type: 'counter', contains: 'default', values: { count: iterations, rate: iterations / durS } };
  m.dropped_iterations = { type: 'counter', contains: 'default', values: { count: 0, rate: 0 } };
  const vMax = Math.max(...seconds.map((x) => x.vus));
  m.vus = { type: 'gauge', contains: 'default', values: { value: 0, min: 0, max: Math.round(vMax) } };
  m.vus_max = { type: 'gauge', contains: 'default', values: { value: Math.round(vMax), min: Math.round(vMax), max: Math.round(vMax) } };
  m.data_received = { type: 'counter', contains: 'data', values: { count: reqs * 5_400, rate: 5_400 * (reqs / durS) } };
  m.data_sent = { type: 'counter', contains: 'data', values: { count: reqs * 310, rate: 310 * (reqs / durS) } };
  d.state.testRunDurationMs = n * 1000;
  d.volley.startTime = new Date(startMs).toISOString();
  d.volley.endTime = new Date(startMs + n * 1000).toISOString();
  d.volley.timeSeries = { intervalMs: 1000, t: Array.from({ length: n }, (_, i) => startMs + i * 1000), series: s };
  d.volley.histogram = { metric: 'http_req_duration', buckets };
  return d;
}

/** Routes as shares of the requests, latency factor against the overall mean, share of failures. */
function routesFrom(d: SummaryData, spec: Array<[string, string, number, number, number]>, scenario: string): RouteRow[] {
  const total = d.metrics.http_reqs!.values.count!;
  const failed = d.metrics.http_req_failed!.values.passes!;
  const dur = d.metrics.http_req_duration!.values;
  const durS = d.state.testRunDurationMs / 1000;
  return spec.map(([name, method, reqShare, latFactor, failShare]) => {
    const requests = Math.round(total * reqShare);
    const f = Math.round(failed * failShare);
    const r = (k: string) => round(dur[k]! * latFactor);
    return { name, method, scenario, requests, failed: f, errorRate: f / requests, rps: requests / durS, avg: r('avg'), p50: r('med'), p90: r('p(90)'), p95: r('p(95)'), p99: r('p(99)'), max: r('max') };
  });
}

/** Makes the `checks` metric the sum of the group tree's checks. */
function syncChecksMetric(d: SummaryData): void {
  let passes = 0;
  let fails = 0;
  const walk = (g: SummaryData['root_group']) => {
    for (const c of g.checks) {
      passes += c.passes;
      fails += c.fails;
    }
    g.groups.forEach(walk);
  };
  walk(d.root_group);
  d.metrics.checks = { type: 'rate', contains: 'default', values: { rate: passes / Math.max(1, passes + fails), passes, fails } };
}

/** Sets the thresholds (and the metrics' verdict maps) from measured values. */
function setThresholds(d: SummaryData, list: Array<{ metric: string; expr: string; value: number; ok: boolean }>): void {
  for (const m of Object.values(d.metrics)) delete (m as MetricData).thresholds;
  d.volley.thresholds = list.map((t) => ({ ...t, abortOnFail: false, aborted: false }));
  for (const t of list) {
    const m = d.metrics[t.metric];
    if (m) (m.thresholds ??= {})[t.expr] = { ok: t.ok };
  }
  const ok = list.every((t) => t.ok);
  d.volley.verdict = { thresholdsOk: ok, aborted: false, exitCode: ok ? 0 : 99 };
  d.volley.options = {
    ...d.volley.options,
    thresholds: Object.fromEntries([...new Set(list.map((t) => t.metric))].map((k) => [k, list.filter((t) => t.metric === k).map((t) => t.expr)])),
  };
}

/** Keeps only the custom metrics of the base fixture that a generated run would not contradict. */
function baseFrom(): SummaryData {
  const d = summaryFixture();
  for (const k of Object.keys(d.metrics)) if (k.includes('{') || ['orders_created', 'cache_hit', 'queue_depth', 'ttfb_custom'].includes(k)) delete d.metrics[k];
  return d;
}

/**
 * A closed-model ramp into saturation: `shoppers` (ramping-vus 0 → 200 VUs over 8 min, hold 1 min,
 * down in 1 min) against a service with ~1,000 req/s of capacity and 25 ms of base latency, with
 * 100 ms of think time per request. By Little's law throughput grows as VUs / 125 ms until ~125
 * VUs, then stays at capacity while latency absorbs the extra VUs; 503s break away above ~170
 * VUs. Fails `p(95)<150` and `rate<0.01`.
 */
export function saturationSummaryFixture(): SummaryData {
  const d = baseFrom();
  const rnd = prng(2024);
  const start = Date.UTC(2025, 2, 4, 14, 0, 0);
  const capacity = 1000;
  const z = 0.1;
  const r0 = 0.025;
  const seconds: SecondModel[] = [];
  for (let i = 0; i < 600; i++) {
    const vus = i < 480 ? (200 * (i + 1)) / 480 : i < 540 ? 200 : Math.max(0, 200 * (1 - (i - 539) / 60));
    const open = vus / (r0 + z);
    const rps = Math.min(open, capacity * (1 - Math.max(0, vus - 125) / 2000)) * (0.97 + rnd() * 0.06);
    const rMean = Math.max(r0, vus / Math.max(1, rps) - z) * (0.95 + rnd() * 0.1);
    const sigma = 0.55 + Math.min(0.25, Math.max(0, rMean - r0) * 2);
    const p50 = (rMean * 1000) / Math.exp((sigma * sigma) / 2);
    const errRate = vus > 170 && i < 560 ? 0.03 + rnd() * 0.05 : rnd() < 0.05 ? 0.001 : 0;
    seconds.push({ rps: vus === 0 ? 0 : rps, vus, p50, sigma, failed: Math.round(rps * errRate) });
  }
  fromSeconds(d, start, seconds, rnd);
  d.volley.script = 'tests/checkout-capacity.ts';
  d.volley.machine = { ...d.volley.machine, hostname: 'loadgen-1', cpus: 8, memoryBytes: 16_777_216_000 };
  d.volley.options = {
    scenarios: {
      shoppers: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '8m', target: 200 }, { duration: '1m', target: 200 }, { duration: '1m', target: 0 }], gracefulRampDown: '10s' },
    },
  };
  d.volley.routes = routesFrom(
    d,
    [
      ['GET /api/search', 'GET', 0.4, 2.1, 0.1],
      ['GET /api/products/:id', 'GET', 0.35, 0.45, 0.05],
      ['POST /api/orders', 'POST', 0.15, 1.3, 0.8],
      ['GET /api/cart', 'GET', 0.1, 0.5, 0.05],
    ],
    'shoppers',
  );
  const failed = d.metrics.http_req_failed!.values.passes!;
  const iterations = d.metrics.iterations!.values.count!;
  d.volley.scenarios = [{ name: 'shoppers', executor: 'ramping-vus', iterations, droppedIterations: 0, vusMax: 200, iterationDurationP95: round(3 * (d.metrics.http_req_duration!.values['p(95)']! + 100)) }];
  d.volley.errors = [
    { kind: 'http', key: '503', message: 'Service Unavailable', count: Math.round(failed * 0.93) },
    { kind: 'http', key: '1050', message: 'request timeout', count: failed - Math.round(failed * 0.93) },
  ];
  d.volley.warnings = [];
  d.root_group = {
    name: '',
    path: '',
    id: 'd41d8cd98f00b204e9800998ecf8427e',
    checks: [],
    groups: [
      {
        name: 'checkout',
        path: '::checkout',
        id: 'b1946ac92492d2347c6235b4d2611184',
        groups: [],
        checks: [
          { name: 'order accepted', path: '::checkout::order accepted', id: '591785b794601e212b260e25925636fd', passes: iterations - Math.round(failed * 0.8), fails: Math.round(failed * 0.8) },
          { name: 'search has results', path: '::checkout::search has results', id: 'e4d909c290d0fb1ca068ffaddf22cbd0', passes: iterations - Math.round(failed * 0.2), fails: Math.round(failed * 0.2) },
        ],
      },
    ],
  };
  syncChecksMetric(d);
  const dur = d.metrics.http_req_duration!.values;
  const rate = d.metrics.http_req_failed!.values.rate!;
  const checks = d.metrics.checks!.values.rate!;
  setThresholds(d, [
    { metric: 'http_req_duration', expr: 'p(95)<150', value: dur['p(95)']!, ok: dur['p(95)']! < 150 },
    { metric: 'http_req_duration', expr: 'p(99)<1000', value: dur['p(99)']!, ok: dur['p(99)']! < 1000 },
    { metric: 'http_req_failed', expr: 'rate<0.01', value: rate, ok: rate < 0.01 },
    { metric: 'checks', expr: 'rate>0.95', value: checks, ok: checks > 0.95 },
  ]);
  return d;
}

/**
 * A soak test with `points` one-second buckets (default 86,400: 24 hours) at 50–80 VUs following
 * a daily curve, with steady latency and rare errors: no break-away, no saturation. For the
 * report's size and load-time tests (the engine itself downsamples to ≤ 4,000 points; the report
 * must cope with either).
 */
export function longRunSummaryFixture(points = 86_400): SummaryData {
  const d = baseFrom();
  const rnd = prng(86_400);
  const start = Date.UTC(2025, 4, 1, 0, 0, 0);
  const seconds: SecondModel[] = [];
  for (let i = 0; i < points; i++) {
    const vus = Math.round(65 + 15 * Math.sin((2 * Math.PI * i) / 86_400));
    const rps = (vus / 0.5) * (0.97 + rnd() * 0.06);
    seconds.push({ rps, vus, p50: 18 + rnd() * 4, sigma: 0.5, failed: rnd() < 0.01 ? 1 : 0 });
  }
  fromSeconds(d, start, seconds, rnd);
  d.volley.script = 'tests/soak.ts';
  d.volley.options = { scenarios: { soak: { executor: 'ramping-vus', stages: [{ duration: '24h', target: 80 }] } } };
  d.volley.routes = routesFrom(d, [['GET /api/items', 'GET', 0.7, 1, 0.5], ['POST /api/items', 'POST', 0.3, 1, 0.5]], 'soak');
  d.volley.scenarios = [{ name: 'soak', executor: 'ramping-vus', iterations: d.metrics.iterations!.values.count!, droppedIterations: 0, vusMax: 80, iterationDurationP95: 520 }];
  d.volley.errors = [{ kind: 'http', key: '502', message: 'Bad Gateway', count: d.metrics.http_req_failed!.values.passes! }];
  d.volley.warnings = [];
  const its = d.metrics.iterations!.values.count!;
  d.root_group = { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [{ name: 'status 200', path: '::status 200', id: '6f8f57715090da2632453988d9a1501b', passes: its, fails: 0 }] };
  syncChecksMetric(d);
  const dur = d.metrics.http_req_duration!.values;
  setThresholds(d, [{ metric: 'http_req_duration', expr: 'p(95)<500', value: dur['p(95)']!, ok: dur['p(95)']! < 500 }]);
  return d;
}
