import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Schedule } from './schedule.js';

test('recurring windows start at `at` (default `every`) and last `for`', () => {
  const s = new Schedule([{ every: 1000, for: 200 }], 5000);
  assert.equal(s.remaining(5000 + 999), 0);
  assert.equal(s.remaining(5000 + 1000), 200);
  assert.equal(s.remaining(5000 + 1150), 50);
  assert.equal(s.remaining(5000 + 1200), 0);
  assert.equal(s.remaining(5000 + 3100), 100);
  assert.deepEqual(s.startsBetween(0, 3500), [1000, 2000, 3000]);
});

test('explicit `at`, one-off windows and overlapping windows', () => {
  const s = new Schedule([{ every: 1000, for: 100, at: 250 }, { for: 500, at: 2000 }], 0);
  assert.equal(s.remaining(249), 0);
  assert.equal(s.remaining(260), 90);
  assert.equal(s.active(260), 0);
  assert.equal(s.remaining(2100), 400); // both windows: the longer remainder wins
  assert.equal(s.active(2100), 1);
  assert.equal(s.remaining(2600), 0);
  assert.equal(s.remaining(3300), 50);
  assert.equal(s.active(10), -1);
});
