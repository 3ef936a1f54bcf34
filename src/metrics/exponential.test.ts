import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EXPONENTIAL_SCHEMA, exponentialIndex, toExponential } from './exponential.js';
import { newHistogram, percentileMs, recordMs } from './hdr.js';

test('exponentialIndex: bucket k holds (2^((k-1)/2^s), 2^(k/2^s)], bounds included exactly', () => {
  assert.equal(exponentialIndex(1, 256), 0);
  assert.equal(exponentialIndex(2, 256), 256);
  assert.equal(exponentialIndex(2.0000001, 256), 257);
  assert.equal(exponentialIndex(0.5, 2), -2);
  assert.equal(exponentialIndex(0.75, 2), 0);
  assert.equal(exponentialIndex(0.7, 2), -1);
  fc.assert(
    fc.property(fc.double({ min: 1e-7, max: 1e5, noNaN: true }), fc.integer({ min: 0, max: 8 }), (v, s) => {
      const k = exponentialIndex(v, 2 ** s);
      return 2 ** ((k - 1) / 2 ** s) < v && v <= 2 ** (k / 2 ** s);
    }),
  );
});

test('toExponential: counts conserved, zeros in the zero bucket, quantiles within one bucket of HDR', () => {
  const h = newHistogram();
  for (let i = 0; i < 5; i++) recordMs(h, 0);
  for (let i = 1; i <= 10_000; i++) recordMs(h, (i * 7919) % 3000 / 10 + 0.5);
  const e = toExponential(h, EXPONENTIAL_SCHEMA, 1e6);
  assert.equal(e.zeroCount, 5);
  assert.equal(e.counts.reduce((a, b) => a + b, 0) + e.zeroCount, 10_005);
  for (let i = 1; i < e.indexes.length; i++) assert.ok(e.indexes[i]! > e.indexes[i - 1]!);
  // p99 from the buckets: the upper bound of the bucket where the cumulative count reaches 99 %.
  const target = Math.ceil(0.99 * 10_005) - e.zeroCount;
  let acc = 0;
  let k = 0;
  for (let i = 0; i < e.counts.length && acc < target; i++) {
    acc += e.counts[i]!;
    k = e.indexes[i]!;
  }
  const upper = 2 ** (k / 2 ** EXPONENTIAL_SCHEMA);
  const hdrP99 = percentileMs(h, 99) / 1000;
  assert.ok(upper >= hdrP99 && upper / hdrP99 < 2 ** (1 / 256), `${upper} vs ${hdrP99}`);
  assert.deepEqual(toExponential(newHistogram(), 8, 1e6), { schema: 8, zeroCount: 0, indexes: [], counts: [] });
});
