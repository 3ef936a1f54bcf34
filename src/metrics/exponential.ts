/**
 * HDR histogram → exponential buckets (Prometheus native histograms, OpenTelemetry exponential
 * histograms). At schema s, bucket k holds the values in (2^((k-1)/2^s), 2^(k/2^s)]: each bucket is
 * 2^(2^-s) times wider than the last (schema 8: 0.27 % wide). Each HDR bucket (at most 0.1 % wide)
 * goes whole into the exponential bucket of its highest equivalent value, the value HDR reports for
 * a percentile, so a quantile read from the exponential buckets is within one exponential bucket
 * of the HDR one. Counts are exact; values of 0 go to the zero bucket.
 *
 * Histograms of several runners add bucket by bucket in Prometheus (`sum(...)`), which is why
 * percentiles across runners can be read there at all.
 */
import type { Histogram } from './hdr.js';

/** The finest schema Prometheus accepts. */
export const EXPONENTIAL_SCHEMA = 8;

export interface ExponentialHistogram {
  schema: number;
  /** Samples of value 0. */
  zeroCount: number;
  /** Bucket indexes in increasing order, and their counts (non-zero). */
  indexes: number[];
  counts: number[];
}

interface Indexed {
  countsArrayLength: number;
  minNonZeroValue: number;
  maxValue: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  countsArrayIndex(value: number): number;
  highestEquivalentValue(value: number): number;
}

/**
 * The exponential buckets of `h` at `schema`, its values divided by `unitsPerBase` (HDR units per
 * exported unit: 1e6 for a time trend in seconds, 1000 for a plain trend's values).
 */
export function toExponential(h: Histogram, schema: number, unitsPerBase: number): ExponentialHistogram {
  const out: ExponentialHistogram = { schema, zeroCount: 0, indexes: [], counts: [] };
  if (h.totalCount === 0) return out;
  const x = h as unknown as Indexed;
  out.zeroCount = x.getCountAtIndex(0);
  const from = x.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 1 : Math.max(1, x.countsArrayIndex(x.minNonZeroValue));
  const to = Math.min(x.countsArrayLength - 1, x.countsArrayIndex(x.maxValue));
  const scale = 2 ** schema;
  for (let i = from; i <= to; i++) {
    const c = x.getCountAtIndex(i);
    if (c === 0) continue;
    const v = x.highestEquivalentValue(x.valueFromIndex(i)) / unitsPerBase;
    const k = exponentialIndex(v, scale);
    const n = out.indexes.length;
    if (n > 0 && out.indexes[n - 1] === k) out.counts[n - 1]! += c;
    else {
      out.indexes.push(k);
      out.counts.push(c);
    }
  }
  return out;
}

/** The bucket k with 2^((k-1)/scale) < v ≤ 2^(k/scale), corrected for floating-point error at the bounds. */
export function exponentialIndex(v: number, scale: number): number {
  let k = Math.ceil(Math.log2(v) * scale);
  if (2 ** (k / scale) < v) k++;
  else if (2 ** ((k - 1) / scale) >= v) k--;
  return k === 0 ? 0 : k; // never -0 (Math.ceil(-0.5) is -0)
}
