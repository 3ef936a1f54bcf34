import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryFixture } from '../summary/testing/fixtures.js';
import type { ThresholdResult } from '../summary/types.js';
import { percentText, thresholdMargin } from './threshold-margin.js';

const data = summaryFixture();
const th = (metric: string, expr: string, value: number | null, ok: boolean): ThresholdResult => ({ metric, expr, value, ok, abortOnFail: false, aborted: false });

test('a failed maximum: value in the unit, limit, how much over and the ratio', () => {
  const m = thresholdMargin(th('http_req_duration', 'p(99)<500', 612.3, false), data);
  assert.equal(m.aggregation, 'p(99)');
  assert.equal(m.op, '<');
  assert.equal(m.limit, 500);
  assert.equal(m.valueText, '612.3ms');
  assert.equal(m.limitText, '500ms');
  assert.ok(Math.abs(m.ratio! - 1.2246) < 1e-3);
  assert.ok(Math.abs(m.relative! - 0.2246) < 1e-3);
  assert.equal(m.marginText, '22% over the limit (1.22×)');
});

test('a passed maximum shows its headroom', () => {
  const m = thresholdMargin(th('http_req_duration', 'p(95)<300', 212.42, true), data);
  assert.equal(m.marginText, '29% headroom');
});

test('rate>x is measured on the misses: 98% against >99% is twice the allowed misses', () => {
  const fail = thresholdMargin(th('checks', 'rate>0.99', 0.98, false), data);
  assert.equal(fail.valueText, '98.00%');
  assert.equal(fail.marginText, '2.00% missed against 1.00% allowed (2×)');
  const full = thresholdMargin(th('checks', 'rate>0.95', 1, true), data);
  assert.equal(full.relative, 1, 'a 100% rate has all the headroom there is');
  assert.equal(full.marginText, '100% headroom');
});

test('a minimum met many times over reads as a multiple; counters and rates in their units', () => {
  assert.equal(thresholdMargin(th('orders_created', 'count>1000', 5880, true), data).marginText, '5.88× the limit');
  assert.equal(thresholdMargin(th('http_req_failed', 'rate<0.01', 0.01225, false), data).valueText, '1.22%');
  assert.equal(thresholdMargin(th('http_reqs', 'rate>100', 228.5, true), data).valueText, '228.5/s');
});

test('no data, a zero limit, equality and unparsable expressions', () => {
  const none = thresholdMargin(th('http_req_duration', 'p(95)<300', null, false), data);
  assert.equal(none.valueText, 'no data');
  assert.equal(none.relative, null);
  assert.equal(none.marginText, '');
  const zero = thresholdMargin(th('http_req_failed', 'rate<=0', 0.002, false), data);
  assert.equal(zero.ratio, null);
  assert.equal(zero.marginText, '0.20% over the limit');
  assert.equal(thresholdMargin(th('vus', 'value==10', 12, false), data).marginText, '');
  const odd = thresholdMargin(th('x', 'nonsense', 3, false), data);
  assert.equal(odd.op, undefined);
  assert.equal(odd.marginText, '');
});

test('percentText keeps one decimal below 10%', () => {
  assert.equal(percentText(0.2249), '22%');
  assert.equal(percentText(0.0349), '3.5%');
  assert.equal(percentText(0.01), '1%');
});
