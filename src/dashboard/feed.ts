/**
 * Turns the CLI's `LiveUpdate` (a cumulative `MetricsSnapshot` with thousands of series at most)
 * into the compact tables the page shows (`WireUpdate`). Runs once per second on the main thread:
 * one pass over the snapshot's series, no per-sample work.
 */
import type { SnapshotSeries } from '../metrics/snapshot.js';
import type { SummaryData } from '../summary/types.js';
import { buildRows } from '../summary/rows.js';
import type { LiveUpdate, RunMeta } from './types.js';
import type { WireCheck, WireEnd, WireError, WireRoute, WireScenario, WireTable, WireThreshold, WireTotals, WireUpdate } from './wire.js';
import { breakdownRowsOf, tableCells, type TableSource } from '../summary/declared-tables.js';
import type { SummaryTable } from '../summary/types.js';
import { selectorMetric } from '../metrics/thresholds/selector.js';
import { eventBudgetNote, timeBudgetNote } from '../summary/budget-text.js';

/** Rows per table sent each second (the busiest routes, failing checks first, top errors). */
export const MAX_TABLE_ROWS = 200;

const num = (v: number | undefined): number => (v === undefined || !Number.isFinite(v) ? 0 : v);
const opt = (v: number | undefined, present: boolean): number | null => (present && v !== undefined && Number.isFinite(v) ? v : null);

/**
 * Builds the per-second message. Breakdown series come after the totals and the threshold
 * sub-metrics in a snapshot, so for a tag set that is both (a sub-metric `{scenario:x}` and the
 * scenario row x), the later one wins; they measure the same samples anyway.
 */
