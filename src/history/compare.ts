import { configError } from '../errors/index.js';
import { routeHistogramKey } from '../summary/histograms.js';
import type { Budget } from './budget.js';
import { decodeHistogram, percentileMs, valueAtRankMs } from './hist.js';
import type { Side } from './side.js';
import { bootstrapShift, dispersionRatio, katzRatioInterval, noiseFloor, normalCdf, normalQuantile, quantileRankBounds, ratioInterval, windowed, Z95 } from './stats.js';

export type Verdict = 'regressed' | 'improved' | 'no significant change' | 'noise unknown' | 'no data';

/** How the sampling noise of a row was assessed (docs/history.md). */
export type Method = 'proportion-ratio' | 'block-bootstrap' | 'quantile-ci' | 'none';

export interface StatComparison {
  /** 'http_req_duration:p(95)', or 'http_req_duration{name:/x}:p(95)' for a route. */
  key: string;
  metric: string;
  stat: string;
  route: string | undefined;
  baseline: number | null;
  candidate: number | null;
  /** Relative change candidate/baseline − 1 (0.12 = +12 %). */
  change: number | null;
  /** 95 % confidence interval of the relative change (sampling noise within the runs); it contains `change`. */
  ci: [number, number] | null;
  /** Two-sided p-value of "no change" (proportion-ratio: Katz z; block-bootstrap: bootstrap share). */
  p: number | null;
  /** proportion-ratio: the variance inflation (≥ 1) of [baseline, candidate] for errors clustered in time. */
  dispersion?: [number, number];
  method: Method;
  /** Smallest relative change that stands out from earlier runs (run-to-run noise); null: too few runs. */
  noiseFloor: number | null;
  /** 'lower': smaller is better (latency, errors); 'higher': larger is better (throughput, checks). */
  better: 'lower' | 'higher';
  /** The baseline was 0 and the candidate is not (0 → 5 % errors): no relative change exists; `change` is null. */
  fromZero?: true;
  verdict: Verdict;
}

export interface BudgetResult {
  budget: Budget;
  row: StatComparison;
  /** Significant, in the budget's direction, and beyond its limit: the gate fails. */
  exceeded: boolean;
}

export interface Comparison {
  baseline: { label: string; test: string | undefined; id: number | undefined };
  candidate: { label: string; test: string | undefined; id: number | undefined };
  /** Earlier runs whose spread set the noise floors. */
  historyRuns: number;
  rows: StatComparison[];
  routes: StatComparison[];
  budgets: BudgetResult[];
  /** True when a budget was exceeded (exit 98). */
  failed: boolean;
}

export interface CompareOptions {
  budgets?: readonly Budget[];
  /** Earlier runs of the same test (not the candidate): their spread is the run-to-run noise. */
  history?: readonly Side[];
  /** Significance level: the rate and per-second intervals are 1 − alpha (route quantile intervals stay 95 %); default 0.05. */
  alpha?: number;
}

/** The statistics compared by default. */
export const DEFAULT_STATS: ReadonlyArray<[string, string]> = [
  ['http_req_duration', 'p(50)'],
  ['http_req_duration', 'p(95)'],
  ['http_req_duration', 'p(99)'],
  ['http_reqs', 'rate'],
  ['http_req_failed', 'rate'],
  ['iteration_duration', 'p(95)'],
  ['checks', 'rate'],
];

const HIGHER_IS_BETTER = new Set(['http_reqs', 'iterations', 'checks', 'data_received', 'data_sent']);

function percentileOf(stat: string): number | undefined {
  if (stat === 'med') return 50;
  const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  return m ? Number(m[1]) : undefined;
}

function histogramOf(side: Side, metric: string, route: string | undefined): string | undefined {
  if (metric !== 'http_req_duration') return undefined;
  if (!route) return side.histograms.http_req_duration;
  const r = routeRow(side, route);
  return r ? side.histograms[routeHistogramKey(r.method, r.name)] : undefined;
}

function routeRow(side: Side, route: string) {
  return side.routes.find((r) => r.name === route);
}

