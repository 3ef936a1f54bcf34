/**
 * Confidence intervals shared by every domain (pure arithmetic, no Volley imports): the
 * distribution-free interval of a quantile from order statistics (exact binomial ranks), and the
 * Wilson score interval of a proportion. history/ compares runs with them; capacity/ decides
 * whether a find-capacity step held its SLOs.
 */

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/**
 * Ranks (1-based) bounding a 95 % distribution-free confidence interval of quantile q (0..1) among
 * n values: [X(lo), X(hi)] covers the q-quantile with probability ≥ 95 % (the count of values
 * below it is Binomial(n, q); exact up to n = 5,000, normal approximation above). A rank of 0 means
 * the interval is unbounded below, n + 1 unbounded above: too few values to bound that side (an
 * upper bound of p(95) needs at least 72 values, of p(99) at least 367). Treating the sample's
 * extreme as a bound would make a handful of requests look like a significant change.
 */
export function quantileRankBounds(n: number, q: number): [number, number] {
  if (n <= 0 || !(q > 0 && q < 1)) return [0, n + 1];
  if (n > 5000) {
    const half = Z95 * Math.sqrt(n * q * (1 - q));
    const lo = Math.floor(n * q - half);
    const hi = Math.ceil(n * q + half) + 1;
    return [lo < 1 ? 0 : lo, hi > n ? n + 1 : hi];
  }
  // Binomial(n, q) probabilities in log space (no underflow of (1 − q)^n for large n).
  const step = Math.log(q / (1 - q));
  let logPmf = n * Math.log1p(-q);
  const cdf = new Float64Array(n + 1);
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    acc += Math.exp(logPmf);
    cdf[k] = acc;
    logPmf += Math.log((n - k) / (k + 1)) + step;
  }
  const total = cdf[n]!; // ≈ 1; normalises rounding
  // lo: the largest rank with P(B < lo) ≤ 2.5 %; hi: the smallest with P(B ≥ hi) ≤ 2.5 %.
  let lo = 0;
  while (lo + 1 <= n && cdf[lo]! / total <= 0.025) lo++;
  let hi = n + 1;
  while (hi - 1 >= 1 && 1 - cdf[hi - 2]! / total <= 0.025) hi--;
  return [lo, hi];
}

/**
 * Wilson score 95 % interval of a proportion: `k` successes of `n` trials. Unlike the normal
 * (Wald) interval it stays inside [0, 1] and is not degenerate at 0 or n: 0 failures of 200
 * requests bound the failure rate by 1.9 %, not 0 %. [0, 1] when n is 0.
 */
export function wilsonInterval(k: number, n: number, z = Z95): [number, number] {
  if (!(n > 0)) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Exact at the edges (the formula's rounding can leave 1e-17 below 0).
  return [k === 0 ? 0 : Math.max(0, center - half), k === n ? 1 : Math.min(1, center + half)];
}

/**
 * 95 % interval of the ratio of two proportions (x2/n2) / (x1/n1) by the Katz log method (Katz,
 * Baptista, Azen & Pike, Biometrics 34:469–474, 1978): ln(ratio) ± z·√(φ1·(1/x1 − 1/n1) +
 * φ2·(1/x2 − 1/n2)), the delta-method variance of each ln p̂ (binomial counts, independent runs).
 * A count of 0 has no finite variance, a count of n none at all: such a count is moved 0.5 inside
 * (0 → 0.5, n → n − 0.5, the usual continuity correction of the Katz method; Agresti 2002 §3.1). `phi1`, `phi2` (≥ 1) inflate each side's variance
 * for overdispersion (events clustered in time, see `dispersionRatio`). The interval is centred on
 * `ratio` when given (the ratio the caller reports; the counts then only set its width, so the
 * interval contains it by construction), else on the counts' own ratio. Returns the interval of
 * the ratio and the z statistic of ln(ratio) (|z| > 1.96 ⇔ the interval excludes 1); undefined
 * when a side has no trials or the ratio is not positive and finite.
 */
export function katzRatioInterval(x1: number, n1: number, x2: number, n2: number, opts: { phi1?: number; phi2?: number; ratio?: number; z?: number } = {}): { lo: number; hi: number; z: number } | undefined {
  if (!(n1 > 0 && n2 > 0)) return undefined;
  const inside = (x: number, n: number): number => Math.min(Math.max(x, 0.5), n - 0.5 < 0.5 ? 0.5 : n - 0.5);
  const [a, b, c, d] = [inside(x1, n1), Math.max(n1, 1), inside(x2, n2), Math.max(n2, 1)];
  const ratio = opts.ratio ?? c / d / (a / b);
  if (!(ratio > 0 && Number.isFinite(ratio))) return undefined;
  const v = Math.max(1, opts.phi1 ?? 1) * Math.max(0, 1 / a - 1 / b) + Math.max(1, opts.phi2 ?? 1) * Math.max(0, 1 / c - 1 / d);
  const se = Math.sqrt(v);
  const z = opts.z ?? Z95;
  const r = Math.log(ratio);
  return { lo: Math.exp(r - z * se), hi: Math.exp(r + z * se), z: se > 0 ? r / se : r === 0 ? 0 : Number.POSITIVE_INFINITY * Math.sign(r) };
}
