import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownsIteration, share, weightedShare } from './segment.js';

test('shares sum exactly to the whole for any worker count', () => {
  for (let n = 1; n <= 8; n++) {
    for (const x of [0, 1, 2, 3, 7, 10, 99, 1000, 12345]) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += share(x, { index: i, count: n });
      assert.equal(sum, x, `x=${x} n=${n}`);
    }
  }
});

test('weighted shares follow the weights and sum to the whole', () => {
  const weights = [3, 0, 5];
  const total = 8;
  let before = 0;
  let sum = 0;
  const got: number[] = [];
  for (const w of weights) {
    const s = weightedShare(100, before, w, total);
    got.push(s);
    sum += s;
    before += w;
  }
  assert.equal(sum, 100);
  assert.equal(got[1], 0);
});

test('every iteration has exactly one owner', () => {
  for (const n of [1, 2, 3]) {
    for (const vus of [1, 2, 5, 16]) {
      for (let i = 0; i < 200; i++) {
        let owners = 0;
        for (let k = 0; k < n; k++) if (ownsIteration(i, vus, { index: k, count: n })) owners++;
        assert.equal(owners, 1, `i=${i} vus=${vus} n=${n}`);
      }
    }
  }
});
