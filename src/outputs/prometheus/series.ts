/**
 * Metrics snapshot → Prometheus series, named as k6's remote-write output names them
 * (grafana/xk6-output-prometheus-remote, `experimental-prometheus-rw`), so k6's Grafana dashboards
 * read them:
 *
 * | k6 type | Prometheus series                         | value                                  |
 * | ------- | ----------------------------------------- | -------------------------------------- |
 * | Counter | `k6_<name>_total` (counter)               | count since the start                  |
 * | Gauge   | `k6_<name>` (gauge)                       | last value                             |
 * | Rate    | `k6_<name>_rate` (gauge)                  | passes / (passes + fails), 0..1        |
 * | Trend   | `k6_<name>_<stat>` (gauge) per trend stat | p99, p95, p90, med, avg, min, max, count |
 *
 * Time trends are in seconds (Prometheus' base unit; k6 divides by 1000 too), except `_count`,
 * which stays a count (k6 divides it as well, a bug we do not copy). Breakdowns and sub-metrics
 * get their own names (see monitoring-views.ts): `k6_by_route_http_req_duration_p95{name,method}`.
 */
import type { ExponentialHistogram } from '../../metrics/exponential.js';
import type { MetricsSnapshot, SnapshotSeries } from '../../metrics/snapshot.js';
import { trendStatSuffix, type TrendStat } from '../monitoring-options.js';
import { viewBaseName, type SeriesView } from '../monitoring-views.js';
import { K6_TAGS_VIEW } from './k6-tags.js';

/** One Prometheus series with its current value. */
export interface PromSeries {
  /** Metric name (`__name__`). */
  name: string;
  /** Labels without `__name__`, sorted by name, no empty values. */
  labels: Array<[string, string]>;
  value: number;
  /** For `# TYPE` in the exposition format. */
  type: 'counter' | 'gauge';
  /** For `# HELP`. */
  help: string;
}

/** How series are named and labelled. */
export interface PromNaming {
  /** Prepended to every name (sanitized). Default 'k6_'. */
  prefix: string;
  trendStats: readonly TrendStat[];
  /** Added as label `testid` when set. */
  testid?: string | undefined;
  /** Static labels; series tags win over them. */
  labels: Readonly<Record<string, string>>;
  /** Rows of the k6 tag set (k6-tags.ts) exported under k6's names, in place of those metrics' untagged totals. */
  k6Tags?: boolean | undefined;
}

/**
 * The name a series is exported under, or undefined to skip it: with `k6Tags`, the k6 tag rows take
 * the metric's own name and replace its total (the rows cover every sample once).
 */
function exportedBase(s: SnapshotSeries, view: SeriesView, naming: PromNaming, tagged: ReadonlySet<string>): string | undefined {
  if (naming.k6Tags) {
    if (view === K6_TAGS_VIEW) return s.name;
    if (view === 'total' && tagged.has(s.name)) return undefined;
  }
  return viewBaseName(view, s.name);
}

function taggedMetrics(snapshot: MetricsSnapshot, views: readonly SeriesView[], naming: PromNaming): Set<string> {
  const out = new Set<string>();
  if (naming.k6Tags) snapshot.series.forEach((s, i) => views[i] === K6_TAGS_VIEW && out.add(s.name));
  return out;
}

/** A metric or label name reduced to Prometheus' alphabet: [a-zA-Z_][a-zA-Z0-9_]*. */
export function sanitizeName(s: string): string {
  const r = s.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(r) || r === '' ? `_${r}` : r;
}

/** A label name: sanitized, and never one of the reserved `__` names. */
export function sanitizeLabelName(s: string): string {
  const r = sanitizeName(s);
  return r.startsWith('__') ? `tag${r}` : r;
}

const VIEW_HELP: Record<SeriesView, string> = {
  total: '',
  submetric: ', threshold sub-metric',
  route: ', per route (name, method)',
  scenario: ', per scenario',
  check: ', per check (group, check)',
  group: ', per group',
  error: ', per error (status, error_code)',
  [K6_TAGS_VIEW]: ', per k6 tag set (name, method, status, expected_response, scenario)',
};

/** The sanitized name prefix and the labels every series carries (`labels`, `testid`). */
function namePrefixAndLabels(naming: PromNaming): { prefix: string; base: Record<string, string> } {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(naming.labels)) base[sanitizeLabelName(k)] = v;
  if (naming.testid) base.testid = naming.testid;
  return { prefix: naming.prefix === '' ? '' : sanitizeName(naming.prefix), base };
}

