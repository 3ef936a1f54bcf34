/**
 * The tables protocols declare over their breakdowns (`volley.tables`, e.g. LLM ROUTES), as text
 * cells for every reader (the text summary, the HTML report): rows busiest first (by the first
 * column), values formatted by their metric's type. Pure: summary data in, strings out.
 */
import { humanizeCount, humanizeDuration, humanizePercent, humanizeValue, type TimeUnit } from './format.js';
import type { MetricType, ValueType } from '../metrics/metric.js';
import type { SnapshotSeries } from '../metrics/snapshot.js';
import type { BreakdownRow, SummaryTable } from './types.js';

export interface TableCells {
  /** Each row's name: its tag values (the breakdown's `by`, empty ones left out) joined by ' '. */
  names: string[];
  /** One string per column; '-' where there is no value (a trend with no sample). */
  cells: string[][];
  /** Rows the table has beyond those given (cut at `max`). */
  more: number;
}

/**
 * What a table reads: the metrics' types and the breakdown rows. A `SummaryData` is one; the live
 * dashboard builds one from the snapshot each second.
 */
export interface TableSource {
  metrics?: Record<string, { type: MetricType; contains: ValueType }>;
  volley?: { breakdowns?: Record<string, BreakdownRow[]> | undefined };
}

/** The cells of `table` from `data` (at most `max` rows). */
export function tableCells(data: TableSource, table: Pick<SummaryTable, 'breakdown' | 'by' | 'columns'>, max = Infinity, timeUnit?: TimeUnit): TableCells {
  const rows = [...(data.volley?.breakdowns?.[table.breakdown] ?? [])];
  const first = table.columns[0];
  const val = (r: BreakdownRow, metric: string, stat: string): number | undefined => r.metrics[metric]?.[stat];
  if (first) rows.sort((a, b) => (val(b, first.metric, first.stat) ?? 0) - (val(a, first.metric, first.stat) ?? 0));
  const shown = rows.slice(0, max);
  const cells = shown.map((r) =>
    table.columns.map((c) => {
      const v = val(r, c.metric, c.stat);
      const meta = data.metrics?.[c.metric];
      if (v === undefined || !Number.isFinite(v) || !meta) return '-';
      // A trend row without samples (no token yet) holds zeros, not measurements.
      if (meta.type === 'trend' && (r.metrics[c.metric]?.count ?? 0) === 0) return '-';
      if (meta.type === 'rate' && c.stat === 'rate') return humanizePercent(v);
      if (meta.type === 'counter' || c.stat === 'count') return humanizeCount(v);
      if (meta.contains === 'time') return humanizeDuration(v, timeUnit);
      return humanizeValue(v, meta, timeUnit);
    }),
  );
  const names = shown.map((r) => table.by.map((k) => r.tags[k] ?? '').filter((x) => x !== '').join(' '));
  return { names, cells, more: rows.length - shown.length };
}

/**
 * A snapshot's series of the breakdowns `keep` accepts, as rows: one per (breakdown, tags), each
 * with its metrics' values. One pass; the summary and the live dashboard both read tables from it.
 */
export function breakdownRowsOf(series: readonly SnapshotSeries[], keep: (view: string) => boolean): Record<string, BreakdownRow[]> {
  const out: Record<string, BreakdownRow[]> = {};
  const index = new Map<string, BreakdownRow>();
  for (const s of series) {
    if (!keep(s.view)) continue;
    const key = `${s.view}\u0000${JSON.stringify(s.tags)}`;
    let row = index.get(key);
    if (row === undefined) {
      row = { tags: s.tags, metrics: {} };
      index.set(key, row);
      (out[s.view] ??= []).push(row);
    }
    row.metrics[s.name] = s.values;
  }
  return out;
}
