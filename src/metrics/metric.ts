/** k6's four metric types. */
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
/** What a metric's values are: plain numbers, durations in milliseconds, or bytes. */
export type ValueType = 'default' | 'time' | 'data';

/** A metric definition. `id` is a dense index, valid within one registry (one per thread, same order everywhere). */
export interface Metric {
  readonly id: number;
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
}

export const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
