import type { MetricType } from '../metric.js';
import { type ParsedThreshold, type ThresholdOperator, parseThresholdExpression } from './expression.js';
import { type MetricSelector, parseMetricSelector } from './selector.js';
import type { ThresholdSpecLike } from './validate.js';
import { ThresholdWindows, type WindowReader, type WindowVerdict } from './windows.js';
import type { SinkDelta } from '../sinks.js';
import { driftOf } from '../drift.js';
import { BreachLedger, BreachUnion, breachAccount, type TimeBudgetState } from './time-budget.js';

/** Plain aggregations a StatReader answers (percentiles go through `percentile`). */
export type StatName = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | 'passes';

/**
 * Read access to the aggregated samples of one metric or sub-metric, as the metric store has them.
 *
 * - `get(agg)` returns undefined when the sink has no samples (or the aggregation does not apply).
 *   Counter: `count` (sum of values) and `rate` (count per second of test time so far).
 *   Gauge: `value` (last), `min`, `max`. Rate: `rate` (non-zero share, 0..1), `count` (samples)
 *   and `passes` (non-zero samples: the bad events of an error rate). Trend: `avg`,
 *   `min`, `max`, `med` (same as p(50)), and `count` (number of samples).
 * - `percentile(p)` takes p in percent (0..100, 99.9 allowed) and returns the value (ms for time
 *   trends), or undefined when there are no samples.
 */
export interface StatReader {
  type: MetricType;
  get(agg: StatName): number | undefined;
  percentile(p: number): number | undefined;
}

/** A reader for a metric that exists but got no samples (use it at the end so k6's empty-sink rules apply). */
export function emptyStatReader(type: MetricType): StatReader {
  return { type, get: () => undefined, percentile: () => undefined };
}

/** The verdict of one threshold at one evaluation. */
export interface ThresholdEval {
  /** The threshold key as written: a metric or sub-metric, e.g. 'http_req_duration{route:/api/query}'. */
  metric: string;
  /** The expression as written. */
  expr: string;
  ok: boolean;
  /** The measured aggregate compared (ms for time, bytes for data, 0..1 for rates), or null when there was no data. */
  value: number | null;
  abortOnFail: boolean;
  /** `abortOnFail && !ok && elapsedMs >= delayAbortEvalMs`: the run should stop now. */
  shouldAbort: boolean;
  /** Final evaluation only: the metric got no samples, so the threshold failed (see `failWithoutSamples`). */
  noSamples?: true;
  /** A windowed threshold (`for 5m`): what its windows showed; `value` is then the worst window's. */
  window?: WindowVerdict;
  /**
   * An error budget: in bad events (`'rate<0.001 budget'`: allowed, used, left, burn rate) or in
   * seconds of breach (`'p(95)<350 budget 28800s over 30d'`, `unit: 'seconds'`; `value` is then
   * the worst window's and `window` has the windows).
   */
  budget?: BudgetState | TimeBudgetState;
  /** A `drift` threshold: the trend in words ("… grew 18 %/h (…), significant (p < 0.001)"). */
  drift?: string;
}

/** The state of an error budget in bad events (`'rate<0.001 budget'`) over the run so far. */
export interface BudgetState {
  unit: 'events';
  /** Events counted (the rate metric's samples). */
  events: number;
  /** Bad events allowed: the threshold's rate × events. */
  allowed: number;
  /** Bad events (non-zero samples). */
  used: number;
  /** allowed − used (negative: over budget). */
  remaining: number;
  /** The run's bad share divided by the allowed share: 1 spends the budget exactly as fast as allowed. */
  burnRate: number;
  /** With `budget over <period>`: the SLO period, and how long its budget lasts at this burn rate (null: no burn). */
  periodMs?: number;
  exhaustedInMs?: number | null;
}

/** One threshold, parsed, with where it applies. */
export interface ThresholdEntry {
  /** The key as written in options.thresholds. */
  key: string;
  selector: MetricSelector;
  parsed: ParsedThreshold;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
  /** Windowed thresholds and time budgets: the index of its verdict in the set's windows. */
  window?: number;
  /** Time budgets: the breached windows, and the group sharing the budget. */
  ledger?: BreachLedger;
  /** Time budgets without per-second data: judged as one window over the whole run. */
  wholeRun?: boolean;
  group?: BudgetGroup;
}

