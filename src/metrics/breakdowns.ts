/**
 * Breakdowns: besides its total, a sample is also aggregated under the values of a few tags, for the
 * summary's per-route, per-scenario, per-check and per-error tables. Each has a cardinality cap per
 * thread; samples past it go to the '(other)' row, so memory stays bounded with unbounded URLs.
 */
export interface Breakdown {
  readonly name: 'route' | 'scenario' | 'check' | 'error' | 'group';
  readonly metrics: readonly string[];
  readonly by: readonly string[];
  readonly max: number;
}

export const OTHER = '(other)';
/** Separator between tag values in a breakdown key. */
export const SEP = '\u0000';

export const BREAKDOWNS: readonly Breakdown[] = [
  { name: 'route', metrics: ['http_req_duration', 'http_req_failed', 'http_reqs'], by: ['name', 'method'], max: 200 },
  {
    name: 'scenario',
    metrics: ['iterations', 'iteration_duration', 'dropped_iterations', 'http_reqs', 'http_req_duration', 'http_req_failed'],
    by: ['scenario'],
    max: 100,
  },
  { name: 'check', metrics: ['checks'], by: ['group', 'check'], max: 2000 },
  { name: 'group', metrics: ['group_duration'], by: ['group'], max: 500 },
  { name: 'error', metrics: ['http_req_failed'], by: ['status', 'error_code'], max: 200 },
];
