/**
 * How far a threshold's measured value is from its limit, and the value in the metric's unit, for
 * the HTML report, the Markdown and JUnit summaries and the analysis. `'p(99)<500'` measured at
 * 612.3 is "612.3ms, 22% over the limit (1.22×)"; `'rate>0.99'` at 0.98 is "2.00% missed against
 * 1.00% allowed (2×)".
 */
import type { MetricType, ValueType } from '../metrics/metric.js';
import { aggregationKey, tryParseThresholdExpression, type ThresholdOperator } from '../metrics/thresholds/expression.js';
import { humanizeValue, toFixedNoTrailingZeros, type TimeUnit } from '../summary/format.js';
import type { SummaryData, ThresholdResult } from '../summary/types.js';
import { selectorMetric } from '../metrics/thresholds/selector.js';
import { seconds, shortDuration } from '../summary/budget-text.js';

/** A threshold set against its measurement. */
export interface ThresholdMargin {
  /** The aggregation as k6 names it: 'p(95)', 'rate', 'count'. */
  aggregation: string;
  /** Undefined when the expression does not parse (a summary from another tool). */
  op: ThresholdOperator | undefined;
  /** The right-hand side of the expression (ms, bytes, 0..1, plain number). */
  limit: number | undefined;
  /** The measured value, null when the metric had no data. */
  value: number | null;
  /** value / limit; null when either is missing or the limit is 0. */
  ratio: number | null;
  /**
   * Distance to the limit relative to the limit, ≥ 0: for a failed threshold how much it is over
   * (`<`) or short (`>`), for a passed one its headroom. For `rate>x` on a Rate metric it is
   * measured on the misses (1 − rate against 1 − x), so a 100% check rate has all the headroom.
   * Null for `==`/`!=`, a zero limit or no data.
   */
  relative: number | null;
  /** The measured value in the metric's unit: '612.3ms', '1.22%', '5880', '12.5/s'. */
  valueText: string;
  /** The limit in the metric's unit: '500ms', '1.00%'. */
  limitText: string;
  /** Human margin: '22% over the limit (1.22×)', '2.00% missed against 1.00% allowed (2×)', '29% headroom', ''. */
  marginText: string;
}

/** Metric type and unit of a metric or sub-metric, from the summary or guessed from the aggregation. */
export function metricMeta(data: Pick<SummaryData, 'metrics'>, metric: string, aggregation: string): { type: MetricType; contains: ValueType } {
  const m = data.metrics?.[metric] ?? data.metrics?.[selectorMetric(metric)];
  if (m) return { type: m.type, contains: m.contains };
  if (aggregation === 'rate') return { type: 'rate', contains: 'default' };
  if (aggregation === 'count') return { type: 'counter', contains: 'default' };
  if (aggregation === 'value') return { type: 'gauge', contains: 'default' };
  return { type: 'trend', contains: 'time' };
}

/** A number in the metric's unit, as the text summary prints it. */
function formatIn(v: number, meta: { type: MetricType; contains: ValueType }, aggregation: string, timeUnit: TimeUnit): string {
  if (meta.type === 'counter' && aggregation === 'rate') return `${toFixedNoTrailingZeros(v, 6)}/s`;
  return humanizeValue(v, meta, timeUnit);
}

/** Percent with at most one decimal, no trailing zero: 0.2249 → '22.5%', 0.01 → '1%'. */
export function percentText(x: number): string {
  const p = x * 100;
  return `${p >= 10 ? Math.round(p) : toFixedNoTrailingZeros(p, 1)}%`;
}