/** Thresholds with the same time budget and period: they share it (see ./time-budget.ts). */
export interface BudgetGroup {
  budgetMs: number;
  periodMs: number;
  union: BreachUnion;
  members: ThresholdEntry[];
}

/** Options of `ThresholdSet.evaluate`. */
export interface EvaluateOptions {
  /**
   * The end-of-test evaluation (default false). During the run a metric without samples is skipped
   * (ok, value null), as k6 does. At the end k6 evaluates empty sinks: an empty counter counts 0
   * (rate 0), an empty gauge is 0 and an empty trend's avg/min/max/med/p(N) are 0, while an empty
   * rate metric passes (k6 avoids its 0/0). Mirrors k6's `Thresholds.Run` and `evaluateThresholds`.
   */
  final?: boolean;
  /**
   * With `final`: a threshold on a trend, rate or gauge metric that got no samples fails (default
   * false here; the run passes `!thresholdsPassWithoutSamples`, so Volley fails it by default).
   * k6 passes it, so a CI gate stays green when nothing was measured (a typo in a URL, a tag that
   * never matched). Counters are exempt: an empty counter is a true 0 (`errors: ['count<10']`).
   */
  failWithoutSamples?: boolean;
  /**
   * With `final`: the per-second series of a threshold key (epoch-ms times and values), for `drift`
   * thresholds: a trend's p95 column, a rate's, a gauge's value, a counter's per-second rate.
   */
  series?: (key: string) => { t: readonly number[]; v: readonly (number | null)[] } | undefined;
}

/**
 * All thresholds of a test, parsed once; `evaluate` is called periodically during the run (for
 * abortOnFail) and once at the end. Construction throws the VolleyError of the first bad key or
 * expression (run `validateThresholds` first to report all of them at once).
 */
export class ThresholdSet {
  /** In the order of the spec map, then of each list. */
  readonly entries: readonly ThresholdEntry[];
  /** Distinct threshold keys (metrics and sub-metrics) the engine must keep sinks for. */
  readonly keys: readonly string[];

  constructor(spec: Record<string, readonly ThresholdSpecLike[]>) {
    const entries: ThresholdEntry[] = [];
    for (const [key, list] of Object.entries(spec)) {
      const selector = parseMetricSelector(key);
      for (const t of list) {
        entries.push({
          key,
          selector,
          parsed: parseThresholdExpression(t.threshold),
          abortOnFail: t.abortOnFail === true,
          delayAbortEvalMs: t.delayAbortEvalMs ?? 0,
        });
      }
    }
    this.entries = entries;
    this.keys = Object.keys(spec);
    const groups = new Map<string, BudgetGroup>();
    for (const e of entries) {
      const t = e.parsed;
      const tb = t.timeBudget;
      if (tb !== undefined) {
        // Back-to-back windows, each told to the ledger (and the group's union) as it is judged.
        const id = `${tb.budgetMs}/${tb.periodMs}`;
        let group = groups.get(id);
        if (!group) groups.set(id, (group = { budgetMs: tb.budgetMs, periodMs: tb.periodMs, union: new BreachUnion(), members: [] }));
        group.members.push(e);
        e.group = group;
        const ledger = (e.ledger = new BreachLedger(group.union));
        this.windows ??= new ThresholdWindows();
        e.window = this.windows.watch(e.key, tb.windowMs, (r) => judgeWindow(r, t), t.op === '<' || t.op === '<=', 'tumbling', (start, len, ok) => ledger.record(start, len, ok));
        continue;
      }
      const w = t.windowMs;
      if (w === undefined) continue;
      this.windows ??= new ThresholdWindows();
      e.window = this.windows.watch(e.key, w, (r) => judgeWindow(r, t), t.op === '<' || t.op === '<=');
    }
  }

  /** The windows of windowed thresholds (`for 5m`), undefined when there are none. */
  readonly windows: ThresholdWindows | undefined;
  private windowsFinished = false;

  /** One worker's per-interval deltas for bucket `bucket` (feeds windowed thresholds; a no-op without them). */
  addBucket(bucket: number, entries: ReadonlyArray<{ metric: string; part: string; key: string; delta: SinkDelta }>): void {
    this.windows?.add(bucket, entries);
  }

  /** Buckets below `upTo` are complete (every worker reported them): windows up to there are judged. */
  closeBuckets(upTo: number): void {
    if (!this.windowsFinished) this.windows?.close(upTo);
  }

