import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../util/prng.js';
import { changePoints } from './changepoint.js';
import { bootstrapShift, dispersionRatio, mannWhitney, noiseFloor, normalCdf, normalQuantile, quantileRankBounds, ratioInterval, windowed } from './stats.js';

test('normalCdf matches known values', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(normalCdf(-1) - 0.158655) < 1e-6);
});

test('Mann-Whitney U: separated samples (textbook value) and identical ones', () => {
  const r = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!;
  // U = 0, σ = √(5·5·11/12) = 4.787, continuity-corrected z = 12/4.787 = 2.507 → p = 0.0122
  assert.ok(Math.abs(r.p - 0.0122) < 0.0005, String(r.p));
  assert.equal(r.shift, 5);
  const same = mannWhitney([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])!;
  assert.ok(same.p > 0.999);
  assert.equal(same.shift, 0);
  assert.equal(mannWhitney([1, 2], [3, 4, 5]), undefined);
});

test('Hodges-Lehmann 95 % interval covers a known shift about 95 % of the time, and excludes 0', () => {
  const rand = mulberry32(7);
  let covered = 0;
  for (let k = 0; k < 200; k++) {
    const a = Array.from({ length: 30 }, () => 100 + 10 * rand());
    const b = Array.from({ length: 30 }, () => 110 + 10 * rand());
    const r = mannWhitney(a, b)!;
    if (r.lo <= 10 && 10 <= r.hi) covered++;
    assert.ok(r.lo > 0 && r.p < 0.001);
  }
  assert.ok(covered >= 180, `coverage ${covered}/200`);
});

test('false positives of Mann-Whitney stay near alpha on same-distribution samples', () => {
  const rand = mulberry32(3);
  let hits = 0;
  for (let k = 0; k < 400; k++) {
    const a = Array.from({ length: 20 }, () => rand());
    const b = Array.from({ length: 20 }, () => rand());
    if (mannWhitney(a, b)!.p < 0.05) hits++;
  }
  assert.ok(hits / 400 < 0.09, `false-positive rate ${hits / 400}`);
});

test('windowed keeps short series and averages long ones', () => {
  assert.deepEqual(windowed([1, 2, 3], 5), [1, 2, 3]);
  assert.deepEqual(windowed([1, 3, 5, 7], 2), [2, 6]);
});

test('quantile rank bounds bracket n·q', () => {
  const [lo, hi] = quantileRankBounds(10_000, 0.95);
  assert.ok(lo < 9500 && hi > 9500 && hi - lo < 100, `${lo}..${hi}`);
});

test('quantile rank bounds are exact binomial ranks, unbounded where too few values', () => {
  // n = 5: p(95)'s upper bound needs a 6th value; the lower one is the 4th (P(B ≤ 3) = 2.3 %)...
  assert.deepEqual(quantileRankBounds(5, 0.95), [4, 6]);
  // ...72 values bound it above (P(B ≥ 72) = 0.95^72 = 2.5 %), 71 do not.
  assert.equal(quantileRankBounds(72, 0.95)[1], 72);
  assert.equal(quantileRankBounds(71, 0.95)[1], 72);
  // The median of 20: ranks 6..15 (the textbook 95.9 % interval).
  assert.deepEqual(quantileRankBounds(20, 0.5), [6, 15]);
  // Coverage ≥ 95 % by simulation: uniform values, the true p(90) is 0.9.
  const rand = mulberry32(5);
  let covered = 0;
  for (let i = 0; i < 2000; i++) {
    const xs = Array.from({ length: 40 }, rand).sort((a, b) => a - b);
    const [lo, hi] = quantileRankBounds(40, 0.9);
    const l = lo < 1 ? 0 : xs[lo - 1]!;
    const h = hi > 40 ? 1 : xs[hi - 1]!;
    if (l <= 0.9 && 0.9 <= h) covered++;
  }
  assert.ok(covered / 2000 >= 0.94, `coverage ${covered / 2000}`);
});

test('ratioInterval: an unbounded side concludes nothing', () => {
  assert.deepEqual(ratioInterval(100, 90, Number.POSITIVE_INFINITY, 150, 140, 160), [-1, Number.POSITIVE_INFINITY]);
  assert.deepEqual(ratioInterval(100, 0, 110, 150, 140, 160), [-1, Number.POSITIVE_INFINITY]);
});

