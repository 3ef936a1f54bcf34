import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantileRankBounds, wilsonInterval } from './stats.js';

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
