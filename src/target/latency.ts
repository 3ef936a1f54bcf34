import type { Rng } from './rng.js';

/**
 * Distributions used for latencies (values in ms), token rates (tokens/s) and lengths (tokens, events).
 * This is the normalised form the config schema produces (durations already converted to ms); exactly
 * one key is set.
 *
 * - `fixed`: always the value.
 * - `uniform`: [min, max], every value equally likely.
 * - `normal`: mean and stddev, clamped to [min (default 0), max (default none)].
 * - `lognormal`: given by its median (p50) and p99, the usual shape of service latencies
 *   (mu = ln p50, sigma = (ln p99 - mu) / 2.3263); optional max caps the tail.
 * - `percentiles`: a table such as { p50: 20, p90: 80, p99: 300 }; values between listed percentiles
 *   are interpolated linearly (inverse-CDF sampling). Below the first and above the last listed
 *   percentile the first/last segment is extended linearly (clamped at 0) unless p0/p100 are listed.
 */
export interface DistributionSpec {
  fixed?: number | undefined;
  uniform?: [number, number] | undefined;
  normal?: { mean: number; stddev: number; min?: number | undefined; max?: number | undefined } | undefined;
  lognormal?: { p50: number; p99: number; max?: number | undefined } | undefined;
  percentiles?: Record<string, number> | undefined;
}

/** Draws values from a distribution. Implementations allocate nothing per call. */
export interface Sampler {
  sample(rng: Rng): number;
  /** The exact value at quantile q in [0, 1] (what a perfect measurement would report). */
  quantile(q: number): number;
}

/** z-score of the 99th percentile of the standard normal distribution. */
export const Z99 = 2.3263478740408408;

class Fixed implements Sampler {
  constructor(private readonly v: number) {}
  sample(): number {
    return this.v;
  }
  quantile(): number {
    return this.v;
  }
}

class Uniform implements Sampler {
  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {}
  sample(rng: Rng): number {
    return this.min + (this.max - this.min) * rng.next();
  }
  quantile(q: number): number {
    return this.min + (this.max - this.min) * q;
  }
}

class Normal implements Sampler {
  constructor(
    private readonly mean: number,
    private readonly sd: number,
    private readonly min: number,
    private readonly max: number,
  ) {}
  sample(rng: Rng): number {
    const v = this.mean + this.sd * rng.normal();
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }
  quantile(q: number): number {
    const v = this.mean + this.sd * inverseNormalCdf(q);
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }
}

class LogNormal implements Sampler {
  private readonly mu: number;
  private readonly sigma: number;
  constructor(
    p50: number,
    p99: number,
    private readonly max: number,
  ) {
    this.mu = Math.log(p50);
    this.sigma = (Math.log(p99) - this.mu) / Z99;
  }
  sample(rng: Rng): number {
    const v = Math.exp(this.mu + this.sigma * rng.normal());
    return v > this.max ? this.max : v;
  }
  quantile(q: number): number {
    const v = Math.exp(this.mu + this.sigma * inverseNormalCdf(q));
    return v > this.max ? this.max : v;
  }
}

/** Piecewise-linear inverse CDF through (percentile, value) points, p in [0, 1]. */
class Table implements Sampler {
  constructor(
    private readonly ps: Float64Array,
    private readonly vs: Float64Array,
  ) {}
  sample(rng: Rng): number {
    return this.quantile(rng.next());
  }
  quantile(q: number): number {
    const ps = this.ps;
    const vs = this.vs;
    // Tables are short (a handful of points): a linear scan beats a binary search here.
    let i = 1;
    while (i < ps.length - 1 && q > ps[i]!) i++;
    const p0 = ps[i - 1]!;
    const p1 = ps[i]!;
    const t = p1 === p0 ? 0 : (q - p0) / (p1 - p0);
    return vs[i - 1]! + (vs[i]! - vs[i - 1]!) * t;
  }
}

/**
 * Parses the keys of a percentile table ("p50", "p99.9", "p0", "p100") into sorted points in [0, 1],
 * extended to p0 and p100 as documented on `DistributionSpec`. Returns a message for the first problem
 * (used by the config schema) or the points.
 */
export function percentilePoints(table: Record<string, number>): { ps: number[]; vs: number[] } | { error: string; key?: string } {
  const pts: [number, number][] = [];
  for (const [k, v] of Object.entries(table)) {
    const m = /^p(\d+(?:\.\d+)?)$/.exec(k);
    const p = m ? Number(m[1]) : Number.NaN;
    if (!(p >= 0 && p <= 100)) return { error: `percentile keys look like p50, p99.9 (0 to 100); got "${k}"`, key: k };
    pts.push([p / 100, v]);
  }
  if (pts.length < 2) return { error: 'list at least two percentiles, e.g. { p50: 20ms, p99: 300ms }' };
  pts.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < pts.length; i++) {
    if (pts[i]![1] < pts[i - 1]![1]) {
      return { error: `values must not decrease with the percentile (p${+(pts[i]![0] * 100).toFixed(4)} < p${+(pts[i - 1]![0] * 100).toFixed(4)})` };
    }
  }
  if (pts[0]![0] > 0) {
    const [pa, va] = pts[0]!;
    const [pb, vb] = pts[1]!;
    pts.unshift([0, Math.max(0, va - ((vb - va) / (pb - pa)) * pa)]);
  }
  const n = pts.length;
  if (pts[n - 1]![0] < 1) {
    const [pa, va] = pts[n - 2]!;
    const [pb, vb] = pts[n - 1]!;
    pts.push([1, vb + ((vb - va) / (pb - pa)) * (1 - pb)]);
  }
  return { ps: pts.map((p) => p[0]), vs: pts.map((p) => p[1]) };
}

/** Builds a sampler from a normalised (already validated) spec. */
export function compileDistribution(spec: DistributionSpec): Sampler {
  if (spec.fixed !== undefined) return new Fixed(spec.fixed);
  if (spec.uniform !== undefined) return new Uniform(spec.uniform[0], spec.uniform[1]);
  if (spec.normal !== undefined) {
    const n = spec.normal;
    return new Normal(n.mean, n.stddev, n.min ?? 0, n.max ?? Number.POSITIVE_INFINITY);
  }
  if (spec.lognormal !== undefined) return new LogNormal(spec.lognormal.p50, spec.lognormal.p99, spec.lognormal.max ?? Number.POSITIVE_INFINITY);
  if (spec.percentiles === undefined) throw new Error('empty distribution spec reached compileDistribution');
  const pts = percentilePoints(spec.percentiles);
  if ('error' in pts) throw new Error(`invalid percentile table reached compileDistribution: ${pts.error}`);
  return new Table(Float64Array.from(pts.ps), Float64Array.from(pts.vs));
}

/** A sampler that always returns 0 (no latency configured). */
export const ZERO: Sampler = new Fixed(0);

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
 * Used for exact quantiles of normal/lognormal specs (tests and docs), not per request.
 */
export function inverseNormalCdf(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
