import type { Aggregator } from './aggregator.js';
import { toExponential, type ExponentialHistogram } from './exponential.js';
import { UNITS_PER_MS } from './hdr.js';
import { TrendSink } from './sinks.js';
import type { MetricType, ValueType } from './metric.js';
import { parseMetricSelector } from './thresholds/index.js';

/** One aggregated series: a metric, narrowed by tags (empty tags = the whole metric). */
export interface SnapshotSeries {
  name: string;
  type: MetricType;
  contains: ValueType;
  /** Bounded-cardinality labels: route (name, method), scenario, check (group, check), error (status, error_code, error), or a threshold sub-metric's tags. */
  tags: Record<string, string>;
  /**
   * Which aggregate of the metric this is: 'total', 'submetric' (a threshold's sub-metric), or the
   * name of the breakdown the row belongs to ('route', 'scenario', 'check', ...: see the catalog).
   */
  view: string;
  /**
   * Cumulative since the start of the test. Counter: count. Gauge: value, min, max. Rate: rate,
   * passes, fails. Trend: count, sum, avg, min, max, med, p(90), p(95), p(99) (ms for time trends).
   */
  values: Record<string, number>;
  /**
   * Trends, when the snapshot was built with `exponentialSchema`: the distribution since the start
   * as exponential buckets (seconds for time trends), for Prometheus native histograms.
   */
  exponential?: ExponentialHistogram;
}

/**
 * The whole test's aggregates at one instant: what monitoring outputs (Prometheus, OTLP, InfluxDB)
 * and the dashboard export every second, instead of every raw sample.
 */
export interface MetricsSnapshot {
  /** Epoch ms of the snapshot. */
  timeMs: number;
  /** Ms since the test started. */
  elapsedMs: number;
  series: SnapshotSeries[];
}

/** Builds a snapshot of every aggregate (totals, threshold sub-metrics, breakdown rows). */
export function buildSnapshot(agg: Aggregator, timeMs: number, elapsedMs: number, opts: { exponentialSchema?: number | undefined } = {}): MetricsSnapshot {
  const series: SnapshotSeries[] = [];
  for (const part of ['total', 'sub', ...agg.breakdowns.map((b) => b.name)]) {
    for (const a of agg.list(part)) {
      let tags: Record<string, string> = {};
      if (part === 'sub') tags = parseMetricSelector(a.key).tags;
      else if (part !== 'total') tags = agg.rowTags(part, a.key) ?? {};
      const s = a.sink;
      let values: Record<string, number>;
      switch (s.type) {
        case 'counter':
          values = { count: s.get('count') ?? 0 };
          break;
        case 'gauge':
          values = { value: s.get('value') ?? 0, min: s.get('min') ?? 0, max: s.get('max') ?? 0 };
          break;
        case 'rate':
          values = { rate: s.get('rate') ?? 0, passes: s.get('passes') ?? 0, fails: s.get('fails') ?? 0 };
          break;
        case 'trend': {
          const count = s.get('count') ?? 0;
          const avg = s.get('avg') ?? 0;
          values = {
            count,
            sum: avg * count,
            avg,
            min: s.get('min') ?? 0,
            max: s.get('max') ?? 0,
            med: s.percentile(50) ?? 0,
            'p(90)': s.percentile(90) ?? 0,
            'p(95)': s.percentile(95) ?? 0,
            'p(99)': s.percentile(99) ?? 0,
          };
          break;
        }
      }
      const row: SnapshotSeries = { name: a.metric, type: a.type, contains: a.contains, tags, view: part === 'sub' ? 'submetric' : part, values };
      if (opts.exponentialSchema !== undefined && s instanceof TrendSink) {
        row.exponential = toExponential(s.hist, opts.exponentialSchema, a.contains === 'time' ? UNITS_PER_MS * 1000 : UNITS_PER_MS);
      }
      series.push(row);
    }
  }
  return { timeMs, elapsedMs, series };
}
