import type { MetricType } from '../metric.js';
import { type ParsedThreshold, type ThresholdOperator, parseThresholdExpression } from './expression.js';
import { type MetricSelector, parseMetricSelector } from './selector.js';
import type { ThresholdSpecLike } from './validate.js';

/** Plain aggregations a StatReader answers (percentiles go through `percentile`). */
export type StatName = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value';

/**
 * Read access to the aggregated samples of one metric or sub-metric, as the metric store has them.
 *
 * - `get(agg)` returns undefined when the sink has no samples (or the aggregation does not apply).
 *   Counter: `count` (sum of values) and `rate` (count per second of test time so far).
 *   Gauge: `value` (last), `min`, `max`. Rate: `rate` (non-zero share, 0..1). Trend: `avg`,
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
}

/** One threshold, parsed, with where it applies. */
export interface ThresholdEntry {
  /** The key as written in options.thresholds. */
  key: string;
  selector: MetricSelector;
  parsed: ParsedThreshold;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
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
    const out: ThresholdEval[] = new Array(this.entries.length);
    let lastKey: string | undefined;
    let reader: StatReader | undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.key !== lastKey) {
        lastKey = e.key;
        reader = read(e.key);
      }
      const { value, compared } = measure(reader, e.parsed, final);
      const empty = final && opts.failWithoutSamples === true && !hasSamples(reader);
      const ok = empty ? false : compared === undefined ? true : compare(compared, e.parsed.op, e.parsed.value);
      out[i] = {
        metric: e.key,
        expr: e.parsed.source,
        ok,
        value,
        abortOnFail: e.abortOnFail,
        shouldAbort: e.abortOnFail && !ok && elapsedMs >= e.delayAbortEvalMs,
      };
      if (empty) out[i]!.noSamples = true;
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