test('ratioInterval: identical intervals give a symmetric interval around 0', () => {
  const ci = ratioInterval(100, 95, 105, 100, 95, 105)!;
  assert.ok(ci[0] < 0 && ci[1] > 0 && Math.abs(ci[0] + ci[1]) < 0.01);
  const up = ratioInterval(100, 98, 102, 130, 127, 133)!;
  assert.ok(up[0] > 0.2 && up[1] < 0.4);
});

test('noise floor: a t prediction interval over the history, robust to one odd run', () => {
  assert.equal(noiseFloor([100, 101]), undefined);
  assert.equal(noiseFloor([100, 100, 100]), 0);
  // median 100, MAD 10 → σ̂ 14.826; k = 3 → 4.303 · 14.826 · √(4/3) / 100 = 0.7367
  assert.ok(Math.abs(noiseFloor([90, 100, 110])! - 0.7367) < 0.001);
  // A cold first run (137 among ~110s) barely moves it: 3.182 · 1.4826 · 2 · √(5/4) / 111 = 0.095
  assert.ok(Math.abs(noiseFloor([137, 108, 112, 110])! - 0.095) < 0.002);
});

test('change points: finds a level shift at its place, none in flat noise', () => {
  const rand = mulberry32(11);
  const flat = Array.from({ length: 30 }, () => 100 + 8 * (rand() - 0.5));
  assert.deepEqual(changePoints(flat), []);
  const shifted = [...Array.from({ length: 12 }, () => 100 + 8 * (rand() - 0.5)), ...Array.from({ length: 12 }, () => 125 + 8 * (rand() - 0.5))];
  const cps = changePoints(shifted);
  assert.equal(cps.length, 1);
  assert.equal(cps[0]!.index, 12);
  assert.ok(cps[0]!.after > cps[0]!.before);
  const two = [...Array(8).fill(100), ...Array(8).fill(140), ...Array(8).fill(100)].map((v: number) => v + 4 * (rand() - 0.5));
  assert.deepEqual(changePoints(two).map((c) => c.index), [8, 16]);
});

test('dispersionRatio: about 1 for independent errors, large for a burst', () => {
  const rand = mulberry32(7);
  const n = Array.from({ length: 120 }, () => 200);
  const binomial = n.map((t) => Array.from({ length: t }, () => (rand() < 0.02 ? 1 : 0) as number).reduce((s, v) => s + v, 0));
  const phi = dispersionRatio(binomial, n);
  assert.ok(phi >= 1 && phi < 1.5, String(phi));
  // The same 2 % of errors, all in 6 seconds of a 120-second run.
  const total = binomial.reduce((s, v) => s + v, 0);
  const burst = n.map((_, i) => (i >= 50 && i < 56 ? total / 6 : 0));
  assert.ok(dispersionRatio(burst, n) > 20, String(dispersionRatio(burst, n)));
  // No errors at all: nothing to inflate.
  assert.equal(dispersionRatio(n.map(() => 0), n), 1);
});

test('bootstrapShift: the interval contains the reported change, even far from the per-second centre', () => {
  const rand = mulberry32(3);
  // Skewed per-second p95s: mostly ~100 ms, every seventh second a 1-2 s stall.
  const skewed = (seed: number): number[] => Array.from({ length: 60 }, (_, i) => (i % 7 === seed % 7 ? 1000 + 1000 * rand() : 90 + 20 * rand()));
  const a = skewed(1);
  const b = skewed(2);
  for (const change of [-0.3, 0, 0.05, 0.4, 2]) {
    const r = bootstrapShift(a, b, change)!;
    assert.ok(r.lo <= change && change <= r.hi, `${change} in [${r.lo}, ${r.hi}]`);
  }
  // Deterministic for a seed; same data: not significant.
  assert.deepEqual(bootstrapShift(a, b, 0.1), bootstrapShift(a, b, 0.1));
  const same = bootstrapShift(a, a, 0)!;
  assert.ok(same.lo < 0 && same.hi > 0 && same.p > 0.05);
  // A clear shift of the whole series is significant, and p agrees with the interval.
  const shifted = bootstrapShift(a.map((v) => v / 3), a, 2)!;
  assert.ok(shifted.lo > 0 && shifted.p < 0.05, JSON.stringify(shifted));
  assert.equal(bootstrapShift([1, 2], [1, 2, 3, 4, 5], 0), undefined);
});

test('normalQuantile inverts normalCdf', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-9);
  assert.ok(Math.abs(normalQuantile(0.995) - 2.575829) < 1e-5);
});
