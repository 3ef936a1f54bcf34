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

/**
 * A metric as a protocol (or the VU runtime) declares it, before any registry gives it an id.
 * `k6` is k6's name for the same metric where k6 has one (Volley keeps k6's names, so it equals
 * `name`); undefined for Volley's own metrics (e.g. `http_req_corrected_duration`).
 */
export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: ValueType;
  readonly k6?: string | undefined;
}

export const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