export function toWireUpdate(u: LiveUpdate, meta: RunMeta | null): WireUpdate {
  const totals: WireTotals = {
    requests: 0,
    failed: 0,
    errorRate: null,
    iterations: 0,
    droppedIterations: 0,
    checksPasses: 0,
    checksFails: 0,
    checksRate: null,
    avg: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null,
    max: null,
    dataReceived: 0,
    dataSent: 0,
  };
  /** Metric name → how its values are shown (from the totals). */
  const units = new Map<string, WireThreshold['unit']>();
  const seenTotal = new Set<string>();

  for (const s of u.snapshot.series) {
    if (s.view !== 'total' || seenTotal.has(s.name)) continue;
    seenTotal.add(s.name);
    units.set(s.name, unitOf(s));
    total(totals, s);
  }

  const elapsedS = Math.max(u.live.elapsedMs, u.snapshot.elapsedMs) / 1000;
  const rows = buildRows(u.snapshot, elapsedS);
  const routeRows: WireRoute[] = rows.routes.map((r) => ({
    name: r.name,
    method: r.method,
    requests: r.requests,
    failed: r.failed,
    errorRate: r.errorRate,
    rps: r.rps,
    avg: r.timed ? r.avg : null,
    p95: r.timed ? r.p95 : null,
    p99: r.timed ? r.p99 : null,
  }));
  const checkRows: WireCheck[] = rows.checks.sort((a, b) => b.fails - a.fails || a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
  const errorRows: WireError[] = rows.requestErrors.map((e) => ({ key: e.key, status: e.status, errorCode: e.errorCode, count: e.count }));
  const scenarios = rows.scenarios;

  const scenarioRows: WireScenario[] = u.live.scenarios.map((sc) => {
    const acc = scenarios.get(sc.name);
    return {
      name: sc.name,
      executor: sc.executor,
      description: meta?.scenarios[sc.name] ?? '',
      active: sc.active,
      allocated: sc.allocated,
      progress: sc.progress,
      done: sc.done,
      iterations: sc.iterations,
      droppedIterations: acc?.droppedIterations ?? 0,
      requests: acc?.requests ?? 0,
      iterationP95: acc?.iterationDurationP95 ?? null,
    };
  });

  const thresholds: WireThreshold[] = u.thresholds.map((t) => ({
    metric: t.metric,
    expr: t.expr,
    ok: t.ok,
    value: t.value,
    abortOnFail: t.abortOnFail,
    unit: units.get(selectorMetric(t.metric)) ?? 'plain',
    failedAtMs: null,
    ...(t.budget ? { note: t.budget.unit === 'seconds' ? timeBudgetNote(t.budget) : eventBudgetNote(t.budget) } : {}),
  }));

  return {
    row: u.row ? { t: u.row.timeMs, v: u.row.values } : null,
    live: u.live,
    totals,
    routes: routeRows.slice(0, MAX_TABLE_ROWS),
    routesTotal: routeRows.length,
    checks: checkRows.slice(0, MAX_TABLE_ROWS),
    checksTotal: checkRows.length,
    errors: errorRows.slice(0, MAX_TABLE_ROWS),
    errorsTotal: errorRows.length,
    scenarios: scenarioRows,
    thresholds,
    tables: declaredTables(u, meta),
  };
}

/** The tables `meta` declares, from the snapshot's breakdown rows (one pass over the series). */
function declaredTables(u: LiveUpdate, meta: RunMeta | null): WireTable[] {
  const decl = meta?.tables ?? [];
  if (decl.length === 0) return [];
  const wanted = new Set(decl.map((t) => t.breakdown));
  const metrics: NonNullable<TableSource['metrics']> = {};
  for (const s of u.snapshot.series) if (s.view === 'total') metrics[s.name] = { type: s.type, contains: s.contains };
  const breakdowns = breakdownRowsOf(u.snapshot.series, (view) => wanted.has(view));
  return wireTables({ metrics, volley: { breakdowns } }, decl);
}

/** `decl`'s tables that have rows in `src`, as the page shows them. */
function wireTables(src: TableSource, decl: readonly SummaryTable[]): WireTable[] {
  const out: WireTable[] = [];
  for (const t of decl) {
    if (!src.volley?.breakdowns?.[t.breakdown]) continue;
    const c = tableCells(src, t, MAX_TABLE_ROWS);
    out.push({
      breakdown: t.breakdown,
      title: t.title,
      labels: t.columns.map((x) => x.label),
      rows: c.names.map((name, i) => ({ name, cells: c.cells[i]! })),
      total: c.names.length + c.more,
    });
  }
  return out;
}


function unitOf(s: SnapshotSeries): WireThreshold['unit'] {
  if (s.type === 'rate') return 'rate';
  if (s.contains === 'time') return 'ms';
  if (s.contains === 'data') return 'bytes';
  return 'plain';
}

function total(t: WireTotals, s: SnapshotSeries): void {
  const v = s.values;
  switch (s.name) {
    case 'http_reqs':
      t.requests = num(v.count);
      break;
    case 'http_req_failed': {
      t.failed = num(v.passes);
      const n = num(v.passes) + num(v.fails);
      t.errorRate = n > 0 ? t.failed / n : null;
      break;
    }
    case 'iterations':
      t.iterations = num(v.count);
      break;
    case 'dropped_iterations':
      t.droppedIterations = num(v.count);
      break;
    case 'checks': {
      t.checksPasses = num(v.passes);
      t.checksFails = num(v.fails);
      const n = t.checksPasses + t.checksFails;
      t.checksRate = n > 0 ? t.checksPasses / n : null;
      break;
    }
    case 'http_req_duration': {
      const has = num(v.count) > 0;
      t.avg = opt(v.avg, has);
      t.p50 = opt(v.med, has);
      t.p90 = opt(v['p(90)'], has);
      t.p95 = opt(v['p(95)'], has);
      t.p99 = opt(v['p(99)'], has);
      t.max = opt(v.max, has);
      break;
    }
    case 'data_received':
      t.dataReceived = num(v.count);
      break;
    case 'data_sent':
      t.dataSent = num(v.count);
      break;
  }
}

/** The summary for the `end` event: without the per-second series and the histogram, with the declared tables' final rows (see `WireEnd`). */
export function toWireEnd(summary: SummaryData): WireEnd {
  const volley = { ...summary.volley, timeSeries: { intervalMs: summary.volley.timeSeries.intervalMs, t: [], series: {} }, histogram: { metric: summary.volley.histogram.metric, buckets: [] } };
  return { summary: { ...summary, volley }, tables: wireTables(summary, summary.volley.tables ?? []) };
}
