import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argMax, downsample, findExcursions, mad, median, stableBaseline, valuesIn } from './series-stats.js';

test('median and MAD ignore outliers', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(median([10, 10, 10, 10, 1000]), 10);
  assert.equal(mad([1, 2, 3, 4, 100]), 1);
});

test('valuesIn and argMax skip nulls, never read them as 0', () => {
  const s = [null, 5, null, -1, 7, null];
  assert.deepEqual(valuesIn(s), [5, -1, 7]);
  assert.deepEqual(valuesIn(s, 2, 4), [-1]);
  assert.equal(argMax(s), 4);
  assert.equal(argMax([null, null]), -1);
});

test('stableBaseline: the first steady window, skipping a noisy warm-up', () => {
  const warm = [500, 20, 900, 30, 700, 10];
  const steady = Array.from({ length: 40 }, (_, i) => 100 + (i % 3));
  const b = stableBaseline([...warm, ...steady], 6)!;
  assert.ok(b.stable);
  assert.ok(b.from >= 3, `baseline starts after the warm-up, got ${b.from}`);
  assert.ok(Math.abs(b.level - 101) <= 1);
  assert.ok(b.sigma < 5);
});

test('stableBaseline: zero series are stable; too short is undefined; noisy falls back', () => {
  const zeros = stableBaseline(new Array(30).fill(0), 5)!;
  assert.equal(zeros.level, 0);
  assert.equal(zeros.sigma, 0);
  assert.ok(zeros.stable);
  assert.equal(stableBaseline([1, 2, 3, 4, 5, 6, 7, 8, 9], 5), undefined);
  const noisy = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 10 : 200));
  const b = stableBaseline(noisy, 6)!;
  assert.equal(b.stable, false);
});

test('stableBaseline counts data points, not buckets with nulls', () => {
  const s: (number | null)[] = [];
  for (let i = 0; i < 40; i++) s.push(i % 2 === 0 ? 50 : null);
  const b = stableBaseline(s, 5)!;
  assert.equal(b.level, 50);
  assert.equal(b.from, 0);
  assert.equal(b.to, 9); // five data points: indexes 0, 2, 4, 6, 8
});

test('findExcursions: sustained runs only; one dip does not end a run, two do', () => {
  const s = [1, 1, 9, 9, 1, 9, 9, 1, 1, 1, 9, 1, 1];
  const runs = findExcursions(s, 5, 3);
  assert.equal(runs.length, 1, 'the single point at index 10 is not sustained');
  const r = runs[0]!;
  assert.equal(r.from, 2);
  assert.equal(r.to, 7);
  assert.equal(r.points, 4);
  assert.equal(r.recovered, true);
});

test('findExcursions: an open run at the end has not recovered; nulls are skipped', () => {
  const runs = findExcursions([0, 0, 8, null, 9, 7, null, 9], 5, 3);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.from, 2);
  assert.equal(runs[0]!.peak, 9);
  assert.equal(runs[0]!.peakIndex, 4);
  assert.equal(runs[0]!.recovered, false);
  assert.deepEqual(findExcursions([1, 2, 3], 5, 1), []);
});

test('downsample: mean or max per group, nulls stay null', () => {
  assert.deepEqual(downsample([1, 3, 5, 7, 9], 2, false), [2, 6, 9]);
  assert.deepEqual(downsample([1, 3, 5, 7, 9], 2, true), [3, 7, 9]);
  assert.deepEqual(downsample([null, null, 4, null], 2, false), [null, 4]);
  assert.deepEqual(downsample([1, 2], 1, false), [1, 2]);
});
