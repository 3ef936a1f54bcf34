/**
 * Is an SLO met at one rate, given how much a step measured? Each SLO's measured value gets a 95 %
 * confidence interval, and the step's verdict follows from where the interval lies:
 * - held: the whole interval is on the good side of the limit;
 * - broke: the whole interval is on the bad side;
 * - uncertain: the interval straddles the limit (the step was too short to tell).
 *
 * The intervals (docs/capacity.md says the same):
 * - percentiles (p(N), med): distribution-free, from order statistics at exact binomial ranks
 *   (util/stats.ts quantileRankBounds) read off the step's HDR histogram (0.1 % resolution). With
 *   too few requests a side is unbounded: p(95) needs 72 requests for an upper bound.
 * - rates (http_req_failed, checks): the Wilson score interval of failures out of requests.
 * - avg: mean ± 1.96 standard errors (the histogram's standard deviation over √n): an
 *   approximation that latency's long tail makes optimistic for small steps.
 * - max, min, count, value and the rest: what was observed, no interval. A longer step can only
 *   raise a max, so a broken `max<…` is certain and a held one is only as good as the step.
 *
 * Pure arithmetic over counts the caller reads from the step's sinks (cli/find-capacity.ts).
 */
import { quantileRankBounds, wilsonInterval, Z95 } from '../util/stats.js';

/** What a step measured for one SLO, as the interval needs it. */
export type SloData =
  /** Quantile q (0..1) of n values; `at(f)` is the value at fraction f (0..1] of the sorted values. */
  | { kind: 'quantile'; q: number; n: number; point: number; at: (fraction: number) => number }
  /** `k` of `n` events were true (a Rate metric). */
  | { kind: 'proportion'; k: number; n: number }
  /** The mean of n values with their standard deviation. */
  | { kind: 'mean'; n: number; mean: number; sd: number }
  /** A value with no sampling interval (max, min, count, …), or no data (null). */
  | { kind: 'observed'; value: number | null };

export type Verdict = 'held' | 'broke' | 'uncertain';
export type IntervalMethod = 'order statistics' | 'wilson' | 'normal mean' | 'observed';

/** One SLO at one step: its measured value, 95 % interval and verdict. */
export interface SloInterval {
  /** The SLO's key, e.g. 'http_req_duration' or 'http_req_duration{route:/x}'. */
  metric: string;
  /** The expression, e.g. 'p(95)<300'. */
  expr: string;
  /** The measured value (null: no data). */
  value: number | null;
  /** 95 % interval; null: unbounded on that side (too few values), or no data. */
  lower: number | null;
  upper: number | null;
  /** Values the interval rests on (requests, for http_req_*). */
  n: number;
  method: IntervalMethod;
  /** 'ms' for times, 'ratio' for rates (0..1), '' otherwise: how to show the values. */
  unit: 'ms' | 'ratio' | '';
  verdict: Verdict;
  /** Uncertain only: the shortest suggested --step-duration whose interval would decide, and that interval (projected from this step's distribution); absent when even 10m would not. */
  longer?: { stepMs: number; lower: number | null; upper: number | null };
}

export type LimitOp = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** The 95 % interval of `d`: [lower, upper], null for an unbounded side. */
export function intervalOf(d: SloData): { value: number | null; lower: number | null; upper: number | null; n: number; method: IntervalMethod } {
  switch (d.kind) {
    case 'quantile': {
      if (d.n <= 0) return { value: null, lower: null, upper: null, n: 0, method: 'order statistics' };
      const [lo, hi] = quantileRankBounds(d.n, d.q);
      return { value: d.point, lower: lo < 1 ? null : Math.min(d.at(lo / d.n), d.point), upper: hi > d.n ? null : Math.max(d.at(hi / d.n), d.point), n: d.n, method: 'order statistics' };
    }
    case 'proportion': {
      if (d.n <= 0) return { value: null, lower: null, upper: null, n: 0, method: 'wilson' };
      const [lo, hi] = wilsonInterval(d.k, d.n);
      return { value: d.k / d.n, lower: lo, upper: hi, n: d.n, method: 'wilson' };
    }
    case 'mean': {
      if (d.n <= 0) return { value: null, lower: null, upper: null, n: 0, method: 'normal mean' };
      const half = d.n > 1 ? (Z95 * d.sd) / Math.sqrt(d.n) : Number.POSITIVE_INFINITY;
      return { value: d.mean, lower: Number.isFinite(half) ? d.mean - half : null, upper: Number.isFinite(half) ? d.mean + half : null, n: d.n, method: 'normal mean' };
    }
    case 'observed':
      return { value: d.value, lower: d.value, upper: d.value, n: d.value === null ? 0 : 1, method: 'observed' };
  }
}

/**
 * The verdict of an interval against `op limit`. An unbounded side lies on both sides of any limit.
 * Equality operators have no sides: they use the measured value alone.
 */
