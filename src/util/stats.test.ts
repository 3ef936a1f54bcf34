import { test } from 'node:test';
import assert from 'node:assert/strict';
import { katzRatioInterval, quantileRankBounds, wilsonInterval } from './stats.js';

const near = (a: number, b: number, tol = 5e-5): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('wilsonInterval matches the published values (Newcombe 1998, Table I, method 3)', () => {
  for (const [k, n, lo, hi] of [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ] as const) {
    const [l, h] = wilsonInterval(k, n);
    near(l, lo);
    near(h, hi);
  }
  // 0 failures of 200 requests: the failure rate is below 1.9 % (z² / (n + z²)), not 0 %.
  near(wilsonInterval(0, 200)[1], 3.8415 / 203.8415, 1e-6);
  assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
  assert.equal(wilsonInterval(7, 7)[1], 1);
});

test('quantileRankBounds: exact binomial ranks of p(95) at step sizes find-capacity sees', () => {
  // Bin(100, 0.95): P(B ≤ 89) = 2.0 % ≤ 2.5 % < P(B ≤ 90); P(B ≥ 100) = 0.95^100 = 0.6 %, P(B ≥ 99) = 3.7 %.
  assert.deepEqual(quantileRankBounds(100, 0.95), [90, 100]);
  assert.deepEqual(quantileRankBounds(200, 0.95), [184, 197]);
  assert.deepEqual(quantileRankBounds(20, 0.95), [17, 21], '20 requests cannot bound p(95) above');
});

test('katzRatioInterval matches the published values (Agresti, Categorical Data Analysis, 2nd ed., §3.1.4)', () => {
  // Physicians' Health Study: myocardial infarction in 189 of 11,034 on placebo, 104 of 11,037 on
  // aspirin; relative risk 1.817, 95 % interval (1.433, 2.306).
  const k = katzRatioInterval(104, 11037, 189, 11034)!;
  near(k.lo, 1.433, 5e-4);
  near(k.hi, 2.306, 5e-4);
  assert.ok(k.z > 1.96);
  // Reversed: the reciprocal interval.
  const r = katzRatioInterval(189, 11034, 104, 11037)!;
  near(r.lo, 1 / 2.306, 5e-4);
  near(r.hi, 1 / 1.433, 5e-4);
});

test('katzRatioInterval: a zero count gets the 0.5 correction, overdispersion widens, a given ratio is the centre', () => {
  const zero = katzRatioInterval(0, 1000, 5, 1000)!;
  assert.ok(Number.isFinite(zero.lo) && Number.isFinite(zero.hi) && zero.lo > 0);
  near(Math.sqrt(zero.lo * zero.hi), 10, 1e-9); // centred on 5 / 0.5
  const plain = katzRatioInterval(20, 1000, 30, 1000)!;
  const burst = katzRatioInterval(20, 1000, 30, 1000, { phi1: 4, phi2: 4 })!;
  near(Math.log(burst.hi / burst.lo), 2 * Math.log(plain.hi / plain.lo), 1e-9); // √4 = twice as wide
  assert.ok(plain.lo < 1.5 && plain.hi > 1.5 && burst.lo < plain.lo);
  const centred = katzRatioInterval(0, 1000, 0, 1000, { ratio: 1 })!;
  near(centred.lo * centred.hi, 1, 1e-12);
  assert.equal(centred.z, 0);
  // All trials true (checks at 100 %) still has a width.
  const all = katzRatioInterval(500, 500, 490, 500)!;
  assert.ok(all.lo < 0.98 && all.hi > 0.98 && all.hi > all.lo);
  assert.equal(katzRatioInterval(1, 0, 1, 10), undefined);
});
