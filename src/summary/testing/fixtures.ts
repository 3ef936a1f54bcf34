/**
 * Realistic, hand-written SummaryData for tests of the text and HTML reports and the summary
 * export. It describes the example test: a `browse` ramping-vus scenario and an `ingest`
 * constant-arrival-rate scenario against a local service, 35 s, where some thresholds fail
 * (checks, p(99), http_req_failed) and others pass, with nested groups, sub-metrics, custom
 * metrics of all four types, 23 routes (more than the 20 the text summary lists), script and HTTP
 * errors, and warnings. Deterministic: no clock, no randomness.
 *
 * Each call returns a fresh deep copy, so tests may mutate it.
 */
import type { GroupData, MetricData, RouteRow, SummaryData, ThresholdResult } from '../types.js';
import { mulberry32 } from '../../util/prng.js';

const START_MS = Date.UTC(2025, 0, 15, 9, 30, 0);
const DURATION_MS = 35_000;
const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

const prng = mulberry32;

function trend(avg: number, min: number, med: number, max: number, p90: number, p95: number, p99: number): Record<string, number> {
  return { avg, min, med, max, 'p(90)': p90, 'p(95)': p95, 'p(99)': p99 };
}

function counter(count: number): Record<string, number> {
  return { count, rate: count / (DURATION_MS / 1000) };
}

function rate(passes: number, fails: number): Record<string, number> {
  return { rate: passes + fails === 0 ? 0 : passes / (passes + fails), passes, fails };
}

function metrics(): Record<string, MetricData> {
  return {
    checks: { type: 'rate', contains: 'default', values: rate(9_930, 70), thresholds: { 'rate>0.99': { ok: true } } },
    data_received: { type: 'counter', contains: 'data', values: counter(48_213_775) },
    data_sent: { type: 'counter', contains: 'data', values: counter(2_104_332) },
    dropped_iterations: { type: 'counter', contains: 'default', values: counter(12) },
    group_duration: { type: 'trend', contains: 'time', values: trend(96.41, 2.113, 71.22, 1_840.5, 188.3, 241.7, 690.2) },
    http_req_blocked: { type: 'trend', contains: 'time', values: trend(0.0412, 0.00105, 0.00381, 12.8, 0.00712, 0.0098, 1.92) },
    http_req_connecting: { type: 'trend', contains: 'time', values: trend(0.0217, 0, 0, 9.31, 0, 0, 0.903) },
    http_req_duration: {
      type: 'trend',
      contains: 'time',
      values: trend(62.37, 0.812, 41.07, 1_802.11, 131.9, 212.42, 612.3),
      thresholds: { 'p(95)<300': { ok: true }, 'p(99)<500': { ok: false } },
    },
    'http_req_duration{expected_response:true}': { type: 'trend', contains: 'time', values: trend(58.1, 0.812, 39.8, 1_402.7, 122.4, 198.3, 530.06) },
    'http_req_duration{route:/api/query}': {
      type: 'trend',
      contains: 'time',
      values: trend(88.4, 3.2, 70.9, 1_802.11, 160.2, 251.03, 701.9),
      thresholds: { 'p(95)<900': { ok: true } },
    },
    http_req_failed: { type: 'rate', contains: 'default', values: rate(98, 7_902), thresholds: { 'rate<0.01': { ok: false } } },
    http_req_receiving: { type: 'trend', contains: 'time', values: trend(0.211, 0.0118, 0.0921, 40.2, 0.302, 0.51, 2.4) },
    http_req_sending: { type: 'trend', contains: 'time', values: trend(0.0301, 0.00512, 0.0164, 5.1, 0.0402, 0.0611, 0.301) },
    http_req_tls_handshaking: { type: 'trend', contains: 'time', values: trend(0, 0, 0, 0, 0, 0, 0) },
    http_req_waiting: { type: 'trend', contains: 'time', values: trend(62.12, 0.79, 40.9, 1_801.4, 131.5, 211.9, 611.8) },
    http_reqs: { type: 'counter', contains: 'default', values: counter(8_000) },
    iteration_duration: { type: 'trend', contains: 'time', values: trend(512.9, 3.4, 181.2, 2_850.4, 1_121.7, 1_210.33, 1_690.8) },
    iterations: { type: 'counter', contains: 'default', values: counter(7_612) },
    vus: { type: 'gauge', contains: 'default', values: { value: 0, min: 0, max: 48 } },
    vus_max: { type: 'gauge', contains: 'default', values: { value: 220, min: 40, max: 220 } },
    // custom metrics, one of each type
    orders_created: { type: 'counter', contains: 'default', values: counter(5_880), thresholds: { 'count>1000': { ok: true } } },
    cache_hit: { type: 'rate', contains: 'default', values: rate(3_410, 1_190) },
    queue_depth: { type: 'gauge', contains: 'default', values: { value: 3, min: 0, max: 41 } },
    ttfb_custom: { type: 'trend', contains: 'time', values: trend(18.2, 0.42, 12.6, 402.2, 37.1, 52.9, 120.4) },
  };
}

