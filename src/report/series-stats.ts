/**
 * Robust statistics on the summary's per-second series, for the report's analysis: medians and
 * MADs (outliers do not move them), the "first stable part" of a series as a baseline, and
 * sustained excursions above a level (change points).
 *
 * Series are `(number | null)[]` as in `TimeSeries.series`: null is a bucket without data and is
 * skipped, never read as 0. Indexes always refer to the original series, so they map to `t[]`.
 * Pure functions, no allocation beyond small arrays: a 24 h run has at most 86,400 points.
 */

/** Scale factor from the median absolute deviation to a standard deviation (normal data). */
export const MAD_TO_SIGMA = 1.4826;

/** The median of `xs` (need not be sorted); NaN for an empty array. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation around `center` (default: the median). */
export function mad(xs: readonly number[], center = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - center)));
}

/** The values of `series[from..to)` that are numbers (nulls and NaN dropped). */
export function valuesIn(series: readonly (number | null | undefined)[], from = 0, to = series.length): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, series.length); i++) {
    const v = series[i];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Index of the largest number in `series[from..to)`, or -1 when there is none. */
export function argMax(series: readonly (number | null | undefined)[], from = 0, to = series.length): number {
  let best = -1;
  for (let i = Math.max(0, from); i < Math.min(to, series.length); i++) {
    const v = series[i];
    if (typeof v === 'number' && Number.isFinite(v) && (best < 0 || v > (series[best] as number))) best = i;
  }
  return best;
}

/** A baseline: where the series was steady, and at what level. */
export interface Baseline {
  /** Index range [from, to) of the window in the series. */
  from: number;
  to: number;
  /** Median of the window. */
  level: number;
  /** Robust spread of the window (1.4826 × MAD), in the series' unit. */
  sigma: number;
  /** True when the window met the stability criterion; false for the fallback window. */
  stable: boolean;
}

/**
 * The first stable part of a series: the earliest window of `window` data points (nulls do not
 * count) whose robust coefficient of variation, sigma / level, is at most `maxCv` (default 0.3),
 * searched in the first half of the series. When none is that steady (a noisy run), the
 * steadiest window of the first half is used, with `stable: false`. Windows start every
 * `window / 2` data points. Undefined when the series has fewer than `2 × window` data points:
 * too short to tell a baseline from an excursion.
 *
 * A series that is zero in the window (no errors) has level 0 and sigma 0, which is stable.
 */
export function stableBaseline(series: readonly (number | null)[], window: number, maxCv = 0.3): Baseline | undefined {
  // Indexes of the data points, so windows count data, not buckets.
  const idx: number[] = [];
  for (let i = 0; i < series.length; i++) if (typeof series[i] === 'number' && Number.isFinite(series[i])) idx.push(i);
  if (window < 1 || idx.length < 2 * window) return undefined;
  const step = Math.max(1, Math.floor(window / 2));
  const lastStart = Math.floor(idx.length / 2);
  let fallback: Baseline | undefined;
  let fallbackCv = Infinity;
  for (let s = 0; s <= lastStart && s + window <= idx.length; s += step) {
    const vals = idx.slice(s, s + window).map((i) => series[i] as number);
    const level = median(vals);
    const sigma = MAD_TO_SIGMA * mad(vals, level);
    const cv = level === 0 ? (sigma === 0 ? 0 : Infinity) : sigma / Math.abs(level);
    const b: Baseline = { from: idx[s]!, to: idx[s + window - 1]! + 1, level, sigma, stable: cv <= maxCv };
    if (b.stable) return b;
    if (cv < fallbackCv) {
      fallbackCv = cv;
      fallback = b;
    }
  }
  return fallback;
}

/** A sustained run of a series above a level. */
export interface Excursion {
  /** Index of the first point above the level (the onset). */
  from: number;
  /** Index after the last point above the level. */
  to: number;
  /** Index and value of the highest point. */
  peakIndex: number;
  peak: number;
  /** Data points above the level within the run. */
  points: number;
  /** True when the series came back under the level before its end (two data points in a row). */
  recovered: boolean;
}

/**
 * Sustained excursions of `series` above `level`: runs with at least `minPoints` data points
 * above the level, where a single data point back under the level does not end the run (noise),
 * two in a row do. Nulls are skipped (a bucket without data neither starts nor ends a run).
 * In time order.
 */
export function findExcursions(series: readonly (number | null)[], level: number, minPoints: number): Excursion[] {
  const out: Excursion[] = [];
  let cur: Excursion | undefined;
  let below = 0;
  let lastAbove = -1;
  const close = (recovered: boolean) => {
    if (cur && cur.points >= minPoints) out.push({ ...cur, to: lastAbove + 1, recovered });
    cur = undefined;
    below = 0;
  };
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (v > level) {
      if (!cur) cur = { from: i, to: i + 1, peakIndex: i, peak: v, points: 0, recovered: false };
      cur.points++;
      if (v > cur.peak) {
        cur.peak = v;
        cur.peakIndex = i;
      }
      lastAbove = i;
      below = 0;
    } else if (cur) {
      below++;
      if (below >= 2) close(true);
    }
  }
  // A run still open at the end did not recover (one trailing point under the level is not enough).
  close(false);
  return out;
}

/**
 * Shrinks a series to at most `maxPoints` buckets by merging `ceil(n / maxPoints)` neighbours:
 * the mean of the data points, or their maximum when `useMax` (tail latencies must keep their
 * peaks). A bucket with no data stays null.
 */
export function downsample(series: readonly (number | null)[], factor: number, useMax: boolean): (number | null)[] {
  if (factor <= 1) return [...series];
  const out: (number | null)[] = [];
  for (let i = 0; i < series.length; i += factor) {
    let acc: number | null = null;
    let n = 0;
    for (let j = i; j < Math.min(series.length, i + factor); j++) {
      const v = series[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      acc = acc === null ? v : useMax ? Math.max(acc, v) : acc + v;
      n++;
    }
    out.push(acc === null ? null : useMax ? acc : acc / n);
  }
  return out;
}
