
/**
 * Drift (soak) analysis: does a series of the run (p95 latency, error rate, the target's memory)
 * trend up or down over time?
 *
 * - **Slope: Theil–Sen** (the median of the slopes between every pair of points). Robust: a spike
 *   or a GC pause moves a least-squares line, not the median slope. Its 95 % confidence interval
 *   is Sen's (1968): the slopes ranked (N − C)/2 and (N + C)/2, C = 1.96·√Var(S).
 * - **Significance: Mann–Kendall** trend test (S = Σ sign(xj − xi) over pairs, normal
 *   approximation with the tie correction), two-sided, p < 0.01.
 * - Per-second points are autocorrelated (a slow second is followed by slow seconds), which makes
 *   any trend test too eager; so the series is first cut into at most 60 blocks and each block
 *   reduced to its median. What is tested is the trend of the block medians.
 * - A trend is reported as drift only when it is significant AND large enough to matter: the
 *   fitted change over the run is at least 10 % of the series' median level. A 0.3 % rise that is
 *   statistically certain is not a leak.
 *
 * Input is the run's time series (a snapshot: the summary's `volley.timeSeries`), nothing else.
 */

export interface DriftFinding {
  /** The time-series column, e.g. a trend's '<name>.p95'. */
  series: string;
  /** How people call it: 'p95 latency', 'error rate', 'process_resident_memory_bytes'. */
  label: string;
  unit: 'ms' | 'share' | 'bytes' | '';
  /** Points analysed (block medians) and the seconds they cover. */
  points: number;
  spanSeconds: number;
  /** Median level of the series. */
  level: number;
  /** Theil–Sen slope, in the series' unit per hour, and its 95 % confidence interval. */
  slopePerHour: number;
  slopeLowPerHour: number;
  slopeHighPerHour: number;
  /** Slope relative to the level, % per hour. */
  percentPerHour: number;
  /** Fitted change from the first to the last point, relative to the level (%). */
  changePercent: number;
  /** Mann–Kendall two-sided p-value. */
  pValue: number;
  /** 'up' / 'down': a significant trend of at least MIN_CHANGE; 'none' otherwise. */
  drift: 'up' | 'down' | 'none';
  /** One line for people: "p95 latency grew 18 %/h (+0.9 ms/min), significant (p < 0.001)". */
  text: string;
}

/** Fewer points than this (block medians) and nothing is said. */
export const MIN_POINTS = 10;
/** Blocks the series is reduced to. */
export const MAX_BLOCKS = 60;
/** Significance level of the trend test. */
export const ALPHA = 0.01;
/** Runs shorter than this (seconds) are described by their change over the run first. */
const SHORT_RUN_S = 600;
/** Smallest fitted change over the run (relative to the level) called drift. */
export const MIN_CHANGE = 0.1;

