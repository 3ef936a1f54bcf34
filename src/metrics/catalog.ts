import type { Breakdown, TableSpec } from './breakdowns.js';
import type { MetricSpec } from './metric.js';

export type { TableSpec, TableColumn } from './breakdowns.js';

/**
 * The metric contract. Each module that records samples (the VU runtime; every protocol) declares
 * what it records and how readers should keep it, as plain data:
 *
 * - `metrics`: every metric it records (name, type, contains, k6 name);
 * - `breakdowns`: per-tag tables its metrics feed. A breakdown is defined once, with `by` (its tags)
 *   and `max` (its per-thread row cap); other modules may add their metrics to it by name alone
 *   (HTTP adds `http_reqs` to the VU runtime's per-scenario table);
 * - `series`: the per-second time-series columns it wants (`per-second` for counters, `rate` for
 *   rates, `trend` for p50/p90/p95/p99/max/avg, `level` for gauges of open things summed over workers);
 * - `headline`: the metrics the live progress line shows as throughput, latency (p95) and errors;
 * - `charts`: time charts of its columns for the dashboard and the HTML report (drawn generically,
 *   only when the run has data for them); a breakdown's `table`: how the text summary (and the
 *   report) show its rows. Readers name no protocol: what a module contributes is declared here.
 *
 * A module's time-series columns appear once one of them has a sample in the run (the VU runtime's,
 * `seriesFromStart`, from the first second): a plain HTTP run carries no LLM, SQL or browser column.
 *
 * `buildCatalog` merges the declarations into one `MetricCatalog`, which is structured-clone data:
 * the main thread builds it from the registered protocols and sends it to the workers.
 */
export interface MetricDeclarations {
  readonly name: string;
  readonly metrics: readonly MetricSpec[];
  readonly breakdowns?: readonly BreakdownSpec[];
  readonly series?: readonly SeriesSpec[];
  /** Columns from the run's first second even before this module records (the VU runtime's). Default false. */
  readonly seriesFromStart?: boolean;
  readonly headline?: Headline;
  readonly charts?: readonly TimeChart[];
}

export interface BreakdownSpec {
  readonly name: string;
  /** Metric names this module feeds into the breakdown. */
  readonly metrics: readonly string[];
  /** Only from the module that defines the breakdown. */
  readonly by?: readonly string[];
  readonly max?: number;
  /** Only from the module that defines the breakdown: a table of its rows in the summary. */
  readonly table?: TableSpec;
}

/**
 * A time chart of time-series columns (`TimeSeries.series` names: 'llm_reqs', 'x.p95'). Readers draw
 * it when at least one of its columns has a value in the run.
 */
export interface TimeChart {
  /** Stable id (anchors, DOM ids): 'chart-llm-latency'. */
  readonly id: string;
  readonly title: string;
  /** One line under the title: what the chart shows. */
  readonly caption: string;
  readonly series: readonly ChartLine[];
}

export interface ChartLine {
  readonly column: string;
  readonly label: string;
  /** 'ms', 'per-second' (counts per second), 'share' (0..1, shown as %), 'count'. */
  readonly unit: 'ms' | 'per-second' | 'share' | 'count';
  /** Right-hand axis. Default left. The lines on one axis share a unit. */
  readonly right?: boolean;
}

/**
 * 'per-second' (a counter's count per second), 'rate' (a rate's share), 'trend' (p50...avg), 'level'
 * (a gauge of how many things are open, e.g. calls in flight: each worker's last value at the end
 * of the second, carried over seconds with no change, summed over the workers; runners add up too).
 */
export type SeriesKind = 'per-second' | 'rate' | 'trend' | 'level';

export interface SeriesSpec {
  readonly metric: string;
  readonly as: SeriesKind;
  /**
   * Set by `buildCatalog`: the declaring module. Its columns appear together once one of them has a
   * sample (before that they would hold only 0 and null), then stay; absent: from the first second.
   */
  readonly module?: string;
}

/** Metric names shown live: throughput (per second), latency (its p95), error rate. */
export interface Headline {
  readonly throughput?: string;
  readonly latency?: string;
  readonly errors?: string;
}

export interface MetricCatalog {
  readonly metrics: readonly MetricSpec[];
  readonly breakdowns: readonly Breakdown[];
  readonly series: readonly SeriesSpec[];
  readonly headline: Headline;
  readonly charts: readonly TimeChart[];
}

/** Merges declarations (in order); a conflict between two of them is a bug, thrown as an Error. */
export function buildCatalog(decls: readonly MetricDeclarations[]): MetricCatalog {
  const metrics = new Map<string, MetricSpec>();
  const defined = new Map<string, { by: readonly string[]; max: number; metrics: string[]; table?: TableSpec }>();
  const additions: Array<{ from: string; spec: BreakdownSpec }> = [];
  const series = new Map<string, SeriesSpec>();
  let headline: Headline = {};
  const charts = new Map<string, TimeChart>();
  for (const d of decls) {
    for (const m of d.metrics) {
      const prev = metrics.get(m.name);
      if (prev && (prev.type !== m.type || prev.contains !== m.contains)) {
        throw new Error(`${d.name} declares metric "${m.name}" as a ${m.type} (${m.contains}); it is already a ${prev.type} (${prev.contains})`);
      }
      if (!prev) metrics.set(m.name, m);
    }
    for (const b of d.breakdowns ?? []) {
      if (b.by !== undefined) {
        if (defined.has(b.name)) throw new Error(`${d.name} defines breakdown "${b.name}" again`);
        defined.set(b.name, { by: b.by, max: b.max ?? 200, metrics: [], ...(b.table ? { table: b.table } : {}) });
      }
      additions.push({ from: d.name, spec: b });
    }
    for (const s of d.series ?? []) {
      if (!series.has(s.metric)) series.set(s.metric, d.seriesFromStart ? { metric: s.metric, as: s.as } : { metric: s.metric, as: s.as, module: d.name });
    }
    if (d.headline) headline = { ...headline, ...d.headline };
    for (const c of d.charts ?? []) {
      if (charts.has(c.id)) throw new Error(`${d.name} declares chart "${c.id}" again`);
      for (const side of [false, true]) {
        const units = new Set(c.series.filter((l) => Boolean(l.right) === side).map((l) => l.unit));
        if (units.size > 1) throw new Error(`chart "${c.id}" mixes units on its ${side ? 'right' : 'left'} axis: ${[...units].join(', ')}`);
      }
      charts.set(c.id, c);
    }
  }
  for (const { from, spec } of additions) {
    const b = defined.get(spec.name);
    if (!b) throw new Error(`${from} feeds breakdown "${spec.name}", which no module defines`);
    for (const m of spec.metrics) {
      if (!metrics.has(m)) throw new Error(`${from} feeds undeclared metric "${m}" into breakdown "${spec.name}"`);
      if (!b.metrics.includes(m)) b.metrics.push(m);
    }
  }
  for (const s of series.values()) {
    if (!metrics.has(s.metric)) throw new Error(`time series column for undeclared metric "${s.metric}"`);
  }
  for (const [name, b] of defined) {
    for (const c of b.table?.columns ?? []) {
      if (!b.metrics.includes(c.metric)) throw new Error(`table of breakdown "${name}" shows "${c.metric}", which does not feed it`);
    }
  }
  return {
    metrics: [...metrics.values()],
    breakdowns: [...defined].map(([name, b]) => ({ name, by: b.by, max: b.max, metrics: b.metrics, ...(b.table ? { table: b.table } : {}) })),
    series: [...series.values()],
    headline,
    charts: [...charts.values()],
  };
}
