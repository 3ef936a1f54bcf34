import type { MetricDeclarations } from '../metrics/catalog.js';
import type { Metric, MetricSpec } from '../metrics/metric.js';
import type { MetricRegistry } from '../metrics/registry.js';

/**
 * The metrics of the VU runtime itself (k6's built-ins that belong to no protocol): VUs,
 * iterations, checks, groups, and the data counters every protocol feeds.
 */
export const CORE_METRICS = {
  vus: { name: 'vus', type: 'gauge', contains: 'default', k6: 'vus' },
  vus_max: { name: 'vus_max', type: 'gauge', contains: 'default', k6: 'vus_max' },
  iterations: { name: 'iterations', type: 'counter', contains: 'default', k6: 'iterations' },
  iteration_duration: { name: 'iteration_duration', type: 'trend', contains: 'time', k6: 'iteration_duration' },
  dropped_iterations: { name: 'dropped_iterations', type: 'counter', contains: 'default', k6: 'dropped_iterations' },
  iteration_start_lag: { name: 'iteration_start_lag', type: 'trend', contains: 'time' },
  data_sent: { name: 'data_sent', type: 'counter', contains: 'data', k6: 'data_sent' },
  data_received: { name: 'data_received', type: 'counter', contains: 'data', k6: 'data_received' },
  checks: { name: 'checks', type: 'rate', contains: 'default', k6: 'checks' },
  group_duration: { name: 'group_duration', type: 'trend', contains: 'time', k6: 'group_duration' },
} as const satisfies Record<string, MetricSpec>;

export type CoreMetrics = { readonly [K in keyof typeof CORE_METRICS]: Metric };

/** Defines the core metrics on a registry (idempotent) and returns them by name. */
export function defineCoreMetrics(r: MetricRegistry): CoreMetrics {
  const out = {} as Record<keyof typeof CORE_METRICS, Metric>;
  for (const k of Object.keys(CORE_METRICS) as Array<keyof typeof CORE_METRICS>) out[k] = r.declare(CORE_METRICS[k]);
  return out;
}

/** What the VU runtime records, and how readers keep it (see metrics/catalog.ts). */
export const CORE_DECLARATIONS: MetricDeclarations = {
  name: 'vu',
  metrics: Object.values(CORE_METRICS),
  breakdowns: [
    { name: 'scenario', by: ['scenario'], max: 100, metrics: ['iterations', 'iteration_duration', 'dropped_iterations'] },
    { name: 'check', by: ['group', 'check'], max: 2000, metrics: ['checks'] },
    { name: 'group', by: ['group'], max: 500, metrics: ['group_duration'] },
  ],
  series: [
    { metric: 'iterations', as: 'per-second' },
    { metric: 'data_received', as: 'per-second' },
    { metric: 'data_sent', as: 'per-second' },
    { metric: 'dropped_iterations', as: 'per-second' },
    { metric: 'checks', as: 'rate' },
  ],
  // Every run iterates: these columns are there from the first second (the other modules' appear once they record).
  seriesFromStart: true,
};
