/**
 * The statistics behind `volley compare` (docs/history.md says why each):
 * - Katz's log interval of a ratio of proportions (util/stats.ts), its variance inflated by the
 *   overdispersion of the per-second counts: rates (errors, checks).
 * - A seeded moving-block bootstrap over seconds of the ratio of means, laid around the reported
 *   change: per-second series (throughput, per-second latency percentiles).
 * - Mann-Whitney U with the Hodges-Lehmann shift and Moses's interval (`volley compare` no
 *   longer uses it: that interval is not on the scale of the whole-run change).
 * - Distribution-free confidence intervals of a quantile from order statistics (binomial ranks),
 *   on whole-run histograms: per-route percentiles, where no per-second values exist.
 * - A Student-t prediction interval over earlier runs: run-to-run noise of the environment.
 */
import { Z95 } from '../util/stats.js';
import { mulberry32 } from '../util/prng.js';

// The quantile and proportion intervals live in util/ (capacity/ uses them too).
export { Z95, katzRatioInterval, quantileRankBounds } from '../util/stats.js';

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Inverse of `normalCdf` (bisection; |error| < 1e-9), for p in (0, 1). */
export function normalQuantile(p: number): number {
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Two-sided 97.5 % quantile of Student's t with `df` degrees of freedom (table, then normal). */
export function t975(df: number): number {
  const table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086];
  if (df < 1) return Number.POSITIVE_INFINITY;
  return df <= table.length ? table[df - 1]! : Z95 + 2.4 / df;
}

/** Median of a sorted array. */
function medianSorted(a: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? a[(n - 1) >> 1]! : (a[n / 2 - 1]! + a[n / 2]!) / 2;
}

export function median(xs: readonly number[]): number {
  return medianSorted([...xs].sort((a, b) => a - b));
}

/**
 * Averages consecutive values into at most `max` windows. Per-second values of a long run are
 * many and autocorrelated; window means keep the test honest (fewer, less dependent samples) and
 * the n·m pairwise differences of Hodges-Lehmann bounded (500² = 250k).
 */
export function windowed(xs: readonly number[], max = 500): number[] {
  if (xs.length <= max) return [...xs];
  const w = Math.ceil(xs.length / max);
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += w) {
    const part = xs.slice(i, i + w);
    out.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  return out;
}

export interface ShiftTest {
  /** Two-sided p-value of Mann-Whitney U (normal approximation, tie-corrected). */
  p: number;
  /** Hodges-Lehmann estimate of the shift b − a, and its 95 % confidence interval. */
  shift: number;
  lo: number;
  hi: number;
}

/**
 * Mann-Whitney U test of a vs b and the Hodges-Lehmann shift with Moses's 95 % interval.
 * Needs at least 3 values on each side; undefined otherwise.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): ShiftTest | undefined {
  const n = a.length;
  const m = b.length;
  if (n < 3 || m < 3) return undefined;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n * (n + 1)) / 2;
  const N = n + m;
  const mean = (n * m) / 2;
  const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  const p = variance <= 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance))));
  const d = new Float64Array(n * m);
  let k = 0;
  for (const x of a) for (const y of b) d[k++] = y - x;
  d.sort();
  const c = Math.floor(mean - Z95 * Math.sqrt((n * m * (N + 1)) / 12));
  const lo = d[Math.max(0, c)]!;
  const hi = d[Math.min(d.length - 1, d.length - 1 - Math.max(0, c))]!;
  return { p, shift: medianSorted(d), lo, hi };
}

/**
 * Relative change b/a − 1 and its 95 % interval from two independent 95 % intervals, combined on
 * the log scale (each interval read as ±1.96 standard errors of ln x). An interval with an
 * unbounded side (a bound of 0 or ∞) gives the unbounded [−100 %, +∞]: nothing can be concluded.
 */
export function ratioInterval(a: number, aLo: number, aHi: number, b: number, bLo: number, bHi: number): [number, number] | undefined {
  if (!(a > 0 && b > 0)) return undefined;
  if (!(aLo > 0 && bLo > 0 && Number.isFinite(aHi) && Number.isFinite(bHi))) return [-1, Number.POSITIVE_INFINITY];
  const se = (lo: number, hi: number): number => (Math.log(hi) - Math.log(lo)) / (2 * Z95);
  const s = Math.hypot(se(aLo, aHi), se(bLo, bHi));
  const r = Math.log(b / a);
  return [Math.exp(r - Z95 * s) - 1, Math.exp(r + Z95 * s) - 1];
}

/**
 * Run-to-run noise: the smallest relative change a new run must show before it stands out from
 * `history` (earlier runs' values of the same statistic): half-width of a 95 % Student-t
 * prediction interval for one more run, over the history's median. The spread is robust (1.4826 ×
 * the median absolute deviation, which estimates σ for normal data), so one cold or disturbed run
 * in the history does not blind the comparison. Undefined below 3 runs.
 */
