/**
 * The tag set k6's Grafana dashboards group and filter HTTP series by (`name`, `method`, `status`,
 * `expected_response`, `scenario`). k6 exports a series per tag set of every sample; Volley keeps
 * its totals untagged and, with `k6Tags=true`, aggregates this one bounded table (at most `max`
 * rows per thread, the rest in an '(other)' row without tags) and exports its rows under k6's own
 * names: `sum(k6_http_reqs_total)` is still the whole test, and `k6_http_reqs_total{expected_response="false"}`,
 * `sum by (name, method, status) (…)` fill the panels that filter on them.
 */
import type { Breakdown } from '../../metrics/breakdowns.js';

/** The view name of the rows (SnapshotSeries.view). */
export const K6_TAGS_VIEW = 'k6';

export const K6_TAGS_BREAKDOWN: Breakdown = {
  name: K6_TAGS_VIEW,
  by: ['name', 'method', 'status', 'expected_response', 'scenario'],
  max: 100,
  metrics: ['http_reqs', 'http_req_duration', 'http_req_failed'],
};