  /** Number of thresholds. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Evaluates every threshold. `read(key)` gives the stats of a threshold key (undefined: no sink,
   * treated as no data); `elapsedMs` is the test time so far, for delayAbortEval.
   */
  evaluate(read: (selectorKey: string) => StatReader | undefined, elapsedMs: number, opts: EvaluateOptions = {}): ThresholdEval[] {
    const final = opts.final === true;
    if (final && !this.windowsFinished) {
      this.windows?.finish();
      this.windowsFinished = true;
    }
    const out: ThresholdEval[] = new Array(this.entries.length);
    let lastKey: string | undefined;
    let reader: StatReader | undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.key !== lastKey) {
        lastKey = e.key;
        reader = read(e.key);
      }
      const empty = final && opts.failWithoutSamples === true && !hasSamples(reader);
      let value: number | null;
      let ok: boolean;
      let window: WindowVerdict | undefined;
      let budget: BudgetState | TimeBudgetState | undefined;
      let drift: string | undefined;
      if (e.ledger !== undefined) {
        window = { ...this.windows!.verdict(e.window!) };
        value = window.worst;
        if (final && window.windows === 0 && hasSamples(reader) && e.ledger.windows === 0) {
          // No per-interval data reached the windows (a merged distributed run): the whole run is one window.
          const m = measure(reader, e.parsed, final);
          value = m.value;
          e.ledger.recordWholeRun(elapsedMs, m.compared === undefined ? true : compare(m.compared, e.parsed.op, e.parsed.value));
          e.wholeRun = true;
        }
        const tb = timeBudgetState(e, elapsedMs, final);
        budget = tb;
        ok = !empty && tb.remaining >= 0;
        if (tb.shared && !tb.shared.ok && tb.used > 0) ok = false; // a member that helped exhaust the shared budget
        // Live, a budget is judged once its allowance reaches one window: before that, one bad
        // minute would end a run that may well stay within the budget.
        if (!final && tb.belowOneWindow) ok = true;
      } else if (e.window !== undefined) {
        window = { ...this.windows!.verdict(e.window) };
        value = window.worst;
        ok = !empty && window.failed === 0;
        if (final && window.windows === 0 && hasSamples(reader)) {
          // No per-interval data reached the windows (a merged distributed run): judge the whole run as one window.
          const m = measure(reader, e.parsed, final);
          value = m.value;
          ok = m.compared === undefined ? true : compare(m.compared, e.parsed.op, e.parsed.value);
          window.partial = true;
        }
      } else if (e.parsed.aggregation === 'drift') {
        // Judged at the end only, on the run's per-second series (too few points: no data, passes).
        const sr = final ? opts.series?.(e.key) : undefined;
        const f = sr ? driftOf(sr.t, sr.v, { series: e.key, label: e.key, unit: '' }) : undefined;
        value = f ? (f.drift === 'none' ? 0 : f.percentPerHour) : null;
        ok = value === null ? !empty : compare(value, e.parsed.op, e.parsed.value);
        if (f) drift = f.text;
      } else {
        const m = measure(reader, e.parsed, final);
        value = m.value;
        ok = empty ? false : m.compared === undefined ? true : compare(m.compared, e.parsed.op, e.parsed.value);
        if (e.parsed.budget && reader) {
          budget = budgetState(reader, e.parsed);
          // Live, a budget is judged once it allows at least one bad event: one early error in the
          // first hundred requests is not the end of a 0.1 % budget.
          if (!final && budget !== undefined && budget.allowed < 1) ok = true;
        }
      }
      out[i] = {
        metric: e.key,
        expr: e.parsed.source,
        ok,
        value,
        abortOnFail: e.abortOnFail,
        shouldAbort: e.abortOnFail && !ok && elapsedMs >= e.delayAbortEvalMs,
      };
      if (empty) out[i]!.noSamples = true;
      if (window) out[i]!.window = window;
      if (budget) out[i]!.budget = budget;
      if (drift !== undefined) out[i]!.drift = drift;
    }
    return out;
  }
}

/** Whether a non-counter metric got any sample (counters always count: empty is a true 0). */
function hasSamples(reader: StatReader | undefined): boolean {
  if (reader === undefined) return false;
  switch (reader.type) {
    case 'counter':
      return true;
    case 'gauge':
      return reader.get('value') !== undefined;
    case 'rate':
    case 'trend':
      return (reader.get('count') ?? 0) > 0;
  }
}

