/**
 * The data the report's charts draw, prepared on the server side so the page's script only hands
 * it to uPlot: which charts exist (only those with data), their series in display units, the
 * analysis' time ranges to shade, and the latency histogram re-binned on a log scale.
 *
 * Size: at most MAX_CHART_POINTS points per series, values rounded to 4 significant digits, times
 * as second offsets. A 24-hour run at one point per second (86,400) is downsampled here the way
 * the engine does (`TimeSeriesBuilder.toJSON`): tail latencies keep their maxima, the rest average.
 */
import type { SummaryData, TimeSeries } from '../summary/types.js';
import type { ChartLine } from '../metrics/catalog.js';
import { ANCHORS, type Finding } from './findings.js';
import { downsample, valuesIn } from './series-stats.js';

/** Points per series in the page at most (the engine exports at most 4,000 too). */
export const MAX_CHART_POINTS = 4000;
/** Bars of the latency histogram at most. */
export const MAX_HISTOGRAM_BINS = 48;

/** How the page formats a series' values. */
export type ChartUnit = 'ms' | 'pct' | 'rate' | 'bytes' | 'size' | 'cores' | 'count';

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  unit: ChartUnit;
  color: string;
  /** 'y' (left axis) or 'y2' (right axis). */
  scale: 'y' | 'y2';
  values: (number | null)[];
  /** Drawn as a filled area. */
  fill?: boolean;
  /** Hidden until toggled in the legend. */
  hidden?: boolean;
}

/** One time chart: its anchor id, title, and series. */
export interface ChartSpec {
  id: string;
  title: string;
  /** What the chart shows, one line under the title. */
  caption: string;
  series: ChartSeries[];
}

/** A shaded time range on a chart, from a finding. */
export interface ChartMark {
  chart: string;
  /** Epoch seconds. */
  from: number;
  to: number;
  label: string;
  severity: Finding['severity'];
}

/** Everything the page's script draws. */
export interface ChartData {
  /** Epoch seconds of the first point; `dt` are offsets from it, in seconds. */
  t0: number;
  dt: number[];
  /** Bucket width after downsampling, ms. */
  intervalMs: number;
  charts: ChartSpec[];
  marks: ChartMark[];
  histogram: { bounds: number[]; counts: number[] } | undefined;
}

/** 4 significant digits: enough for a chart, and short in JSON. */
function compact(v: number | null | undefined, scale = 1): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const x = v * scale;
  return x === 0 ? 0 : Number(x.toPrecision(4));
}

/** Series kept at their maximum when downsampled (tails and peaks must not be averaged away). */
function keepsMax(name: string): boolean {
  return /\.(p9\d|max)$/.test(name) || name === 'volley_cpu';
}

/**
 * How a monitored series (`monitor_<name>`, see src/monitors/) is shown: `*_bytes` is a size,
 * `*_bytes_total` bytes per second, a CPU seconds counter (its rate per second) cores in use, any
 * other `*_total` a rate per second, the rest plain numbers. Labels are folded into the name after
 * the series' own, hence `_bytes_` as well as a trailing `_bytes`. (The dashboard's page script
 * applies the same rules.)
 */
export function monitorUnit(column: string): ChartUnit {
  if (/_bytes_total(_|$)/.test(column)) return 'bytes';
  if (/_bytes(_|$)/.test(column)) return 'size';
  if (/cpu.*_seconds_total(_|$)/.test(column)) return 'cores';
  if (/_total(_|$)/.test(column)) return 'rate';
  return 'count';
}

/** Colours of the monitored series, in order. */
const MONITOR_COLORS = ['#0f766e', '#b45309', '#7c3aed', '#be123c', '#0369a1', '#4d7c0f', '#a21caf', '#475569'];
/** Units in the order they claim the chart's two axes: memory first, then CPU. */
const MONITOR_UNIT_ORDER: ChartUnit[] = ['size', 'cores', 'bytes', 'rate', 'count'];

/**
 * The monitored series of the time series as one chart's parts: the first unit present (in
 * MONITOR_UNIT_ORDER) on the left axis, the second on the right; series of a third unit or more go
 * on the right axis hidden until toggled (their legend values keep their own unit).
 */
function monitorParts(names: readonly string[]): Array<Omit<ChartSeries, 'values'> & { name: string }> {
  const cols = names.filter((n) => n.startsWith('monitor_')).sort();
  const units = MONITOR_UNIT_ORDER.filter((u) => cols.some((c) => monitorUnit(c) === u));
  const ordered = units.flatMap((u) => cols.filter((c) => monitorUnit(c) === u));
  return ordered.map((name, i) => {
    const unit = monitorUnit(name);
    const axis = units.indexOf(unit);
    return { name, label: name.slice('monitor_'.length), unit, color: MONITOR_COLORS[i % MONITOR_COLORS.length]!, scale: axis === 0 ? 'y' : 'y2', ...(axis > 1 ? { hidden: true } : {}) };
  });
}

