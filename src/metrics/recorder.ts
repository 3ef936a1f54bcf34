import type { Metric } from './metric.js';
import type { TagSet, TagSetCache } from './tags.js';

/**
 * Where samples go inside a worker. Implemented by the metric store; protocol modules and the VU
 * runtime only see this.
 *
 * `add` is the hot path: it records straight into the (metric, tags) sinks and allocates nothing.
 * Values: trends and counters take the number itself (time in ms, data in bytes); rates take
 * 1 (true/pass) or 0 (false/fail); gauges take the new value.
 */
export interface SampleRecorder {
  add(metric: Metric, value: number, tags: TagSet): void;
  readonly tagSets: TagSetCache;
}