function rootGroup(): GroupData {
  return {
    name: '',
    path: '',
    id: 'd41d8cd98f00b204e9800998ecf8427e',
    checks: [{ name: 'ingest accepted', path: '::ingest accepted', id: '5b3e0f5a2d0e8f7c1e4d2b9a8c7f6e5d', passes: 6_000, fails: 0 }],
    groups: [
      {
        name: 'browse',
        path: '::browse',
        id: 'a0c7b5f1e3d2c4b6a8f0e2d4c6b8a0f2',
        checks: [
          { name: 'status 200', path: '::browse::status 200', id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', passes: 1_000, fails: 0 },
          { name: 'has id', path: '::browse::has id', id: '1a2b3c4d5e6f708192a3b4c5d6e7f809', passes: 930, fails: 70 },
        ],
        groups: [
          {
            name: 'details',
            path: '::browse::details',
            id: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
            checks: [{ name: 'title present', path: '::browse::details::title present', id: '2b3c4d5e6f708192a3b4c5d6e7f8091a', passes: 2_000, fails: 0 }],
            groups: [],
          },
        ],
      },
    ],
  };
}

const ROUTE_NAMES: Array<[string, string, string]> = [
  ['/api/query', 'GET', 'browse'],
  ['/api/ingest', 'POST', 'ingest'],
  ['/api/items/${id}', 'GET', 'browse'],
  ['/api/items', 'GET', 'browse'],
  ['/api/search?q=${term}&limit=50&include=details,reviews,related-products', 'GET', 'browse'],
  ['/static/app.js', 'GET', 'browse'],
  ['/static/app.css', 'GET', 'browse'],
  ['/api/cart', 'PUT', 'browse'],
  ['/api/cart', 'GET', 'browse'],
  ['/api/cart/items/${id}', 'DELETE', 'browse'],
  ['/api/checkout', 'POST', 'browse'],
  ['/api/session', 'POST', 'browse'],
  ['/api/session', 'DELETE', 'browse'],
  ['/api/user/profile', 'GET', 'browse'],
  ['/api/user/profile', 'PATCH', 'browse'],
  ['/api/recommendations', 'GET', 'browse'],
  ['/api/reviews/${id}', 'GET', 'browse'],
  ['/api/inventory', 'GET', 'ingest'],
  ['/api/health', 'GET', 'ingest'],
  ['/api/metrics', 'GET', 'ingest'],
  ['/api/flags', 'GET', 'browse'],
  ['/api/i18n/en', 'GET', 'browse'],
  ['/favicon.ico', 'GET', 'browse'],
];
/** Requests per route, summing to http_reqs (8000), in descending order. */
const ROUTE_REQUESTS = [2_000, 1_800, 900, 700, 480, 300, 300, 250, 240, 200, 150, 120, 110, 90, 80, 70, 60, 40, 30, 25, 20, 20, 15];

function routes(): RouteRow[] {
  const rnd = prng(7);
  return ROUTE_NAMES.map(([name, method, scenario], i) => {
    const requests = ROUTE_REQUESTS[i]!;
    const failed = i === 1 ? 62 : i === 10 ? 21 : i === 4 ? 9 : i === 20 ? 6 : 0;
    const p50 = Math.round((10 + rnd() * 60) * 100) / 100;
    return {
      name,
      method,
      scenario,
      requests,
      failed,
      errorRate: failed / requests,
      rps: requests / (DURATION_MS / 1000),
      avg: Math.round(p50 * 1.3 * 100) / 100,
      p50,
      p90: Math.round(p50 * 2.9 * 100) / 100,
      p95: Math.round(p50 * 4.1 * 100) / 100,
      p99: Math.round(p50 * 9.7 * 100) / 100,
      max: Math.round(p50 * 25 * 100) / 100,
    };
  });
}

function thresholds(): ThresholdResult[] {
  return [
    { metric: 'checks', expr: 'rate>0.99', ok: true, value: 0.993, abortOnFail: false, aborted: false },
    { metric: 'http_req_duration', expr: 'p(95)<300', ok: true, value: 212.42, abortOnFail: false, aborted: false },
    { metric: 'http_req_duration', expr: 'p(99)<500', ok: false, value: 612.3, abortOnFail: false, aborted: false },
    { metric: 'http_req_duration{route:/api/query}', expr: 'p(95)<900', ok: true, value: 251.03, abortOnFail: true, aborted: false },
    { metric: 'http_req_failed', expr: 'rate<0.01', ok: false, value: 0.01225, abortOnFail: false, aborted: false },
    { metric: 'orders_created', expr: 'count>1000', ok: true, value: 5_880, abortOnFail: false, aborted: false },
  ];
}

function timeSeries(): SummaryData['volley']['timeSeries'] {
  const rnd = prng(42);
  const n = DURATION_MS / 1000;
  const t: number[] = [];
  const s: Record<string, (number | null)[]> = {
    vus: [],
    http_reqs: [],
    iterations: [],
    http_req_failed: [],
    checks: [],
    'http_req_duration.p50': [],
    'http_req_duration.p90': [],
    'http_req_duration.p95': [],
    'http_req_duration.p99': [],
    'http_req_duration.max': [],
    'http_req_duration.avg': [],
    data_received: [],
    data_sent: [],
    dropped_iterations: [],
    'volley_event_loop_delay.p99': [],
  };
  for (let i = 0; i < n; i++) {
    t.push(START_MS + i * 1000);
    const vus = i < 10 ? Math.round((i + 1) * 2) : i < 30 ? 20 : Math.max(0, Math.round(20 - (i - 29) * 4));
    const rps = 200 + vus * 1.6 + rnd() * 10;
    const p50 = 35 + rnd() * 15;
    s.vus!.push(vus + 28);
    s.http_reqs!.push(Math.round(rps));
    s.iterations!.push(Math.round(rps * 0.95));
    s.http_req_failed!.push(i === 17 ? null : Math.round(rnd() * 0.03 * 1e4) / 1e4);
    s.checks!.push(Math.round((0.98 + rnd() * 0.02) * 1e4) / 1e4);
    s['http_req_duration.p50']!.push(Math.round(p50 * 100) / 100);
    s['http_req_duration.p90']!.push(Math.round(p50 * 3.1 * 100) / 100);
    s['http_req_duration.p95']!.push(Math.round(p50 * 4.8 * 100) / 100);
    s['http_req_duration.p99']!.push(Math.round(p50 * 13 * 100) / 100);
    s['http_req_duration.max']!.push(Math.round(p50 * 30 * 100) / 100);
    s['http_req_duration.avg']!.push(Math.round(p50 * 1.5 * 100) / 100);
    s.data_received!.push(Math.round(rps * 6_000));
    s.data_sent!.push(Math.round(rps * 260));
    s.dropped_iterations!.push(i >= 12 && i < 15 ? 4 : 0);
    s['volley_event_loop_delay.p99']!.push(Math.round((10 + rnd() * 8) * 100) / 100);
  }
  return { intervalMs: 1000, t, series: s };
}

/** A test where some thresholds failed (exit code 99). */
export function summaryFixture(): SummaryData {
  return {
    root_group: rootGroup(),
    options: { summaryTrendStats: [...TREND_STATS], summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: true, isStdErrTTY: true, testRunDurationMs: DURATION_MS },
    metrics: metrics(),
    volley: {
      schemaVersion: 1,
      version: '0.1.0',
      script: 'examples/shop.ts',
      startTime: new Date(START_MS).toISOString(),
      endTime: new Date(START_MS + DURATION_MS).toISOString(),
      machine: { hostname: 'ci-runner-7', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Intel(R) Xeon(R) CPU @ 2.20GHz', memoryBytes: 8_344_223_744, node: 'v20.18.1' },
      options: {
        scenarios: {
          browse: { executor: 'ramping-vus', stages: [{ duration: '10s', target: 20 }, { duration: '20s', target: 20 }, { duration: '5s', target: 0 }] },
          ingest: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '30s', preAllocatedVUs: 20, maxVUs: 200, exec: 'ingest' },
        },
        thresholds: {
          http_req_duration: ['p(95)<300', 'p(99)<500'],
          'http_req_duration{route:/api/query}': [{ threshold: 'p(95)<900', abortOnFail: true, delayAbortEval: '10s' }],
          http_req_failed: ['rate<0.01'],
          checks: ['rate>0.99'],
          orders_created: ['count>1000'],
        },
      },
      verdict: { thresholdsOk: false, aborted: false, exitCode: 99 },
      thresholds: thresholds(),
      routes: routes(),
      scenarios: [
        { name: 'browse', executor: 'ramping-vus', iterations: 1_612, droppedIterations: 0, vusMax: 20, iterationDurationP95: 1_890.2, generatorLimited: false },
        { name: 'ingest', executor: 'constant-arrival-rate', iterations: 6_000, droppedIterations: 12, vusMax: 200, iterationDurationP95: 182.7 },
      ],
      errors: [
        { kind: 'http', key: '503', message: 'Service Unavailable', count: 62 },
        { kind: 'http', key: '1211', message: 'request timeout', count: 21 },
        { kind: 'http', key: '500', message: 'Internal Server Error', count: 9 },
        {
          kind: 'script',
          key: "TypeError: Cannot read properties of undefined (reading 'id')",
          message: "TypeError: Cannot read properties of undefined (reading 'id')",
          count: 9,
          location: 'examples/shop.ts:41:27',
        },
        { kind: 'http', key: '1101', message: 'dial: connection refused (ECONNREFUSED 127.0.0.1:8081)', count: 6 },
      ],
      timeSeries: timeSeries(),
      histogram: {
        metric: 'http_req_duration',
        buckets: [
          [1, 40],
          [2, 110],
          [5, 380],
          [10, 610],
          [25, 1_450],
          [50, 2_300],
          [100, 1_700],
          [250, 1_020],
          [500, 310],
          [1_000, 62],
          [2_500, 18],
        ],
      },
      warnings: [
        'scenario "ingest" dropped 12 iterations: all 200 VUs were busy (raise maxVUs or lower the rate)',
        'the load generator was busy: event loop delay p99 reached 17.9ms',
      ],
    },
  };
}

/** A test where every threshold passed (exit code 0): the failing parts of `summaryFixture` made good. */
export function passingSummaryFixture(): SummaryData {
  const d = summaryFixture();
  d.metrics.http_req_duration!.thresholds = { 'p(95)<300': { ok: true }, 'p(99)<800': { ok: true } };
  d.metrics.http_req_failed!.thresholds = { 'rate<0.05': { ok: true } };
  d.volley.thresholds = d.volley.thresholds.map((t) =>
    t.expr === 'p(99)<500' ? { ...t, expr: 'p(99)<800', ok: true } : t.expr === 'rate<0.01' ? { ...t, expr: 'rate<0.05', ok: true } : t,
  );
  d.volley.verdict = { thresholdsOk: true, aborted: false, exitCode: 0 };
  d.volley.warnings = [];
  return d;
}

/** A test that a threshold with abortOnFail stopped early (exit code 99). */
export function abortedSummaryFixture(): SummaryData {
  const d = summaryFixture();
  d.metrics['http_req_duration{route:/api/query}']!.thresholds = { 'p(95)<900': { ok: false } };
  d.volley.thresholds = d.volley.thresholds.map((t) =>
    t.metric === 'http_req_duration{route:/api/query}' ? { ...t, ok: false, value: 1_204.5, aborted: true } : t,
  );
  d.volley.verdict = {
    thresholdsOk: false,
    aborted: true,
    abortReason: "threshold 'p(95)<900' on http_req_duration{route:/api/query} failed (abortOnFail)",
    exitCode: 99,
  };
  return d;
}
