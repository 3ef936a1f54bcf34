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
import { BREAKDOWNS, type Breakdown } from '../metrics/breakdowns.js';
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import { scanSelector } from '../metrics/thresholds/selector.js';

/** The part of the aggregates a series belongs to. */
export type SeriesView = 'total' | 'submetric' | Breakdown['name'];

/** The exported base name of a metric's series in a view (before any prefix or stat suffix). */
export function viewBaseName(view: SeriesView, metric: string): string {
  if (view === 'total') return metric;
  if (view === 'submetric') return `submetric_${metric}`;
  return `by_${view}_${metric}`;
}

/** `name` + tags sorted by key: equal for equal series. */
function seriesKey(metric: string, tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  let k = metric;
  for (const t of keys) k += `\u0000${t}\u0001${tags[t]}`;
  return k;
}

/**
 * Classifies snapshot series by view. The snapshot does not say which part a series came from,
 * so this works it out from the run's thresholds (which define the sub-metrics) and the breakdown
 * table (which metrics each breakdown covers, and by which tags):
 *
 * - no tags: the total;
 * - the first series equal to a threshold sub-metric: that sub-metric (a breakdown row with the
 *   very same tags may follow it; it is the second one);
 * - tags all among a breakdown's tags, for a metric the breakdown covers: that breakdown's row
 *   (rows omit empty tag values, e.g. a check in the root group has no `group`);
 * - anything else: a sub-metric.
 */
export class ViewClassifier {
  private readonly subKeys = new Set<string>();

  /** `thresholds`: the run's thresholds (only the keys are read). */
  constructor(thresholds?: Readonly<Record<string, unknown>>) {
    for (const key of Object.keys(thresholds ?? {})) {
      const sel = scanSelector(key);
      if (typeof sel === 'string' || Object.keys(sel.tags).length === 0) continue;
      this.subKeys.add(seriesKey(sel.metric, sel.tags));
    }
  }

  /** The view of each series of the snapshot, by index. */
  classify(snapshot: MetricsSnapshot): SeriesView[] {
    const out: SeriesView[] = new Array(snapshot.series.length);
    const seenSub = new Set<string>();
    for (let i = 0; i < snapshot.series.length; i++) {
      const s = snapshot.series[i]!;
      const tagNames = Object.keys(s.tags);
      if (tagNames.length === 0) {
        out[i] = 'total';
        continue;
      }
      if (this.subKeys.size > 0) {
        const key = seriesKey(s.name, s.tags);
        if (this.subKeys.has(key) && !seenSub.has(key)) {
          seenSub.add(key);
          out[i] = 'submetric';
          continue;
        }
      }
      out[i] = breakdownOf(s.name, tagNames) ?? 'submetric';
    }
    return out;
  }
}

function breakdownOf(metric: string, tagNames: readonly string[]): Breakdown['name'] | undefined {
  for (const b of BREAKDOWNS) {
    if (b.metrics.includes(metric) && tagNames.every((t) => b.by.includes(t))) return b.name;
  }
  return undefined;
}