/**
 * The series of a snapshot, in snapshot order (the stats of a trend in `trendStats` order).
 * `views[i]` is the view of `snapshot.series[i]` (seriesViews). Series that would repeat a
 * name and label set already produced (only possible after sanitizing) are skipped.
 */
export function promSeries(snapshot: MetricsSnapshot, views: readonly SeriesView[], naming: PromNaming): PromSeries[] {
  const out: PromSeries[] = [];
  const seen = new Set<string>();
  const { prefix, base } = namePrefixAndLabels(naming);
  const tagged = taggedMetrics(snapshot, views, naming);
  for (let i = 0; i < snapshot.series.length; i++) {
    const s = snapshot.series[i]!;
    const view = views[i] ?? 'submetric';
    const exported = exportedBase(s, view, naming, tagged);
    if (exported === undefined) continue;
    const name = prefix + sanitizeName(exported);
    const labels = labelsOf(base, s);
    const labelKey = labels.map(([k, v]) => `${k}\u0001${v}`).join('\u0000');
    const add = (n: string, value: number, type: PromSeries['type'], help: string): void => {
      const key = `${n}\u0000${labelKey}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ name: n, labels, value, type, help: `${help}${VIEW_HELP[view] ?? ''}` });
    };
    const v = s.values;
    switch (s.type) {
      case 'counter':
        add(`${name}_total`, v.count ?? 0, 'counter', `Volley counter ${s.name}: total since the start of the test`);
        break;
      case 'gauge':
        add(name, v.value ?? 0, 'gauge', `Volley gauge ${s.name}: last value`);
        break;
      case 'rate':
        add(`${name}_rate`, v.rate ?? 0, 'gauge', `Volley rate ${s.name}: share of non-zero samples since the start of the test (0..1)`);
        break;
      case 'trend': {
        const seconds = s.contains === 'time';
        for (const stat of naming.trendStats) {
          let value = v[stat] ?? 0;
          // ms → s; rounded to the picosecond so that 1.499 ms prints as 0.001499, not 0.0014990000000000001.
          if (seconds && stat !== 'count') value = Math.round(value * 1e9) / 1e12;
          const unit = stat === 'count' ? 'samples' : seconds ? 'seconds' : s.contains === 'data' ? 'bytes' : 'value';
          add(`${name}_${trendStatSuffix(stat)}`, value, 'gauge', `Volley trend ${s.name}: ${stat} since the start of the test (${unit})`);
        }
        break;
      }
    }
  }
  return out;
}

/** One Prometheus native histogram series (cumulative since the start of the test). */
export interface PromHistogram {
  name: string;
  labels: Array<[string, string]>;
  count: number;
  /** Sum of the values, in the series' unit (seconds for time trends). */
  sum: number;
  buckets: ExponentialHistogram;
}

/**
 * Trends as native histograms (`trendAsNativeHistogram`, as k6's remote-write output names the
 * option), named as k6 names them: `k6_<name>_seconds` for time trends, `k6_<name>` for others;
 * breakdown views keep their own names (`k6_by_route_http_req_duration_seconds{name,method}`).
 * Series without buckets in the snapshot are skipped.
 */
export function promHistograms(snapshot: MetricsSnapshot, views: readonly SeriesView[], naming: PromNaming): PromHistogram[] {
  const out: PromHistogram[] = [];
  const seen = new Set<string>();
  const { prefix, base } = namePrefixAndLabels(naming);
  const tagged = taggedMetrics(snapshot, views, naming);
  for (let i = 0; i < snapshot.series.length; i++) {
    const s = snapshot.series[i]!;
    if (s.type !== 'trend' || !s.exponential) continue;
    const exported = exportedBase(s, views[i] ?? 'submetric', naming, tagged);
    if (exported === undefined) continue;
    const time = s.contains === 'time';
    const name = prefix + sanitizeName(exported) + (time ? '_seconds' : '');
    const labels = labelsOf(base, s);
    const key = `${name}\u0000${labels.map(([k, v]) => `${k}\u0001${v}`).join('\u0000')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const sum = s.values.sum ?? 0;
    out.push({ name, labels, count: s.values.count ?? 0, sum: time ? sum / 1000 : sum, buckets: s.exponential });
  }
  return out;
}

function labelsOf(base: Readonly<Record<string, string>>, s: SnapshotSeries): Array<[string, string]> {
  const m: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(s.tags)) m[sanitizeLabelName(k)] = v;
  const labels: Array<[string, string]> = [];
  for (const k of Object.keys(m).sort()) {
    const v = m[k]!;
    if (v !== '') labels.push([k, v]);
  }
  return labels;
}
