import type { MetricSpec } from './metric.js';

/**
 * A sample group: metrics a protocol records together, in a fixed order, in one call
 * (`SampleRecorder.record`). HTTP's exchange is one (http_reqs, http_req_duration, the phases,
 * http_req_failed, data_sent, data_received...); a WebSocket session or a SQL query would be another.
 *
 * The caller owns one `Float64Array` of `metrics.length` slots per group (made once, reused for
 * every record: recording allocates nothing), writes each slot, and passes it with the tag set.
 * `NO_SAMPLE` (NaN) in a slot means "no sample of that metric this time" (e.g. http_req_failed
 * when no expected-status rule applies).
 *
 * Groups are declared at module load and identified by a dense id, process-wide, so a metric store
 * can cache the sinks of a (group, tag set) pair on the tag set (`TagSet.groups[id]`).
 */
export interface SampleGroup {
  readonly id: number;
  readonly name: string;
  readonly metrics: readonly MetricSpec[];
}

/** A slot value meaning: no sample of that metric in this record. */
export const NO_SAMPLE = NaN;

let nextGroupId = 0;

/** Declares a sample group (once, at module load). */
export function declareSampleGroup(name: string, metrics: readonly MetricSpec[]): SampleGroup {
  if (metrics.length === 0) throw new Error(`sample group "${name}" has no metrics`);
  const names = new Set(metrics.map((m) => m.name));
  if (names.size !== metrics.length) throw new Error(`sample group "${name}" lists a metric twice`);
  return Object.freeze({ id: nextGroupId++, name, metrics: Object.freeze([...metrics]) });
}

/** The slot of `metric` in `group` (for a protocol to name its slots once, at load). */
export function slotOf(group: SampleGroup, metric: string): number {
  const i = group.metrics.findIndex((m) => m.name === metric);
  if (i < 0) throw new Error(`sample group "${group.name}" has no metric "${metric}"`);
  return i;
}
