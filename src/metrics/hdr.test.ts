import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addSparse, newHistogram, percentileMs, recordMs, toSparse } from './hdr.js';

test('sparse transfer round-trips exactly, zeros and extremes included', () => {
  for (let round = 0; round < 50; round++) {
    const a = newHistogram();
    const n = 1 + Math.floor(Math.random() * 2000);
    for (let i = 0; i < n; i++) {
      const r = Math.random();
      recordMs(a, r < 0.05 ? 0 : r < 0.1 ? Math.random() * 0.01 : r < 0.15 ? 1000 + Math.random() * 500_000 : Math.random() * 200);
    }
    const b = newHistogram();
    addSparse(b, toSparse(a));
    assert.equal(b.totalCount, a.totalCount);
    for (const p of [0, 1, 25, 50, 90, 99, 99.9, 100]) assert.equal(percentileMs(b, p), percentileMs(a, p), `p${p}`);
  }
});

test('an empty histogram sends nothing', () => {
  assert.equal(toSparse(newHistogram()).length, 0);
});
