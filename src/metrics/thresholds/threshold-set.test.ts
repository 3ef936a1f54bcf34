import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVolleyError } from '../../errors/index.js';
import type { MetricType } from '../metric.js';
import { ThresholdSet, emptyStatReader, type StatName, type StatReader } from './threshold-set.js';

/** A reader over fixed values (a real store is tested with the store). */
function reader(type: MetricType, stats: Partial<Record<StatName, number>>, pct: (p: number) => number | undefined = () => undefined): StatReader {
  return { type, get: (a) => stats[a], percentile: pct };
}

const spec = (threshold: string, abortOnFail = false, delayAbortEvalMs = 0) => ({ threshold, abortOnFail, delayAbortEvalMs });

describe('ThresholdSet', () => {
  const set = new ThresholdSet({
    http_req_duration: [spec('p(95)<300'), spec('p(99.9)<500'), spec('avg<=100')],
    'http_req_duration{route:/api/query}': [spec('p(95)<900', true, 10_000)],
    http_reqs: [spec('count>100'), spec('rate>=10')],
    http_req_failed: [spec('rate<0.01', true)],
    vus: [spec('value==10'), spec('value!=10')],
  });
  const stores: Record<string, StatReader> = {
    http_req_duration: reader('trend', { avg: 100, min: 1, max: 2000, med: 90 }, (p) => (p === 95 ? 250 : p === 99.9 ? 700 : undefined)),
    'http_req_duration{route:/api/query}': reader('trend', { avg: 500 }, (p) => (p === 95 ? 950 : undefined)),
    http_reqs: reader('counter', { count: 1000, rate: 9.5 }),
    http_req_failed: reader('rate', { rate: 0.005 }),
    vus: reader('gauge', { value: 10, min: 0, max: 10 }),
  };

  it('knows its keys', () => {
    assert.equal(set.size, 9);
    assert.deepEqual(set.keys, ['http_req_duration', 'http_req_duration{route:/api/query}', 'http_reqs', 'http_req_failed', 'vus']);
    assert.deepEqual(set.entries[3]!.selector, { metric: 'http_req_duration', tags: { route: '/api/query' } });
  });

  it('evaluates each aggregation and operator, reporting the measured value', () => {
    const r = set.evaluate((k) => stores[k], 5_000);
    assert.deepEqual(
      r.map((e) => [e.metric, e.expr, e.ok, e.value]),
      [
        ['http_req_duration', 'p(95)<300', true, 250],
        ['http_req_duration', 'p(99.9)<500', false, 700],
        ['http_req_duration', 'avg<=100', true, 100],
        ['http_req_duration{route:/api/query}', 'p(95)<900', false, 950],
        ['http_reqs', 'count>100', true, 1000],
        ['http_reqs', 'rate>=10', false, 9.5],
        ['http_req_failed', 'rate<0.01', true, 0.005],
        ['vus', 'value==10', true, 10],
        ['vus', 'value!=10', false, 10],
      ],
    );
  });

  it('aborts only for failing abortOnFail thresholds past delayAbortEval', () => {
    const early = set.evaluate((k) => stores[k], 5_000);
    assert.equal(early[3]!.abortOnFail, true);
    assert.equal(early[3]!.shouldAbort, false); // 5s < delay 10s
    assert.equal(early.some((e) => e.shouldAbort), false);
    const later = set.evaluate((k) => stores[k], 10_000);
    assert.equal(later[3]!.shouldAbort, true);
    assert.deepEqual(later.filter((e) => e.shouldAbort).map((e) => e.metric), ['http_req_duration{route:/api/query}']);
    // A failing threshold without abortOnFail never aborts.
    assert.equal(later[1]!.shouldAbort, false);
  });

  it('during the run, metrics without samples are skipped (ok, value null), as in k6', () => {
    const r = set.evaluate((k) => (k === 'http_reqs' ? undefined : emptyStatReader(stores[k]!.type)), 60_000);
    assert.ok(r.every((e) => e.ok && e.value === null && !e.shouldAbort));
  });

  it("at the end, empty sinks follow k6's rules", () => {
    const t = new ThresholdSet({
      trend: [spec('p(95)<300'), spec('avg>0')],
      counter: [spec('count>0'), spec('count==0'), spec('rate<1')],
      gauge: [spec('value>0')],
      rate: [spec('rate>0.9')],
      missing: [spec('count>0')],
    });
    const types: Record<string, MetricType> = { trend: 'trend', counter: 'counter', gauge: 'gauge', rate: 'rate' };
    const r = t.evaluate((k) => (types[k] ? emptyStatReader(types[k]) : undefined), 1_000, { final: true });
    assert.deepEqual(
      r.map((e) => [e.metric, e.expr, e.ok, e.value]),
      [
        ['trend', 'p(95)<300', true, null], // empty trend compares as 0
        ['trend', 'avg>0', false, null],
        ['counter', 'count>0', false, 0], // empty counter counts 0
        ['counter', 'count==0', true, 0],
        ['counter', 'rate<1', true, 0],
        ['gauge', 'value>0', false, null],
        ['rate', 'rate>0.9', true, null], // empty rate passes (k6 #2520)
        ['missing', 'count>0', true, null], // no sink at all: no data
      ],
    );
  });

  it('throws a VolleyError for bad specs', () => {
    assert.throws(() => new ThresholdSet({ x: [spec('p95<1')] }), (e: unknown) => isVolleyError(e) && e.code === 'E_THRESHOLD');
    assert.throws(() => new ThresholdSet({ 'x{': [spec('count>1')] }), (e: unknown) => isVolleyError(e) && e.code === 'E_THRESHOLD');
  });
});