/** A statistic of one side, or undefined when that side lacks it. */
export function statValue(side: Side, metric: string, stat: string, route?: string): number | undefined {
  const p = percentileOf(stat);
  const enc = histogramOf(side, metric, route);
  if (p !== undefined && enc) return percentileMs(decodeHistogram(enc), p);
  if (route) {
    const r = routeRow(side, route);
    if (!r || metric !== 'http_req_duration') return undefined;
    const field = ({ 'p(50)': 'p50', med: 'p50', 'p(90)': 'p90', 'p(95)': 'p95', 'p(99)': 'p99', avg: 'avg', max: 'max' } as const)[stat as 'avg'];
    return field ? r[field] : undefined;
  }
  const vals = side.metrics[metric];
  if (!vals) return undefined;
  return vals[stat] ?? (stat === 'p(50)' ? vals.med : stat === 'med' ? vals['p(50)'] : undefined);
}

/** The per-second series holding a statistic (summary `volley.timeSeries`), if any. */
function seriesName(metric: string, stat: string): string | undefined {
  if (metric === 'http_req_duration') {
    const p = percentileOf(stat);
    if (p === 50 || p === 90 || p === 95 || p === 99) return `http_req_duration.p${p}`;
    if (stat === 'avg' || stat === 'max') return `http_req_duration.${stat}`;
    return undefined;
  }
  if (['http_reqs', 'iterations', 'data_received', 'data_sent', 'dropped_iterations'].includes(metric) && stat === 'rate') return metric;
  return undefined;
}

function perSecond(side: Side, name: string): number[] {
  const col = side.series?.series[name];
  if (!col) return [];
  const out: number[] = [];
  for (const v of col) if (v !== null && Number.isFinite(v)) out.push(v);
  return out;
}

/** A Rate metric's counts: trues (k6's `passes`) of `total`. */
function proportionCounts(side: Side, metric: string): { x: number; n: number } | undefined {
  const v = side.metrics[metric];
  if (!v || v.passes === undefined || v.fails === undefined) return undefined;
  const n = v.passes + v.fails;
  return n > 0 ? { x: v.passes, n } : undefined;
}

/**
 * The dispersion of a Rate metric over the run's seconds (`dispersionRatio`), undefined without a
 * per-second series. Per-second trials: http_reqs per interval for http_req_failed; otherwise the
 * run's total spread evenly over the seconds that saw the metric (the series holds the rate only).
 */
function proportionDispersion(side: Side, metric: string, total: number): number | undefined {
  const ts = side.series;
  const col = ts?.series[metric];
  if (!ts || !col) return undefined;
  const perInterval = ts.intervalMs / 1000;
  const reqs = metric === 'http_req_failed' ? ts.series.http_reqs : undefined;
  const seen = col.filter((v) => v !== null).length;
  if (seen === 0) return undefined;
  const x: number[] = [];
  const n: number[] = [];
  col.forEach((rate, i) => {
    if (rate === null || !Number.isFinite(rate)) return;
    const trials = reqs ? (reqs[i] ?? 0) * perInterval : total / seen;
    x.push(rate * trials);
    n.push(trials);
  });
  return dispersionRatio(x, n);
}

