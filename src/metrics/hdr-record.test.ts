import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { newHistogram, recordMs, toSparse, UNITS_PER_MS } from './hdr.js';

describe('hdr: recordMs fast index', () => {
  it('lands every value in the bucket the library itself picks', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 3_000_000, noNaN: true }), fc.integer({ min: 0, max: 70_000 })), { maxLength: 200 }), (values) => {
        const fast = newHistogram();
        const lib = newHistogram();
        for (const ms of values) {
          recordMs(fast, ms);
          lib.recordValue(ms > 0 ? Math.round(ms * UNITS_PER_MS) : 0);
        }
        assert.deepEqual(toSparse(fast), toSparse(lib));
        assert.equal(fast.totalCount, lib.totalCount);
        assert.equal(fast.maxValue, lib.maxValue);
        assert.equal(fast.minNonZeroValue, lib.minNonZeroValue);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees at bucket edges (powers of two ± 1) and for 0', () => {
    const fast = newHistogram();
    const lib = newHistogram();
    for (let k = 0; k < 31; k++) {
      for (const v of [2 ** k - 1, 2 ** k, 2 ** k + 1]) {
        recordMs(fast, v / UNITS_PER_MS);
        lib.recordValue(v);
      }
    }
    recordMs(fast, 0);
    lib.recordValue(0);
    assert.deepEqual(toSparse(fast), toSparse(lib));
    assert.equal(fast.totalCount, lib.totalCount);
  });
});
