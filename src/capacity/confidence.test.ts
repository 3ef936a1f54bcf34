import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtInterval, intervalOf, longerStep, projected, sloInterval, stepVerdict, verdictOf, type SloData } from './confidence.js';

/** n values 1, 2, …, n: the value of rank r is r, so the interval's bounds are its ranks. */
const ranks = (n: number, q: number): SloData => ({ kind: 'quantile', q, n, point: Math.ceil(q * n), at: (f) => Math.round(f * n) });

test('a percentile interval is the pair of order statistics at the exact binomial ranks', () => {
  assert.deepEqual(intervalOf(ranks(100, 0.95)), { value: 95, lower: 90, upper: 100, n: 100, method: 'order statistics' });
  // 20 requests: p(95) has no upper bound (it needs 72), so it cannot be shown to hold.
  const few = intervalOf(ranks(20, 0.95));
  assert.equal(few.upper, null);
  assert.equal(few.lower, 17);
  assert.deepEqual(intervalOf(ranks(20, 0.5)), { value: 10, lower: 6, upper: 15, n: 20, method: 'order statistics' });
  assert.equal(intervalOf({ kind: 'quantile', q: 0.95, n: 0, point: 0, at: () => 0 }).value, null);
});

test('a rate interval is Wilson; a mean is ± 1.96 standard errors; max and the rest are observed', () => {
  const r = intervalOf({ kind: 'proportion', k: 0, n: 200 });
  assert.equal(r.value, 0);
  assert.equal(r.lower, 0);
  assert.ok(Math.abs(r.upper! - 0.018845) < 1e-6);
  const m = intervalOf({ kind: 'mean', n: 400, mean: 100, sd: 40 });
  assert.ok(Math.abs(m.lower! - 96.08) < 0.01 && Math.abs(m.upper! - 103.92) < 0.01, JSON.stringify(m));
  assert.deepEqual(intervalOf({ kind: 'observed', value: 7 }), { value: 7, lower: 7, upper: 7, n: 1, method: 'observed' });
});

test('verdicts: held when the whole interval is on the good side, broke when wholly on the bad side, else uncertain', () => {
  const iv = { value: 95, lower: 90, upper: 100 };
  assert.equal(verdictOf(iv, '<', 101), 'held');
  assert.equal(verdictOf(iv, '<', 100), 'uncertain', 'the upper bound touches the limit');
  assert.equal(verdictOf(iv, '<=', 100), 'held');
  assert.equal(verdictOf(iv, '<', 90), 'broke');
  assert.equal(verdictOf(iv, '<', 95), 'uncertain', 'the point estimate alone would say broke');
  assert.equal(verdictOf(iv, '>', 89), 'held');
  assert.equal(verdictOf(iv, '>=', 101), 'broke');
  assert.equal(verdictOf({ value: 5, lower: 4, upper: null }, '<', 500), 'uncertain', 'an unbounded side reaches past any limit');
  assert.equal(verdictOf({ value: 900, lower: 800, upper: null }, '<', 500), 'broke');
  assert.equal(verdictOf({ value: null, lower: null, upper: null }, '<', 500), 'broke', 'no data fails, as thresholds do');
  assert.equal(stepVerdict([{ verdict: 'held' }, { verdict: 'uncertain' }]), 'uncertain');
  assert.equal(stepVerdict([{ verdict: 'broke' }, { verdict: 'uncertain' }]), 'broke');
  assert.equal(stepVerdict([{ verdict: 'held' }, { verdict: 'held' }]), 'held');
});

test('a longer step is suggested with the interval it would give, projected from the step itself', () => {
  // 20 requests of 1..20 ms in a 1 s step, p(95)<30: uncertain now; 30 s would give 600 requests, bounded.
  const d: SloData = { kind: 'quantile', q: 0.95, n: 20, point: 19, at: (f) => Math.max(1, Math.round(f * 20)) };
  const s = sloInterval('http_req_duration', 'p(95)<30', d, '<', 30, 'ms', 1000);
  assert.equal(s.verdict, 'uncertain');
  assert.equal(s.longer?.stepMs, 30_000);
  assert.ok(s.longer!.upper !== null && s.longer!.upper <= 20 && s.longer!.lower! <= 19, JSON.stringify(s.longer));
  assert.equal(projected(d, 30)!.n, 600);
  // A failure rate right on its limit: no suggested step decides it.
  assert.equal(longerStep({ kind: 'proportion', k: 10, n: 1000 }, '<', 0.01, 10_000), undefined);
  assert.equal(fmtInterval(s), '19 ms [17, ∞]');
  assert.equal(fmtInterval({ value: 0.005, lower: 0.001, upper: 0.019, unit: 'ratio' }), '0.5 % [0.1, 1.9]');
});
