import { decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';

/** Units per ms in Volley's histograms (µs resolution; see metrics/hdr.ts). */
const UNITS_PER_MS = 1000;

const cache = new Map<string, Histogram>();

/** Decodes an encoded histogram of a summary (`volley.histograms[key]`). Small cache: compare reads each a few times. */
export function decodeHistogram(encoded: string): Histogram {
  let h = cache.get(encoded);
  if (!h) {
    h = decodeFromCompressedBase64(encoded, 32, false);
    if (cache.size > 64) cache.clear();
    cache.set(encoded, h);
  }
  return h;
}

/** Value at percentile p (0..100) in ms. */
export function percentileMs(h: Histogram, p: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / UNITS_PER_MS;
}

/**
 * The value of rank `rank` (1-based, of totalCount) in ms: used for distribution-free quantile
 * confidence intervals (stats.ts). Walks the recorded values.
 */
export function valueAtRankMs(h: Histogram, rank: number): number {
  const n = h.totalCount;
  if (n === 0 || rank < 1) return 0; // rank 0: unbounded below (stats.ts quantileRankBounds)
  if (rank > n) return Number.POSITIVE_INFINITY; // rank n + 1: unbounded above
  const r = Math.min(Math.max(rank, 1), n);
  return h.getValueAtPercentile((100 * r) / n) / UNITS_PER_MS;
}
