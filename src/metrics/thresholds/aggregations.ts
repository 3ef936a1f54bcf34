import type { MetricType } from '../metric.js';
import type { Aggregation } from './expression.js';

/**
 * The aggregations a threshold may use on each metric type, exactly as k6
 * (`MetricType.supportedAggregationMethods` in k6's metrics/metric_type.go):
 *
 * | type    | aggregations                      |
 * |---------|-----------------------------------|
 * | counter | count, rate (per second)          |
 * | gauge   | value (the last value), min, max  |
 * | rate    | rate (share of non-zero, 0..1)    |
 * | trend   | avg, min, max, med, p(N)          |
 *
 * `drift` (every type) is Volley's: the significant trend over the run in % per hour, of the
 * per-second series (a trend's p95, a rate, a gauge's value, a counter's rate).
 * A gauge's min and max are Volley's addition (k6 allows only `value`): a monitored memory
 * series is judged by its peak (`monitor_process_resident_memory_bytes: ['max<300e6']`).
 */
export const AGGREGATIONS_BY_TYPE: Readonly<Record<MetricType, readonly Aggregation[]>> = {
  counter: ['count', 'rate', 'drift'],
  gauge: ['value', 'min', 'max', 'drift'],
  rate: ['rate', 'drift'],
  trend: ['avg', 'min', 'max', 'med', 'p', 'drift'],
};

/** Whether a metric of `type` supports `aggregation` in thresholds. */
export function supportsAggregation(type: MetricType, aggregation: Aggregation): boolean {
  return AGGREGATIONS_BY_TYPE[type].includes(aggregation);
}

/** The supported aggregations of a type as users write them: 'avg, min, max, med, p(N)'. */
export function describeAggregations(type: MetricType): string {
  return AGGREGATIONS_BY_TYPE[type].map((a) => (a === 'p' ? 'p(N)' : a)).join(', ');
}