/** Units of the lines of a declared chart (metrics/catalog.ts `ChartLine`), as the page formats them. */
const LINE_UNITS: Record<ChartLine['unit'], ChartUnit> = { ms: 'ms', 'per-second': 'rate', share: 'pct', count: 'count' };
/** Colours of a declared chart's lines, in order. */
const DECLARED_COLORS = ['#0ea5e9', '#f59e0b', '#7c3aed', '#dc2626', '#0d9488', '#64748b'];

/** Short labels of the finding kinds shaded on charts. */
const MARK_LABELS: Partial<Record<Finding['kind'], string>> = {
  'latency-breakaway': 'latency broke away',
  'errors-breakaway': 'errors broke away',
  saturation: 'saturation',
  'throughput-plateau': 'throughput plateau',
  'generator-limit': 'generator busy',
};

/** Builds the chart data of a run; `findings` with a time range become shaded marks. */
export function buildChartData(data: SummaryData, findings: readonly Finding[]): ChartData {
  const ts: TimeSeries = data.volley?.timeSeries ?? { intervalMs: 1000, t: [], series: {} };
  const n = ts.t.length;
  const factor = Math.max(1, Math.ceil(n / MAX_CHART_POINTS));
  const pick = (name: string): (number | null)[] | undefined => {
    const s = ts.series?.[name];
    if (!s || valuesIn(s).length === 0) return undefined;
    return downsample(s, factor, keepsMax(name));
  };
  const t0 = (ts.t[0] ?? 0) / 1000;
  // Bucket starts, not averages: the first time of each merged group.
  const dt = Array.from({ length: Math.ceil(n / factor) }, (_, i) => Math.round((ts.t[i * factor]! - (ts.t[0] ?? 0)) / 1000));
  const charts: ChartSpec[] = [];
  const add = (spec: Omit<ChartSpec, 'series'>, parts: Array<Omit<ChartSeries, 'values'> & { name: string; scaleBy?: number }>) => {
    const series: ChartSeries[] = [];
    for (const p of parts) {
      const raw = pick(p.name);
      if (!raw) continue;
      const { name: _n, scaleBy, ...rest } = p;
      series.push({ ...rest, values: raw.map((v) => compact(v, scaleBy)) });
    }
    if (series.length > 0) charts.push({ ...spec, series });
  };
  const dropped = ts.series?.dropped_iterations;
  add({ id: ANCHORS.load, title: 'Load', caption: 'Active VUs and requests per second' }, [
    { name: 'vus', label: 'VUs', unit: 'count', color: '#94a3b8', scale: 'y', fill: true },
    { name: 'http_reqs', label: 'requests/s', unit: 'rate', color: '#2563eb', scale: 'y2' },
    { name: 'iterations', label: 'iterations/s', unit: 'rate', color: '#0d9488', scale: 'y2', hidden: true },
    ...(dropped && dropped.some((v) => (v ?? 0) > 0) ? [{ name: 'dropped_iterations', label: 'dropped iterations/s', unit: 'rate' as const, color: '#7c3aed', scale: 'y2' as const }] : []),
  ]);
  add({ id: ANCHORS.latency, title: 'Latency', caption: 'http_req_duration percentiles per interval' }, [
    { name: 'http_req_duration.p50', label: 'p50', unit: 'ms', color: '#0ea5e9', scale: 'y' },
    { name: 'http_req_duration.p90', label: 'p90', unit: 'ms', color: '#6366f1', scale: 'y', hidden: true },
    { name: 'http_req_duration.p95', label: 'p95', unit: 'ms', color: '#f59e0b', scale: 'y' },
    { name: 'http_req_duration.p99', label: 'p99', unit: 'ms', color: '#ef4444', scale: 'y' },
    { name: 'http_req_duration.max', label: 'max', unit: 'ms', color: '#94a3b8', scale: 'y', hidden: true },
  ]);
  add({ id: ANCHORS.errors, title: 'Errors', caption: 'Failed requests and failed checks, % per interval' }, [
    { name: 'http_req_failed', label: 'failed requests', unit: 'pct', color: '#dc2626', scale: 'y', scaleBy: 100, fill: true },
  ]);
  // Checks as the failing share, so that "up" is bad on the whole chart.
  const checks = pick('checks');
  const errChart = charts.find((c) => c.id === ANCHORS.errors);
  if (checks) {
    const s: ChartSeries = { label: 'failed checks', unit: 'pct', color: '#f97316', scale: 'y', values: checks.map((v) => (v === null ? null : compact(1 - v, 100))) };
    if (errChart) errChart.series.push(s);
    else charts.push({ id: ANCHORS.errors, title: 'Errors', caption: 'Failed requests and failed checks, % per interval', series: [s] });
  }
  add({ id: ANCHORS.data, title: 'Data', caption: 'Bytes per second received and sent' }, [
    { name: 'data_received', label: 'received', unit: 'bytes', color: '#0891b2', scale: 'y', fill: true },
    { name: 'data_sent', label: 'sent', unit: 'bytes', color: '#a855f7', scale: 'y' },
  ]);
  add({ id: ANCHORS.generator, title: 'Load generator', caption: "Volley's own event-loop delay and CPU (per worker, max)" }, [
    { name: 'volley_event_loop_delay.p99', label: 'event-loop delay p99', unit: 'ms', color: '#d97706', scale: 'y' },
    { name: 'volley_cpu', label: 'CPU % of a core', unit: 'pct', color: '#64748b', scale: 'y2' },
  ]);
  // Charts the protocols declare (LLM latency and throughput, SSE, WebSocket), those the run has data for.
  for (const c of data.volley?.charts ?? []) {
    add({ id: c.id, title: c.title, caption: c.caption }, c.series.map((l, i) => ({
      name: l.column,
      label: l.label,
      unit: LINE_UNITS[l.unit],
      color: DECLARED_COLORS[i % DECLARED_COLORS.length]!,
      scale: l.right ? 'y2' : 'y',
      ...(l.unit === 'share' ? { scaleBy: 100 } : {}),
    })));
  }
  // The system under test's own metrics (options.monitors), when it was monitored.
  add({ id: ANCHORS.monitors, title: 'System under test', caption: 'Its own metrics, scraped from its Prometheus endpoint every second' }, monitorParts(Object.keys(ts.series ?? {})));
  const ids = new Set(charts.map((c) => c.id));
  const marks: ChartMark[] = findings
    .filter((f) => f.range && ids.has(f.anchor))
    .map((f) => ({ chart: f.anchor, from: f.range!.from / 1000, to: f.range!.to / 1000, label: MARK_LABELS[f.kind] ?? f.kind, severity: f.severity }));
  // Fault windows and spikes on every time chart, with the recovery measured after each.
  const start = data.volley?.startTime ? Date.parse(data.volley.startTime) : NaN;
  for (const w of Number.isFinite(start) ? (data.volley?.windows ?? []) : []) {
    const after = w.recoveryMs === undefined ? '' : w.recovered ? ` · recovered in ${Math.round(w.recoveryMs / 1000)} s` : ' · not recovered';
    const label = `${w.kind === 'fault' ? 'fault ' : ''}${w.name}${after}`;
    for (const c of charts) if (c.id !== ANCHORS.generator) marks.push({ chart: c.id, from: (start + w.startMs) / 1000, to: (start + w.endMs) / 1000, label, severity: w.kind === 'fault' ? 'warning' : 'info' });
  }
  return { t0, dt, intervalMs: (ts.intervalMs || 1000) * factor, charts, marks, histogram: rebinHistogram(data.volley?.histogram?.buckets ?? []) };
}