/** The drift of one series (epoch-ms times, values with nulls), or undefined with too few points. */
export function driftOf(t: readonly number[], v: readonly (number | null)[], c: { series: string; label: string; unit: DriftFinding['unit'] }): DriftFinding | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const y = v[i];
    if (y === null || y === undefined || !Number.isFinite(y)) continue;
    xs.push(t[i]! / 1000);
    ys.push(y);
  }
  if (xs.length < MIN_POINTS) return undefined;
  const { bx, by } = blocks(xs, ys, MAX_BLOCKS);
  const n = bx.length;
  if (n < MIN_POINTS) return undefined;
  const slopes: number[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dy = by[j]! - by[i]!;
      s += Math.sign(dy);
      const dx = bx[j]! - bx[i]!;
      if (dx > 0) slopes.push(dy / dx);
    }
  }
  slopes.sort((a, b) => a - b);
  const slope = medianSorted(slopes);
  // Mann–Kendall variance with the tie correction.
  const ties = new Map<number, number>();
  for (const y of by) ties.set(y, (ties.get(y) ?? 0) + 1);
  let tieTerm = 0;
  for (const k of ties.values()) tieTerm += k * (k - 1) * (2 * k + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = varS > 0 ? (s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(varS)) : 0;
  const pValue = varS > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1;
  // Sen's confidence interval for the slope (95 %).
  const cA = 1.96 * Math.sqrt(varS);
  const lo = slopes[Math.max(0, Math.floor((slopes.length - cA) / 2) - 1)] ?? slope;
  const hi = slopes[Math.min(slopes.length - 1, Math.ceil((slopes.length + cA) / 2))] ?? slope;
  const level = medianSorted([...by].sort((a, b) => a - b));
  const spanSeconds = xs[xs.length - 1]! - xs[0]!;
  const fittedSpan = bx[n - 1]! - bx[0]!;
  const scale = Math.abs(level) > 0 ? Math.abs(level) : Math.max(...by.map(Math.abs), 0);
  const changePercent = scale > 0 ? ((slope * fittedSpan) / scale) * 100 : 0;
  const percentPerHour = scale > 0 ? ((slope * 3600) / scale) * 100 : 0;
  const significant = pValue < ALPHA;
  const drift = significant && Math.abs(changePercent) >= MIN_CHANGE * 100 ? (slope > 0 ? 'up' : 'down') : 'none';
  const f: DriftFinding = {
    series: c.series,
    label: c.label,
    unit: c.unit,
    points: n,
    spanSeconds,
    level,
    slopePerHour: slope * 3600,
    slopeLowPerHour: lo * 3600,
    slopeHighPerHour: hi * 3600,
    percentPerHour,
    changePercent,
    pValue,
    drift,
    text: '',
  };
  f.text = describeDrift(f);
  return f;
}

/**
 * "p95 latency grew 18 %/h (+42 % over 2.3 h), significant (p < 0.001)", or "p95 latency: no drift
 * (…)". A run shorter than 10 minutes leads with its change over the run ("grew 85 % over 14 s
 * (+21,857 %/h)"): a rate per hour extrapolated from seconds means little on its own.
 */
export function describeDrift(f: DriftFinding): string {
  const p = f.pValue < 0.001 ? 'p < 0.001' : `p = ${f.pValue.toFixed(3)}`;
  const rate = `${signed(f.percentPerHour)} %/h`;
  const over = `${signed(f.changePercent)} % over ${humanSpan(f.spanSeconds)}`;
  const verb = f.drift === 'up' ? 'grew' : 'fell';
  if (f.drift !== 'none' && f.spanSeconds < SHORT_RUN_S) return `${f.label} ${verb} ${over.replace(/^[-+]/, '')} (${rate}), significant (${p})`;
  if (f.drift !== 'none') return `${f.label} ${verb} ${rate.replace(/^[-+]/, '')} (${over}), significant (${p})`;
  const why = f.pValue < ALPHA ? `a significant but small trend, ${over}` : `${over}, not significant (${p})`;
  return `${f.label}: no drift (${why})`;
}

function signed(x: number): string {
  const r = Math.abs(x) >= 10 ? Math.round(x) : Number(x.toFixed(1));
  return `${r >= 0 ? '+' : ''}${r.toLocaleString('en-US')}`;
}

function humanSpan(s: number): string {
  if (s >= 7200) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 120) return `${Math.round(s / 60)} min`;
  return `${Math.round(s)} s`;
}

/** Cuts (x, y) into at most `max` consecutive blocks: each block's mean x and median y. */
function blocks(xs: number[], ys: number[], max: number): { bx: number[]; by: number[] } {
  if (xs.length <= max) return { bx: xs, by: ys };
  const bx: number[] = [];
  const by: number[] = [];
  const per = xs.length / max;
  for (let b = 0; b < max; b++) {
    const from = Math.floor(b * per);
    const to = Math.floor((b + 1) * per);
    if (to <= from) continue;
    let sx = 0;
    for (let i = from; i < to; i++) sx += xs[i]!;
    bx.push(sx / (to - from));
    by.push(medianSorted(ys.slice(from, to).sort((a, b2) => a - b2)));
  }
  return { bx, by };
}

function medianSorted(a: readonly number[]): number {
  if (a.length === 0) return 0;
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
