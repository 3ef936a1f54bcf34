import type { SampleGroup } from './group.js';
import type { Metric } from './metric.js';
import type { TagSet, TagSetCache } from './tags.js';

/**
 * Where samples go inside a worker. Implemented by the metric store; protocol modules and the VU
 * runtime only see this.
 *
 * Both calls are the hot path: they record straight into the (metric, tags) sinks and allocate
 * nothing. Values: trends and counters take the number itself (time in ms, data in bytes); rates
 * take 1 (true/pass) or 0 (false/fail); gauges take the new value.
 */
export interface SampleRecorder {
  add(metric: Metric, value: number, tags: TagSet): void;
  /**
   * Every sample of one group in one call: `values[i]` is the value of `group.metrics[i]`, NaN
   * (`NO_SAMPLE`) for none. The same samples, values and order as one `add` per slot.
   */
  record(group: SampleGroup, tags: TagSet, values: Float64Array): void;
  readonly tagSets: TagSetCache;
}