/**
 * The value to compare (undefined: skip, the threshold passes) and the value to report (null: no data).
 */
function measure(reader: StatReader | undefined, t: ParsedThreshold, final: boolean): { value: number | null; compared: number | undefined } {
  if (!reader) return { value: null, compared: undefined };
  if (t.aggregation === 'drift') return { value: null, compared: undefined }; // judged on the series, not here
  const v = t.aggregation === 'p' ? reader.percentile(t.percentile!) : reader.get(t.aggregation);
  if (v !== undefined && !Number.isNaN(v)) return { value: v, compared: v };
  if (!final) return { value: null, compared: undefined };
  // k6's end-of-test rules for empty sinks (see EvaluateOptions.final).
  switch (reader.type) {
    case 'counter':
      return { value: 0, compared: 0 };
    case 'gauge':
    case 'trend':
      return { value: null, compared: 0 };
    case 'rate':
      return { value: null, compared: undefined };
  }
}

/** Applies a threshold operator (`==` and `===` are the same on numbers). */
export function compare(lhs: number, op: ThresholdOperator, rhs: number): boolean {
  switch (op) {
    case '<':
      return lhs < rhs;
    case '<=':
      return lhs <= rhs;
    case '>':
      return lhs > rhs;
    case '>=':
      return lhs >= rhs;
    case '==':
    case '===':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
  }
}

/** Judges one window of a windowed threshold: an empty window has nothing to judge (value null). */
function judgeWindow(r: WindowReader, t: ParsedThreshold): { ok: boolean; value: number | null } {
  const v = t.aggregation === 'p' ? r.percentile(t.percentile!) : t.aggregation === 'drift' ? undefined : r.get(t.aggregation);
  if (v === undefined || Number.isNaN(v)) return { ok: true, value: null };
  if ((t.aggregation === 'rate' || t.aggregation === 'avg') && (r.get('count') ?? 1) === 0) return { ok: true, value: null };
  return { ok: compare(v, t.op, t.value), value: v };
}

/** A time budget's state: its own breached seconds and, when it shares the budget, the union's. */
function timeBudgetState(e: ThresholdEntry, elapsedMs: number, final: boolean): TimeBudgetState {
  const tb = e.parsed.timeBudget!;
  const ledger = e.ledger!;
  const clip = final ? elapsedMs : undefined;
  const acc = breachAccount(tb.budgetMs, tb.periodMs, elapsedMs, ledger.usedMs(clip) / 1000, ledger.intervals(clip));
  const s: TimeBudgetState = { unit: 'seconds', windowMs: tb.windowMs, windows: ledger.windows, breachedWindows: ledger.breachedWindows, ...acc };
  if (acc.allowed < tb.windowMs / 1000) s.belowOneWindow = true;
  if (e.wholeRun) s.wholeRun = true;
  const g = e.group!;
  if (g.members.length > 1) {
    const u = breachAccount(g.budgetMs, g.periodMs, elapsedMs, g.union.usedMs(clip) / 1000, g.union.intervals(clip));
    const sumOfMembers = g.members.reduce((a, m) => a + m.ledger!.usedMs(clip), 0) / 1000;
    // Judged live only once the allowance reaches the members' shortest window (as each member).
    const minWindow = Math.min(...g.members.map((m) => m.parsed.timeBudget!.windowMs)) / 1000;
    const judged = final || u.allowed >= minWindow;
    s.shared = { unit: 'seconds', thresholds: g.members.map((m) => `${m.key}: ${m.parsed.source}`), ...u, sumOfMembers: Math.round(sumOfMembers * 1000) / 1000, ok: !judged || u.remaining >= 0 };
  }
  return s;
}

/** An error budget's state from the rate metric's reader (undefined: not a rate metric). */
function budgetState(reader: StatReader, t: ParsedThreshold): BudgetState | undefined {
  if (reader.type !== 'rate') return undefined;
  const events = reader.get('count') ?? 0;
  const used = reader.get('passes') ?? 0;
  const allowed = t.value * events;
  const share = events === 0 ? 0 : used / events;
  const burnRate = share / t.value;
  const b: BudgetState = { unit: 'events', events, allowed, used, remaining: allowed - used, burnRate };
  const periodMs = t.budget?.periodMs;
  if (periodMs !== undefined) {
    b.periodMs = periodMs;
    b.exhaustedInMs = burnRate > 0 ? periodMs / burnRate : null;
  }
  return b;
}
