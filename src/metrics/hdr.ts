import * as hdr from 'hdr-histogram-js';

/**
 * HDR histogram helpers. Trend values are milliseconds (or plain numbers for non-time trends) and
 * are recorded in thousandths (microseconds for time), 3 significant digits, auto-resizing, so
 * percentiles carry at most 0.1% relative error whatever the test length, in constant memory.
 */
export type Histogram = hdr.Histogram;

/** Units per millisecond stored in the histogram (1000 = microsecond resolution). */
export const UNITS_PER_MS = 1000;

/** A new histogram: 1 unit .. 60 s initially, growing when needed. */
export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000 * UNITS_PER_MS,
    numberOfSignificantValueDigits: 3,
  });
}

/** The library's internals `recordMs` uses (hdr-histogram-js JsHistogram and its typed-array subclasses). */
interface RecordInternals {
  subBucketHalfCountMagnitude: number;
  subBucketHalfCount: number;
  unitMagnitude: number;
  countsArrayLength: number;
  incrementCountAtIndex(i: number): void;
  updateMinAndMax(v: number): void;
  incrementTotalCount(): void;
}

/**
 * Records a value in ms (negative values are clamped to 0: HDR tracks non-negative values only).
 *
 * Hot path: every request records eight trend samples. The library computes the bucket with
 * `floor(log2(v))` and `pow(2, k)` in floating point; for values below 2^31 units (35 minutes in
 * µs) the same index comes from `Math.clz32` and a shift, exactly as the Java original does
 * (bench/micro/hdr-record.mjs: ≈ 49 → 17 ns per value; equivalence tested in hdr-record.test.ts).
 * Anything else (larger values, a value past the current range that needs a resize) takes the
 * library's own path.
 */
export function recordMs(h: Histogram, ms: number): void {
  const v = ms > 0 ? Math.round(ms * UNITS_PER_MS) : 0;
  if (v < 0x80000000) {
    const x = h as unknown as RecordInternals;
    const m = x.subBucketHalfCountMagnitude;
    const u = x.unitMagnitude;
    let bucket = 31 - Math.clz32(v) - m - u;
    if (bucket < 0) bucket = 0;
    const idx = ((bucket + 1) << m) + (v >>> (bucket + u)) - x.subBucketHalfCount;
    if (idx < x.countsArrayLength) {
      x.incrementCountAtIndex(idx);
      x.updateMinAndMax(v);
      x.incrementTotalCount();
      return;
    }
  }
  h.recordValue(v);
}

/** Value at percentile (0..100) in ms; 0 for an empty histogram. */
export function percentileMs(h: Histogram, p: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / UNITS_PER_MS;
}

interface Indexed {
  countsArrayLength: number;
  minNonZeroValue: number;
  maxValue: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  countsArrayIndex(value: number): number;
}

/**
 * Sparse (index, count) pairs of the non-zero buckets: how histograms cross threads. Only the
 * index range between the smallest non-zero and the largest recorded value is scanned (plus
 * bucket 0): a per-second interval histogram of 20–60 ms latencies covers a few hundred buckets
 * of the 23k, so a worker's once-per-second drain stays well under a millisecond instead of
 * blocking its event loop for several (measured: full scans of ~15 sinks took 2–6 ms here, and
 * showed up as event-loop delay and as latency on responses arriving meanwhile). Scanning beats
 * the library's compressed base64 (see bench/hdr-transfer.mjs: 0.06 ms vs 0.31 ms per full histogram).
 */
export function toSparse(h: Histogram): Float64Array {
  const x = h as unknown as Indexed;
  if (h.totalCount === 0) return new Float64Array(0);
  const zero = x.getCountAtIndex(0);
  const from = x.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 1 : Math.max(1, x.countsArrayIndex(x.minNonZeroValue));
  const to = Math.min(x.countsArrayLength - 1, x.countsArrayIndex(x.maxValue));
  let nz = zero !== 0 ? 1 : 0;
  for (let i = from; i <= to; i++) if (x.getCountAtIndex(i) !== 0) nz++;
  const out = new Float64Array(nz * 2);
  let j = 0;
  if (zero !== 0) {
    out[j++] = 0;
    out[j++] = zero;
  }
  for (let i = from; i <= to; i++) {
    const c = x.getCountAtIndex(i);
    if (c !== 0) {
      out[j++] = i;
      out[j++] = c;
    }
  }
  return out;
}

/** Adds sparse pairs produced by `toSparse` on a histogram with the same resolution. */
export function addSparse(h: Histogram, pairs: Float64Array, template: Histogram = h): void {
  const t = template as unknown as Indexed;
  for (let j = 0; j < pairs.length; j += 2) {
    h.recordValueWithCount(t.valueFromIndex(pairs[j]!), pairs[j + 1]!);
  }
}

/** Iterates non-empty buckets as [upper bound in ms, count], for distribution charts. */
export function bucketsMs(h: Histogram, maxBuckets = 200): Array<[number, number]> {
  const x = h as unknown as Indexed;
  const raw: Array<[number, number]> = [];
  for (let i = 0; i < x.countsArrayLength; i++) {
    const c = x.getCountAtIndex(i);
    if (c !== 0) raw.push([x.valueFromIndex(i) / UNITS_PER_MS, c]);
  }
  if (raw.length <= maxBuckets) return raw;
  // Merge neighbours so the chart stays small; keeps total counts exact.
  const per = Math.ceil(raw.length / maxBuckets);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < raw.length; i += per) {
    let c = 0;
    let ub = 0;
    for (let k = i; k < Math.min(raw.length, i + per); k++) {
      c += raw[k]![1];
      ub = raw[k]![0];
    }
    out.push([ub, c]);
  }
  return out;
}
