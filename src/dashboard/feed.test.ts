import { metricCatalog } from '../protocols/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aggregator } from '../metrics/aggregator.js';
import { SEP } from '../metrics/breakdowns.js';
import type { MetricType, ValueType } from '../metrics/metric.js';
import { buildSnapshot } from '../metrics/snapshot.js';
import { TrendSink, type SinkDelta } from '../metrics/sinks.js';
import type { EntryPart } from '../metrics/store.js';
import { summaryFixture } from '../summary/testing/fixtures.js';
import { MAX_TABLE_ROWS, toWireEnd, toWireUpdate } from './feed.js';
import { SyntheticRun } from './testing/synthetic.js';
import type { LiveUpdate } from './types.js';

type Entry = { metric: string; part: EntryPart; key: string; delta: SinkDelta; type: MetricType; contains: ValueType };

function trendDelta(values: number[]): SinkDelta {
  const s = new TrendSink();
  for (const v of values) s.add(v);
  return s.drain();
}

const live = (elapsedMs: number): LiveUpdate['live'] => ({
  elapsedMs,
  plannedMs: 60_000,
  vus: 3,
  vusMax: 5,
  iterations: 10,
  rps: 4,
  p95: 12,
  errorRate: 0.25,
  scenarios: [{ name: 'default', executor: 'constant-vus', active: 3, allocated: 5, progress: 0.5, done: false, iterations: 10 }],
  failedThresholds: 0,
  eventLoopDelayP99Ms: 1,
  cpuPercent: 10,
});

test('tables from a real aggregator snapshot: totals, routes, scenarios, checks, errors', () => {
  const agg = new Aggregator(() => 10_000, metricCatalog().breakdowns);
  const route = `http://x/a${SEP}GET`;
  const routeB = `http://x/b${SEP}POST`;
  const entries: Entry[] = [
    { metric: 'http_reqs', part: 'total', key: '', delta: { k: 'c', sum: 40 }, type: 'counter', contains: 'default' },
    { metric: 'http_req_failed', part: 'total', key: '', delta: { k: 'r', trues: 10, total: 40 }, type: 'rate', contains: 'default' },
    { metric: 'http_req_duration', part: 'total', key: '', delta: trendDelta([10, 20, 30, 40]), type: 'trend', contains: 'time' },
    { metric: 'checks', part: 'total', key: '', delta: { k: 'r', trues: 9, total: 10 }, type: 'rate', contains: 'default' },
    { metric: 'iterations', part: 'total', key: '', delta: { k: 'c', sum: 10 }, type: 'counter', contains: 'default' },
    { metric: 'http_reqs', part: 'route', key: route, delta: { k: 'c', sum: 30 }, type: 'counter', contains: 'default' },
    { metric: 'http_req_failed', part: 'route', key: route, delta: { k: 'r', trues: 3, total: 30 }, type: 'rate', contains: 'default' },
    { metric: 'http_req_duration', part: 'route', key: route, delta: trendDelta([10, 20, 30]), type: 'trend', contains: 'time' },
    { metric: 'http_reqs', part: 'route', key: routeB, delta: { k: 'c', sum: 10 }, type: 'counter', contains: 'default' },
    { metric: 'http_req_failed', part: 'route', key: routeB, delta: { k: 'r', trues: 7, total: 10 }, type: 'rate', contains: 'default' },
    { metric: 'iterations', part: 'scenario', key: 'default', delta: { k: 'c', sum: 10 }, type: 'counter', contains: 'default' },
    { metric: 'http_reqs', part: 'scenario', key: 'default', delta: { k: 'c', sum: 40 }, type: 'counter', contains: 'default' },
    { metric: 'iteration_duration', part: 'scenario', key: 'default', delta: trendDelta([100, 200]), type: 'trend', contains: 'time' },
    { metric: 'checks', part: 'check', key: `${SEP}status 200`, delta: { k: 'r', trues: 5, total: 5 }, type: 'rate', contains: 'default' },
    { metric: 'checks', part: 'check', key: `::g${SEP}has id`, delta: { k: 'r', trues: 4, total: 5 }, type: 'rate', contains: 'default' },
    { metric: 'http_req_failed', part: 'error', key: `200${SEP}`, delta: { k: 'r', trues: 0, total: 30 }, type: 'rate', contains: 'default' },
    { metric: 'http_req_failed', part: 'error', key: `503${SEP}`, delta: { k: 'r', trues: 6, total: 6 }, type: 'rate', contains: 'default' },
    { metric: 'http_req_failed', part: 'error', key: `0${SEP}1211`, delta: { k: 'r', trues: 4, total: 4 }, type: 'rate', contains: 'default' },
  ];
  agg.merge(entries);
  const snapshot = buildSnapshot(agg, 1_000, 10_000);
  const w = toWireUpdate(
    { live: live(10_000), row: { timeMs: 0, values: { vus: 3 } }, snapshot, thresholds: [{ metric: 'http_req_duration', expr: 'p(95)<35', ok: false, value: 40, abortOnFail: false, shouldAbort: false }] },
    { script: 's.ts', startTimeMs: 0, plannedMs: 60_000, scenarios: { default: '3 looping VUs for 1m0s' }, version: 'x' },
  );
  assert.equal(w.totals.requests, 40);
  assert.equal(w.totals.failed, 10);
  assert.equal(w.totals.errorRate, 0.25);
  assert.equal(w.totals.checksPasses, 9);
  assert.equal(w.totals.checksFails, 1);
  assert.equal(w.totals.iterations, 10);
  assert.equal(w.totals.max, 40);
  assert.ok(w.totals.p95! >= 30 && w.totals.p95! <= 40);

  assert.equal(w.routesTotal, 2);
  assert.deepEqual(
    w.routes.map((r) => [r.method, r.name, r.requests, r.failed, r.errorRate, r.rps]),
    [
      ['GET', 'http://x/a', 30, 3, 0.1, 3],
      ['POST', 'http://x/b', 10, 7, 0.7, 1],
    ],
  );
  assert.ok(w.routes[0]!.p95! >= 20 && w.routes[0]!.p95! <= 30);
  assert.equal(w.routes[1]!.p95, null, 'no duration samples: null, not 0');

  assert.deepEqual(w.scenarios.map((s) => [s.name, s.description, s.iterations, s.requests]), [['default', '3 looping VUs for 1m0s', 10, 40]]);
  assert.ok(w.scenarios[0]!.iterationP95! >= 100);

  assert.deepEqual(
    w.checks.map((c) => [c.group, c.name, c.passes, c.fails]),
    [
      ['::g', 'has id', 4, 1],
      ['', 'status 200', 5, 0],
    ],
    'failing checks first',
  );
  assert.deepEqual(
    w.errors.map((e) => [e.key, e.count]),
    [
      ['status 503', 6],
      ['error_code 1211', 4],
    ],
    'successful statuses are not errors',
  );
  assert.deepEqual(w.thresholds, [{ metric: 'http_req_duration', expr: 'p(95)<35', ok: false, value: 40, abortOnFail: false, unit: 'ms', failedAtMs: null }]);
  assert.deepEqual(w.row, { t: 0, v: { vus: 3 } });
});