/**
 * Re-bins the latency histogram ([upper bound ms, count] pairs, HDR's fine buckets) into at most
 * MAX_HISTOGRAM_BINS log-spaced bins between the smallest and the largest bound, so bars stay
 * readable for any range. `bounds[i]` is the upper bound of bin i; empty bins are kept (gaps are
 * information). Undefined without data.
 */
export function rebinHistogram(buckets: ReadonlyArray<readonly [number, number]>): { bounds: number[]; counts: number[] } | undefined {
  const valid = buckets.filter(([ub, c]) => Number.isFinite(ub) && ub > 0 && c > 0);
  if (valid.length === 0) return undefined;
  const lo = Math.min(...valid.map(([ub]) => ub));
  const hi = Math.max(...valid.map(([ub]) => ub));
  if (valid.length <= MAX_HISTOGRAM_BINS || hi / lo < 1.0001) {
    const sorted = [...valid].sort((a, b) => a[0] - b[0]);
    return { bounds: sorted.map(([ub]) => compact(ub)!), counts: sorted.map(([, c]) => c) };
  }
  const bins = MAX_HISTOGRAM_BINS;
  const step = Math.log(hi / lo) / (bins - 1);
  const bounds = Array.from({ length: bins }, (_, i) => compact(lo * Math.exp(step * i))!);
  bounds[bins - 1] = compact(hi)!;
  const counts = new Array<number>(bins).fill(0);
  for (const [ub, c] of valid) {
    const i = Math.min(bins - 1, Math.max(0, Math.ceil(Math.log(ub / lo) / step - 1e-9)));
    counts[i]! += c;
  }
  return { bounds, counts };
}
