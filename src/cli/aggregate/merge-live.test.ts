import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveMerge, LOST_AFTER_MS } from './merge-live.js';
import type { AggregatePush } from './protocol.js';

let seq = 0;
function push(runner: string, o: { vus: number; reqs: number; row?: number; done?: boolean; hash?: string }): AggregatePush {
  return {
    v: 1,
    runner,
    seq: seq++,
    segment: '0:1',
    scriptHash: o.hash ?? 'abc',
    meta: { script: 't.ts', startTimeMs: 1_000_000, plannedMs: 10_000, scenarios: {}, version: 'x' },
    thresholds: { http_reqs: [{ threshold: 'count<15', abortOnFail: false, delayAbortEvalMs: 0 }] },
    failWithoutSamples: true,
    series: [],
    breakdowns: [],
    live: { elapsedMs: 3000, plannedMs: 10_000, vus: o.vus, vusMax: o.vus, iterations: o.reqs, rps: 10, p95: 5, errorRate: 0, scenarios: [{ name: 's', executor: 'constant-vus', active: o.vus, allocated: o.vus, progress: 0.3, done: false, iterations: o.reqs }], failedThresholds: 0, eventLoopDelayP99Ms: 1, cpuPercent: 10 },
    row: o.row === undefined ? null : { timeMs: o.row * 1000, values: { http_reqs: o.reqs, vus: o.vus } },
    aggregates: [
      { metric: 'http_reqs', type: 'counter', contains: 'default', part: 'total', key: '', counter: { sum: o.reqs } },
      { metric: 'vus', type: 'gauge', contains: 'default', part: 'total', key: '', gauge: { last: o.vus, min: 0, max: o.vus, t: 1 } },
    ],
    done: o.done ?? false,
  };
}

test('runners merge: counters and VUs add up, thresholds judge the sum, a second is merged once every runner has it', () => {
  const m = new LiveMerge(2);
  m.accept(push('a', { vus: 2, reqs: 10, row: 1001 }), 1_003_000);
  let t = m.tick(1_003_100)!;
  assert.deepEqual(t.rows, [], 'second 1001 waits for the other runner');
  assert.equal(t.thresholds[0]!.ok, true);
  m.accept(push('b', { vus: 3, reqs: 8, row: 1001 }), 1_003_200);
  t = m.tick(1_003_300)!;
  assert.equal(t.agg.find('http_reqs')!.sink.get('count'), 18);
  assert.equal(t.agg.find('vus')!.sink.get('value'), 5);
  assert.equal(t.live.vus, 5);
  assert.equal(t.live.scenarios[0]!.active, 5);
  assert.equal(t.thresholds[0]!.ok, false, 'count<15 fails on the merge only');
  assert.deepEqual(t.rows, [{ timeMs: 1_001_000, values: { http_reqs: 18, vus: 5 } }]);
  assert.deepEqual(m.tick(1_003_400)!.rows, [], 'each second once');
});

test('a runner of another script is refused; a silent one is lost, and then the test is over', () => {
  const m = new LiveMerge();
  m.accept(push('a', { vus: 1, reqs: 1 }), 0);
  assert.throws(() => m.accept(push('b', { vus: 1, reqs: 1, hash: 'zzz' }), 0), /runs another script/);
  m.accept(push('c', { vus: 1, reqs: 1, done: true }), 0);
  assert.equal(m.allOver(1000), false);
  assert.equal(m.allOver(LOST_AFTER_MS + 1), true);
  assert.deepEqual(m.tick(LOST_AFTER_MS + 1)!.runners.map((r) => [r.name, r.done, r.lost]), [['a', false, true], ['c', true, false]]);
});

test('a push with totals only keeps the breakdown rows the runner sent before', () => {
  const m = new LiveMerge();
  const first = push('a', { vus: 1, reqs: 5 });
  first.aggregates.push({ metric: 'http_reqs', type: 'counter', contains: 'default', part: 'route', key: 'GET /x', counter: { sum: 5 } });
  m.accept(first, 0);
  m.accept(push('a', { vus: 1, reqs: 9 }), 1000);
  const t = m.tick(1000)!;
  assert.equal(t.agg.find('http_reqs')!.sink.get('count'), 9, 'the newest total');
  assert.equal(t.rowsAgg!.find('http_reqs', 'route', 'GET /x')!.sink.get('count'), 5, 'the row as last sent');
  assert.equal(m.tick(2000)!.rowsAgg!.find('http_reqs', 'route', 'GET /x')!.sink.get('count'), 5, 'kept when not rebuilt');
});

test('counter rates use the runners’ clocks (start + elapsed), not the aggregate’s: a late tick does not lower them', () => {
  const m = new LiveMerge();
  const a = push('a', { vus: 1, reqs: 100 });
  const b = push('b', { vus: 1, reqs: 100 });
  a.live.elapsedMs = b.live.elapsedMs = 10_000;
  m.accept(a, 0);
  m.accept(b, 0);
  // 5 s after the runners' aggregates were taken: 200 requests in 10 s is still 20/s.
  const t = m.tick(1_000_000 + 15_000)!;
  assert.equal(t.agg.find('http_reqs')!.sink.get('rate'), 20);
});

test('a push older than the last accepted is ignored; a second runner under the same name is refused', () => {
  const m = new LiveMerge();
  const newer = push('a', { vus: 1, reqs: 50 });
  const older = { ...push('a', { vus: 1, reqs: 10 }), seq: newer.seq - 1 };
  m.accept(newer, 0);
  m.accept(older, 0);
  assert.equal(m.tick(1_005_000)!.agg.find('http_reqs')!.sink.get('count'), 50);
  const twin = push('a', { vus: 1, reqs: 1 });
  twin.meta = { ...twin.meta, startTimeMs: 2_000_000 };
  assert.throws(() => m.accept(twin, 0), /two runners are named a/);
});