/** Measures a threshold against its limit. */
export function thresholdMargin(t: ThresholdResult, data: Pick<SummaryData, 'metrics' | 'options'>): ThresholdMargin {
  const parsed = tryParseThresholdExpression(t.expr);
  const aggregation = parsed ? aggregationKey(parsed) : t.expr.split(/[=<>!]/, 1)[0]!.trim();
  const meta = metricMeta(data, t.metric, aggregation);
  const unit = data.options?.summaryTimeUnit;
  const timeUnit: TimeUnit = unit === 's' || unit === 'ms' || unit === 'us' ? unit : undefined;
  const value = typeof t.value === 'number' && Number.isFinite(t.value) ? t.value : null;
  const limit = parsed?.value;
  const valueText = value === null ? 'no data' : formatIn(value, meta, aggregation, timeUnit);
  const limitText = limit === undefined ? '' : formatIn(limit, meta, aggregation, timeUnit);
  const ratio = value !== null && limit !== undefined && limit !== 0 ? value / limit : null;
  let relative: number | null = null;
  let marginText = '';
  const op = parsed?.op;
  if (value !== null && limit !== undefined && op && op !== '==' && op !== '===' && op !== '!=') {
    const upper = op === '<' || op === '<='; // the limit is a maximum
    const over = upper ? value - limit : limit - value; // > 0: on the failing side
    if (meta.type === 'rate' && !upper && limit > 0 && limit < 1) {
      // 'rate>0.99' is really "at most 1% false": compare the complements, so 0.98 reads as twice
      // the allowed misses and 1.0 as all the headroom there is (not "1% over 0.99").
      const missed = 1 - value;
      const allowed = 1 - limit;
      relative = Math.abs(missed - allowed) / allowed;
      if (!t.ok) marginText = over <= 0 ? 'at the limit' : `${humanizeValue(missed, meta)} missed against ${humanizeValue(allowed, meta)} allowed (${toFixedNoTrailingZeros(missed / allowed, 2)}×)`;
      else marginText = over >= 0 ? 'at the limit' : `${percentText(relative)} headroom`;
    } else if (limit !== 0) {
      relative = Math.abs(over) / Math.abs(limit);
      if (!t.ok) {
        const ratioText = ratio !== null && upper && ratio >= 1.05 ? ` (${toFixedNoTrailingZeros(ratio, 2)}×)` : '';
        marginText = over <= 0 ? 'at the limit' : upper ? `${percentText(relative)} over the limit${ratioText}` : `${percentText(relative)} short of the limit`;
      } else if (over >= 0) {
        marginText = 'at the limit';
      } else {
        // A minimum met many times over reads better as a multiple: 'count>1000' at 5880 → 5.88×.
        marginText = !upper && ratio !== null && ratio >= 2 ? `${toFixedNoTrailingZeros(ratio, 2)}× the limit` : `${percentText(relative)} headroom`;
      }
    } else if (!t.ok && over > 0) {
      marginText = `${formatIn(Math.abs(over), meta, aggregation, timeUnit)} ${upper ? 'over' : 'short of'} the limit`;
    }
  }
  const b = t.budget;
  if (b?.unit === 'seconds') {
    // A time budget is judged on its breached seconds, not on the value: the value is the worst
    // window's, and the margin is the budget's.
    const pct = b.allowed > 0 ? ` (${Math.round((b.used / b.allowed) * 100).toLocaleString('en-US')} %)` : '';
    return {
      aggregation,
      op,
      limit,
      value,
      ratio: b.allowed > 0 ? b.used / b.allowed : null,
      relative: b.allowed > 0 && b.remaining >= 0 ? b.remaining / b.allowed : b.allowed > 0 ? -b.remaining / b.allowed : null,
      valueText: value === null ? valueText : `${valueText} in the worst ${shortDuration(b.windowMs)} window`,
      limitText,
      marginText: `${seconds(b.used)} of SLO breach against ${seconds(b.allowed)} allowed${pct}, burn rate ${toFixedNoTrailingZeros(b.burnRate, 2)}×${b.shared && !b.shared.ok ? `; the shared budget: ${seconds(b.shared.used)} breached` : ''}`,
    };
  }
  return { aggregation, op, limit, value, ratio, relative, valueText, limitText, marginText };
}