export function verdictOf(iv: { value: number | null; lower: number | null; upper: number | null }, op: LimitOp, limit: number): Verdict {
  if (iv.value === null) return 'broke'; // no data: an SLO without samples fails, as thresholds do
  const lo = iv.lower ?? Number.NEGATIVE_INFINITY;
  const hi = iv.upper ?? Number.POSITIVE_INFINITY;
  switch (op) {
    case '<':
      return hi < limit ? 'held' : lo >= limit ? 'broke' : 'uncertain';
    case '<=':
      return hi <= limit ? 'held' : lo > limit ? 'broke' : 'uncertain';
    case '>':
      return lo > limit ? 'held' : hi <= limit ? 'broke' : 'uncertain';
    case '>=':
      return lo >= limit ? 'held' : hi < limit ? 'broke' : 'uncertain';
    case '!=':
      return iv.value !== limit ? 'held' : 'broke';
    default:
      return iv.value === limit ? 'held' : 'broke';
  }
}

/** One SLO's interval and verdict, with a longer step to suggest when uncertain (`stepMs`: this step's planned length). */
export function sloInterval(metric: string, expr: string, d: SloData, op: LimitOp, limit: number, unit: SloInterval['unit'], stepMs: number): SloInterval {
  const iv = intervalOf(d);
  const verdict = verdictOf(iv, op, limit);
  const out: SloInterval = { metric, expr, ...iv, unit, verdict };
  if (verdict === 'uncertain') {
    const longer = longerStep(d, op, limit, stepMs);
    if (longer) out.longer = longer;
  }
  return out;
}

/** An interval in words: '212 ms [180, 260]', '0.50 % [0.10, 1.9]', unbounded sides as '∞' / '−∞'. */
export function fmtInterval(v: { value: number | null; lower: number | null; upper: number | null; unit: SloInterval['unit'] }): string {
  if (v.value === null) return 'no data';
  const f = (x: number | null, inf: string): string => (x === null ? inf : v.unit === 'ratio' ? fmtSig(x * 100) : fmtSig(x));
  const unit = v.unit === 'ratio' ? ' %' : v.unit === 'ms' ? ' ms' : '';
  if (v.lower === v.upper && v.lower === v.value) return `${f(v.value, '')}${unit}`;
  return `${f(v.value, '')}${unit} [${f(v.lower, v.unit === 'ms' || v.unit === 'ratio' ? '0' : '−∞')}, ${f(v.upper, '∞')}]`;
}

/** 3 significant digits, no exponent: 212, 21.2, 0.0212. */
function fmtSig(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) >= 100 ? String(Math.round(x)) : String(Number(x.toPrecision(3)));
}

/** A step's verdict from its SLOs': broke if any broke, held if all held, else uncertain. */
export function stepVerdict(slos: readonly { verdict: Verdict }[]): Verdict {
  if (slos.some((s) => s.verdict === 'broke')) return 'broke';
  return slos.every((s) => s.verdict === 'held') ? 'held' : 'uncertain';
}

/**
 * The interval `d` would have if the step were `factor` times longer with the same distribution
 * (its values scaled up): what a longer --step-duration would buy. Undefined for observed values.
 */
export function projected(d: SloData, factor: number): ReturnType<typeof intervalOf> | undefined {
  switch (d.kind) {
    case 'quantile': {
      const n = Math.round(d.n * factor);
      if (d.n <= 0 || n <= 0) return undefined;
      const [lo, hi] = quantileRankBounds(n, d.q);
      // The same fractions of the step's own distribution: its empirical quantiles stand in for the true ones.
      return { value: d.point, lower: lo < 1 ? null : Math.min(d.at(lo / n), d.point), upper: hi > n ? null : Math.max(d.at(hi / n), d.point), n, method: 'order statistics' };
    }
    case 'proportion': {
      if (d.n <= 0) return undefined;
      const n = Math.round(d.n * factor);
      const [lo, hi] = wilsonInterval((d.k / d.n) * n, n);
      return { value: d.k / d.n, lower: lo, upper: hi, n, method: 'wilson' };
    }
    case 'mean':
      return intervalOf({ ...d, n: Math.round(d.n * factor) });
    default:
      return undefined;
  }
}

/** Step durations a hint may suggest (ms). */
const SUGGESTED_MS = [30_000, 60_000, 120_000, 300_000, 600_000];

/**
 * For an SLO whose interval straddled its limit: the shortest suggested step (longer than
 * `stepMs`) whose projected interval would decide, with that interval; undefined when even 10
 * minutes would not (the value sits on the limit) or the SLO has no interval.
 */
export function longerStep(d: SloData, op: LimitOp, limit: number, stepMs: number): { stepMs: number; lower: number | null; upper: number | null } | undefined {
  for (const ms of SUGGESTED_MS) {
    if (ms <= stepMs) continue;
    const p = projected(d, ms / stepMs);
    if (!p) return undefined;
    if (verdictOf(p, op, limit) !== 'uncertain') return { stepMs: ms, lower: p.lower, upper: p.upper };
  }
  return undefined;
}
