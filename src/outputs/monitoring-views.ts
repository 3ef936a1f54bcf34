/**
 * Which part of the aggregates a snapshot series belongs to, and the metric name it is exported
 * under by the monitoring outputs.
 *
 * A snapshot holds, for one metric, several overlapping views of the same samples: the total, the
 * threshold sub-metrics (`http_req_duration{expected_response:true}`) and the breakdown rows (per
 * route, scenario, check, group, error). Each view on its own covers every sample once, but
 * together they count each sample several times. Dashboards sum across all series of a name
 * (`sum(rate(k6_http_reqs_total[1m]))`), so each view gets its own name:
 *
 * | view      | name (before prefix and stat suffix) | labels                |
 * | --------- | ------------------------------------ | --------------------- |
 * | total     | `http_reqs`                          | none                  |
 * | submetric | `submetric_http_reqs`                | the sub-metric's tags |
 * | route     | `by_route_http_reqs`                 | name, method          |
 * | scenario  | `by_scenario_http_reqs`              | scenario              |
 * | check     | `by_check_checks`                    | group, check          |
 * | group     | `by_group_group_duration`            | group                 |
 * | error     | `by_error_http_req_failed`           | status, error_code    |
 *
 * The total keeps k6's metric name, so k6 dashboards show the whole test's exact values.
 */
import type { MetricsSnapshot } from '../metrics/snapshot.js';

/** The part of the aggregates a series belongs to: 'total', 'submetric' or a breakdown's name. */
export type SeriesView = string;

/** The exported base name of a metric's series in a view (before any prefix or stat suffix). */
export function viewBaseName(view: SeriesView, metric: string): string {
  if (view === 'total') return metric;
  if (view === 'submetric') return `submetric_${metric}`;
  return `by_${view}_${metric}`;
}

/**
 * The view of each series of the snapshot, by index: each series says which aggregate it is
 * ('total', 'submetric', or its breakdown's name, as the metric catalog declares it).
 */
export function seriesViews(snapshot: MetricsSnapshot): SeriesView[] {
  return snapshot.series.map((s) => s.view);
}