export function noiseFloor(history: readonly number[]): number | undefined {
  const k = history.length;
  if (k < 3) return undefined;
  const center = median(history);
  if (!(center > 0)) return undefined;
  const spread = 1.4826 * median(history.map((v) => Math.abs(v - center)));
  return (t975(k - 1) * spread * Math.sqrt(1 + 1 / k)) / center;
}

/**
 * Overdispersion of a proportion observed second by second: Pearson's X²/df of the per-second
 * event counts `x[i]` of `n[i]` trials around the run's proportion (the quasi-binomial dispersion
 * estimate; McCullagh & Nelder, Generalized Linear Models, §4.5). Binomial (independent) events
 * give about 1; errors that come in bursts give much more, and the binomial variance of the
 * whole-run proportion must be multiplied by it. Measured on seconds and on 10-second blocks
 * (bursts longer than a second), the larger wins; at least 1. 1 when there are no events or
 * fewer than 3 seconds with trials.
 */
export function dispersionRatio(x: readonly number[], n: readonly number[]): number {
  const pearson = (xs: number[], ns: number[]): number | undefined => {
    let X = 0;
    let N = 0;
    let k = 0;
    for (let i = 0; i < ns.length; i++) if (ns[i]! > 0) (X += xs[i]!), (N += ns[i]!), k++;
    if (k < 3 || N <= 0) return undefined;
    const p = X / N;
    if (!(p > 0 && p < 1)) return undefined;
    let chi = 0;
    for (let i = 0; i < ns.length; i++) if (ns[i]! > 0) chi += (xs[i]! - ns[i]! * p) ** 2 / (ns[i]! * p * (1 - p));
    return chi / (k - 1);
  };
  const block = (w: number): [number[], number[]] => {
    const bx: number[] = [];
    const bn: number[] = [];
    for (let i = 0; i < n.length; i += w) {
      let sx = 0;
      let sn = 0;
      for (let j = i; j < Math.min(n.length, i + w); j++) (sx += x[j]!), (sn += n[j]!);
      bx.push(sx);
      bn.push(sn);
    }
    return [bx, bn];
  };
  let phi = pearson([...x], [...n]) ?? 1;
  if (n.length >= 100) phi = Math.max(phi, pearson(...block(10)) ?? 1);
  return Math.max(1, phi);
}

export interface BootstrapShift {
  /** 1 − alpha (95 %) interval of the relative change, around the reported one. */
  lo: number;
  hi: number;
  /** Two-sided bootstrap p-value of "no change" (below alpha ⇔ the interval excludes 0). */
  p: number;
}

/**
 * Within-run noise of a statistic seen second by second (request rate, per-second p95): a seeded
 * moving-block bootstrap over seconds (blocks of ⌈n^⅓⌉ seconds keep the dependence between
 * neighbouring seconds; Künsch 1989) of ln(mean b* / mean a*), taken as deviations from the
 * sample's own ln(mean b / mean a) and laid around the reported change's ln(1 + change). The
 * interval is on the change's own scale; its bounds are clamped so it contains the change by
 * construction. It assumes the whole-run statistic varies relatively as the mean of its
 * per-second values does. Undefined below 5 values a side or a non-positive mean.
 */
export function bootstrapShift(a: readonly number[], b: readonly number[], change: number, opts: { resamples?: number; seed?: number; alpha?: number } = {}): BootstrapShift | undefined {
  if (a.length < 5 || b.length < 5 || !(change > -1)) return undefined;
  const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  if (!(ma > 0 && mb > 0)) return undefined;
  const rand = mulberry32(opts.seed ?? 0x5eed);
  const resampledMean = (xs: readonly number[]): number => {
    const n = xs.length;
    const len = Math.ceil(Math.cbrt(n));
    let sum = 0;
    let got = 0;
    while (got < n) {
      const start = Math.floor(rand() * (n - len + 1));
      for (let j = 0; j < len && got < n; j++, got++) sum += xs[start + j]!;
    }
    return sum / n;
  };
  const B = opts.resamples ?? 2000;
  const center = Math.log(mb / ma);
  const r = Math.log1p(change);
  const dev = new Float64Array(B);
  let below = 0;
  let above = 0;
  for (let i = 0; i < B; i++) {
    const sa = resampledMean(a);
    const sb = resampledMean(b);
    // A resample of all zeros (a mostly idle run): the log ratio is unbounded that way.
    const d = sa > 0 && sb > 0 ? Math.log(sb / sa) - center : sa > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    dev[i] = d;
    if (r + d <= 0) below++;
    if (r + d >= 0) above++;
  }
  dev.sort();
  const q = (u: number): number => dev[Math.min(B - 1, Math.max(0, Math.floor(u * B)))]!;
  const alpha = opts.alpha ?? 0.05;
  const lo = Math.min(0, q(alpha / 2));
  const hi = Math.max(0, q(1 - alpha / 2));
  return { lo: Math.exp(r + lo) - 1, hi: Math.exp(r + hi) - 1, p: Math.min(1, (2 * Math.min(below, above)) / B) };
}