test('a threshold sub-metric with route-like tags does not add a route row', () => {
  const run = new SyntheticRun();
  const w = toWireUpdate(run.next(), run.meta);
  assert.equal(w.routesTotal, 5);
  assert.ok(w.routes.every((r) => r.method !== ''));
  assert.deepEqual(
    w.thresholds.map((t) => t.unit),
    ['ms', 'ms', 'rate', 'rate'],
  );
});

test('tables are capped, counts are not', () => {
  const run = new SyntheticRun();
  const u = run.next();
  for (let i = 0; i < MAX_TABLE_ROWS + 50; i++) {
    u.snapshot.series.push({ name: 'http_reqs', type: 'counter', contains: 'default', tags: { name: `http://x/${i}`, method: 'GET' }, view: 'route', values: { count: i } });
  }
  const w = toWireUpdate(u, run.meta);
  assert.equal(w.routes.length, MAX_TABLE_ROWS);
  assert.equal(w.routesTotal, MAX_TABLE_ROWS + 55);
  assert.ok(w.routes[0]!.requests >= w.routes[1]!.requests, 'busiest first');
});

test('the end event leaves out the bulky series and histogram', () => {
  const s = summaryFixture();
  const e = toWireEnd(s);
  assert.deepEqual(e.summary.volley.timeSeries.t, []);
  assert.deepEqual(e.summary.volley.histogram.buckets, []);
  assert.deepEqual(e.summary.volley.thresholds, s.volley.thresholds);
  assert.ok(s.volley.timeSeries.t.length > 0, 'the original is untouched');
});

test('an error budget carries its state in words to the page (seconds of breach, allowance, burn rate)', () => {
  const run = new SyntheticRun();
  const u = run.next();
  const budget = {
    unit: 'seconds' as const, windowMs: 60_000, windows: 3, breachedWindows: 1, budgetSeconds: 28_800, periodMs: 2_592_000_000,
    runSeconds: 180, allowed: 2, used: 60, remaining: -58, burnRate: 30, exhaustedInMs: 86_400_000, breaches: [{ startMs: 60_000, endMs: 120_000 }],
  };
  const thresholds = [{ metric: 'http_req_duration', expr: 'p(95)<350 budget 28800s over 30d', ok: false, value: 900, abortOnFail: false, shouldAbort: false, budget }];
  const [t] = toWireUpdate({ ...u, thresholds }, run.meta).thresholds;
  assert.equal(t!.note, 'budget: 60s breached of 2s allowed (3,000 %), 58s over budget; 1 of 3 windows of 1m breached (at 1m–2m), burn rate 30.00×; at this rate the 30d budget lasts 1d');
  assert.equal(toWireUpdate(u, run.meta).thresholds.some((x) => x.note !== undefined), false, 'no note without a budget');
});