/** Compares one statistic of two sides. */
export function compareStat(base: Side, cand: Side, metric: string, stat: string, route: string | undefined, history: readonly Side[], alpha = 0.05): StatComparison {
  const key = route ? `${metric}{name:${route}}:${stat}` : `${metric}:${stat}`;
  const better = HIGHER_IS_BETTER.has(metric) ? 'higher' : 'lower';
  const a = statValue(base, metric, stat, route);
  const b = statValue(cand, metric, stat, route);
  const row: StatComparison = { key, metric, stat, route, baseline: a ?? null, candidate: b ?? null, change: null, ci: null, p: null, method: 'none', noiseFloor: null, better, verdict: 'no data' };
  if (a === undefined || b === undefined) return row;
  row.change = a > 0 ? b / a - 1 : b === 0 ? 0 : null;
  if (row.change === null) return a === 0 && b > 0 ? fromZero(row, base, cand, metric, stat, route, alpha) : row;

  // Sampling noise within the runs: an interval on the scale of `change`, which it contains; the
  // change is significant when the interval excludes 0.
  let significant: boolean | undefined;
  const sname = route ? undefined : seriesName(metric, stat);
  const p = percentileOf(stat);
  const ea = histogramOf(base, metric, route);
  const eb = histogramOf(cand, metric, route);
  const ca = !route && stat === 'rate' ? proportionCounts(base, metric) : undefined;
  const cb = !route && stat === 'rate' ? proportionCounts(cand, metric) : undefined;
  const fa = ca && proportionDispersion(base, metric, ca.n);
  const fb = cb && proportionDispersion(cand, metric, cb.n);
  const z = alpha === 0.05 ? Z95 : normalQuantile(1 - alpha / 2);
  const boot = (): ReturnType<typeof bootstrapShift> => (sname ? bootstrapShift(windowed(perSecond(base, sname)), windowed(perSecond(cand, sname)), row.change!, { alpha }) : undefined);
  let bs: ReturnType<typeof bootstrapShift>;
  if (ca && cb && fa !== undefined && fb !== undefined) {
    // Katz's log interval of the ratio of the two proportions, centred on the reported ratio,
    // its variance inflated by each run's overdispersion.
    // Down to 0 (−100 %, no log): the corrected counts bound it from above, 0 from below.
    const k = row.change === -1 ? katzRatioInterval(ca.x, ca.n, cb.x, cb.n, { phi1: fa, phi2: fb, z }) : katzRatioInterval(ca.x, ca.n, cb.x, cb.n, { phi1: fa, phi2: fb, z, ratio: 1 + row.change });
    if (k) {
      row.method = 'proportion-ratio';
      row.ci = [row.change === -1 ? -1 : k.lo - 1, k.hi - 1];
      row.p = Math.min(1, 2 * (1 - normalCdf(Math.abs(k.z))));
      row.dispersion = [fa, fb];
    }
  } else if ((bs = boot())) {
    row.method = 'block-bootstrap';
    row.ci = [bs.lo, bs.hi];
    row.p = bs.p;
  } else if (p !== undefined && ea && eb) {
    const ha = decodeHistogram(ea);
    const hb = decodeHistogram(eb);
    const [la, ua] = quantileRankBounds(ha.totalCount, p / 100);
    const [lb, ub] = quantileRankBounds(hb.totalCount, p / 100);
    const ci = ratioInterval(a, valueAtRankMs(ha, la), valueAtRankMs(ha, ua), b, valueAtRankMs(hb, lb), valueAtRankMs(hb, ub));
    if (ci) {
      row.method = 'quantile-ci';
      row.ci = ci;
    }
  }
  if (row.ci) significant = row.ci[0] > 0 || row.ci[1] < 0;

  // Run-to-run noise: earlier runs of the same test.
  const hv = history.map((h) => statValue(h, metric, stat, route)).filter((v): v is number => v !== undefined);
  const floor = noiseFloor(hv);
  row.noiseFloor = floor ?? null;
  if (floor !== undefined && significant !== undefined) significant = significant && Math.abs(row.change) > floor;
  else if (floor !== undefined) significant = Math.abs(row.change) > floor;

  if (significant === undefined) row.verdict = 'noise unknown';
  else if (!significant || row.change === 0) row.verdict = 'no significant change';
  else row.verdict = (row.change > 0) === (better === 'lower') ? 'regressed' : 'improved';
  return row;
}

/**
 * A statistic that was 0 in the baseline and is not in the candidate (no errors → some errors): no
 * relative change exists, but for a proportion the question "did it rise?" still has an answer:
 * Katz's interval of the ratio with the 0.5 correction for the empty count, inflated for bursts as
 * above. Its lower bound above 1 is a significant rise (a regression for errors), which exceeds
 * any relative budget in that direction. Other statistics from 0 stay 'no data'.
 */
