import type { BuiltinMetrics } from './builtin.js';
import type { Metric } from './metric.js';
import type { TagSet, TagSetCache } from './tags.js';

/** The timing phases of one HTTP exchange, ms (the shape of the http module's `Timings`). */
export interface HttpPhases {
  readonly blocked: number;
  readonly connecting: number;
  readonly tls_handshaking: number;
  readonly sending: number;
  readonly waiting: number;
  readonly receiving: number;
  readonly duration: number;
}

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
  /**
   * Optional: every sample of one HTTP exchange in one call, in this order (the same samples,
   * values and order as the equivalent `add` calls): http_reqs 1, http_req_duration,
   * http_req_blocked, _connecting, _tls_handshaking, _sending, _waiting, _receiving,
   * http_req_failed `failed` (skipped when -1), http_req_corrected_duration duration + `lagMs`
   * (skipped when undefined), data_sent `sent`, data_received `received`. Callers fall back to
   * `add` when a recorder lacks it.
   */
  recordHttp?(m: BuiltinMetrics, tags: TagSet, t: HttpPhases, failed: number, lagMs: number | undefined, sent: number, received: number): void;
  readonly tagSets: TagSetCache;
}
