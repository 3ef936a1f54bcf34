import type { Metric } from './metric.js';
import type { MetricRegistry } from './registry.js';

/** The built-in metrics, with k6's names, types and value kinds. */
export interface BuiltinMetrics {
  vus: Metric;
  vus_max: Metric;
  iterations: Metric;
  iteration_duration: Metric;
  dropped_iterations: Metric;
  iteration_start_lag: Metric;
  data_sent: Metric;
  data_received: Metric;
  checks: Metric;
  group_duration: Metric;
  http_reqs: Metric;
  http_req_duration: Metric;
  http_req_blocked: Metric;
  http_req_connecting: Metric;
  http_req_tls_handshaking: Metric;
  http_req_sending: Metric;
  http_req_waiting: Metric;
  http_req_receiving: Metric;
  http_req_failed: Metric;
  http_req_corrected_duration: Metric;
}

/** Defines the built-ins on a registry (idempotent) and returns them by name. */
export function defineBuiltinMetrics(r: MetricRegistry): BuiltinMetrics {
  return {
    vus: r.define('vus', 'gauge'),
    vus_max: r.define('vus_max', 'gauge'),
    iterations: r.define('iterations', 'counter'),
    iteration_duration: r.define('iteration_duration', 'trend', 'time'),
    dropped_iterations: r.define('dropped_iterations', 'counter'),
    iteration_start_lag: r.define('iteration_start_lag', 'trend', 'time'),
    data_sent: r.define('data_sent', 'counter', 'data'),
    data_received: r.define('data_received', 'counter', 'data'),
    checks: r.define('checks', 'rate'),
    group_duration: r.define('group_duration', 'trend', 'time'),
    http_reqs: r.define('http_reqs', 'counter'),
    http_req_duration: r.define('http_req_duration', 'trend', 'time'),
    http_req_blocked: r.define('http_req_blocked', 'trend', 'time'),
    http_req_connecting: r.define('http_req_connecting', 'trend', 'time'),
    http_req_tls_handshaking: r.define('http_req_tls_handshaking', 'trend', 'time'),
    http_req_sending: r.define('http_req_sending', 'trend', 'time'),
    http_req_waiting: r.define('http_req_waiting', 'trend', 'time'),
    http_req_receiving: r.define('http_req_receiving', 'trend', 'time'),
    http_req_failed: r.define('http_req_failed', 'rate'),
    http_req_corrected_duration: r.define('http_req_corrected_duration', 'trend', 'time'),
  };
}