function fromZero(row: StatComparison, base: Side, cand: Side, metric: string, stat: string, route: string | undefined, alpha: number): StatComparison {
  row.fromZero = true;
  if (route || stat !== 'rate') return row;
  const ca = proportionCounts(base, metric);
  const cb = proportionCounts(cand, metric);
  const fa = ca && proportionDispersion(base, metric, ca.n);
  const fb = cb && proportionDispersion(cand, metric, cb.n);
  if (!ca || !cb || fa === undefined || fb === undefined) {
    row.verdict = 'noise unknown';
    return row;
  }
  const k = katzRatioInterval(ca.x, ca.n, cb.x, cb.n, { phi1: fa, phi2: fb, z: alpha === 0.05 ? Z95 : normalQuantile(1 - alpha / 2) });
  if (!k) return row;
  row.method = 'proportion-ratio';
  row.p = Math.min(1, 2 * (1 - normalCdf(Math.abs(k.z))));
  row.dispersion = [fa, fb];
  row.verdict = k.lo > 1 ? (row.better === 'lower' ? 'regressed' : 'improved') : 'no significant change';
  return row;
}

/**
 * Compares a candidate with its baseline: the default statistics, p(95) of every route present in
 * both, and every budget. A budget is exceeded when its statistic changed significantly (both
 * noise sources accounted for) in the budget's direction by more than its limit.
 */
export function compareRuns(base: Side, cand: Side, opts: CompareOptions = {}): Comparison {
  if (base.test && cand.test && base.test !== cand.test) {
    throw configError('E_COMPARE_DIFFERENT_TEST', `${base.label} ran ${JSON.stringify(base.test)} but ${cand.label} ran ${JSON.stringify(cand.test)}: runs of different scripts do not compare`, 'compare runs of the same test (volley runs --test FILE lists them)');
  }
  const history = opts.history ?? [];
  const alpha = opts.alpha ?? 0.05;
  const budgets = opts.budgets ?? [];
  for (const bu of budgets) {
    const known = (s: Side): boolean => (bu.route ? s.routes.some((r) => r.name === bu.route) : bu.metric in s.metrics);
    if (!known(base) && !known(cand)) {
      const what = bu.route ? `route ${JSON.stringify(bu.route)} of ${bu.metric}` : `metric ${JSON.stringify(bu.metric)}`;
      throw configError('E_BUDGET_METRIC', `--max-regression ${JSON.stringify(bu.spec)}: no ${what} in ${base.label} or ${cand.label}`, 'use a metric of the summary (http_req_duration, http_reqs, http_req_failed, iteration_duration, checks, or one the script defines)');
    }
  }
  const rows = DEFAULT_STATS.filter(([m]) => m in base.metrics || m in cand.metrics).map(([m, s]) => compareStat(base, cand, m, s, undefined, history, alpha));
  const names = new Set(base.routes.map((r) => r.name));
  const routes = [...new Set(cand.routes.map((r) => r.name))].filter((n) => names.has(n)).map((n) => compareStat(base, cand, 'http_req_duration', 'p(95)', n, history, alpha));
  const results: BudgetResult[] = budgets.map((bu) => {
    const row = [...rows, ...routes].find((r) => r.metric === bu.metric && r.stat === bu.stat && r.route === bu.route) ?? compareStat(base, cand, bu.metric, bu.stat, bu.route, history, alpha);
    const significant = row.verdict === 'regressed' || row.verdict === 'improved';
    // From 0 (no errors → some), a significant rise is beyond any relative limit.
    const exceeded = (significant && row.change !== null && row.change * bu.sign > bu.limit) || (row.fromZero === true && bu.sign > 0 && row.verdict === 'regressed');
    return { budget: bu, row, exceeded };
  });
  return {
    baseline: { label: base.label, test: base.test, id: base.run?.id },
    candidate: { label: cand.label, test: cand.test, id: cand.run?.id },
    historyRuns: history.length,
    rows,
    routes,
    budgets: results,
    failed: results.some((r) => r.exceeded),
  };
}
