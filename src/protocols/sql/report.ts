/**
 * pgbench's report, from a run's summary data (handleSummary's `data`): what pgbench prints after
 * a run, computed from Volley's metrics, with percentiles pgbench does not give. Reads only the
 * summary (metrics and `volley.breakdowns`), so it works on a saved summary too.
 */
import type { PgbenchWorkload } from './pgbench.js';

/** The parts of handleSummary's data the report reads (structurally: SummaryData fits). */
export interface ReportInput {
  state: { testRunDurationMs: number };
  metrics: Record<string, { values: Record<string, number> }>;
  volley: {
    options?: Record<string, unknown>;
    scenarios?: Array<{ vusMax: number }>;
    breakdowns?: Record<string, Array<{ tags: Record<string, string>; metrics: Record<string, Record<string, number>> }>>;
  };
}

export interface ReportOptions {
  workload: PgbenchWorkload;
  /** pgbench -s (printed only). */
  scale?: number;
  /** Default: the peak VUs of the run's scenarios. */
  clients?: number;
  /** Seconds of load (pgbench -T). Default: the scenario's `duration`, else the whole run's. */
  durationS?: number;
  protocol?: 'simple' | 'prepared';
}

export interface PgbenchFigures {
  transactions: number;
  failed: number;
  tps: number;
  /** tps over the duration less the average client's connection time (pgbench ≥ 14's only tps). */
  tpsExcludingConnections: number;
  initialConnectionMs: number;
  latencyAvgMs: number;
  latencyP95Ms: number;
  latencyP99Ms: number;
  /** Per statement, in pgbench -r's order: name, average and p95 latency (ms), count, failures. */
  statements: Array<{ name: string; avgMs: number; p95Ms: number; count: number; failed: number }>;
}

const TYPES: Record<PgbenchWorkload, string> = {
  'tpcb-like': '<builtin: TPC-B (sort of)>',
  'simple-update': '<builtin: simple update>',
  'select-only': '<builtin: select only>',
};

function scenarioDurationS(data: ReportInput): number | undefined {
  const sc = data.volley.options?.scenarios as Record<string, { duration?: unknown }> | undefined;
  const list = sc ? Object.values(sc) : [];
  if (list.length !== 1) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(list[0]?.duration ?? ''));
  if (!m) return undefined;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

export function pgbenchFigures(data: ReportInput, opts: ReportOptions): PgbenchFigures {
  const v = (metric: string, stat: string): number => data.metrics[metric]?.values[stat] ?? 0;
  const rows = data.volley.breakdowns ?? {};
  const durationS = opts.durationS ?? scenarioDurationS(data) ?? data.state.testRunDurationMs / 1000;
  const clients = opts.clients ?? Math.max(1, ...(data.volley.scenarios ?? []).map((s) => s.vusMax));
  let transactions: number;
  let failed: number;
  let lat: Record<string, number> | undefined;
  if (opts.workload === 'select-only') {
    const row = rows.sql_statement?.find((r) => r.tags.name === 'SELECT pgbench_accounts');
    lat = row?.metrics.sql_query_duration;
    const f = row?.metrics.sql_query_failed;
    transactions = f ? (f.passes ?? 0) + (f.fails ?? 0) : (lat?.count ?? 0);
    failed = f?.passes ?? 0;
  } else {
    const row = rows.sql_transaction?.find((r) => r.tags.name === opts.workload);
    lat = row?.metrics.sql_tx_duration;
    transactions = row?.metrics.sql_txs?.count ?? 0;
    failed = row?.metrics.sql_tx_failed?.passes ?? 0;
  }
  const connections = v('sql_connections', 'count');
  const connectMs = v('sql_connect_duration', 'avg') * connections;
  const initialConnectionMs = connectMs / Math.max(1, Math.min(clients, connections || clients));
  const statements = (rows.sql_statement ?? [])
    .filter((r) => r.metrics.sql_query_duration)
    .map((r) => ({
      name: r.tags.name ?? '',
      avgMs: r.metrics.sql_query_duration!.avg ?? 0,
      p95Ms: r.metrics.sql_query_duration!['p(95)'] ?? 0,
      count: r.metrics.sql_query_duration!.count ?? 0,
      failed: r.metrics.sql_query_failed?.passes ?? 0,
    }));
  const order = ['BEGIN', 'UPDATE pgbench_accounts', 'SELECT pgbench_accounts', 'UPDATE pgbench_tellers', 'UPDATE pgbench_branches', 'INSERT pgbench_history', 'COMMIT'];
  statements.sort((a, b) => (order.indexOf(a.name) + 1 || 99) - (order.indexOf(b.name) + 1 || 99) || b.count - a.count);
  const ok = transactions - failed;
  return {
    transactions,
    failed,
    tps: durationS > 0 ? ok / durationS : 0,
    tpsExcludingConnections: durationS > 0 ? ok / Math.max(1e-9, durationS - initialConnectionMs / 1000) : 0,
    initialConnectionMs,
    latencyAvgMs: lat?.avg ?? 0,
    latencyP95Ms: lat?.['p(95)'] ?? 0,
    latencyP99Ms: lat?.['p(99)'] ?? 0,
    statements,
  };
}

/** pgbench's end-of-run text (plus p95/p99), from the summary. */
export function pgbenchReport(data: ReportInput, opts: ReportOptions): string {
  const f = pgbenchFigures(data, opts);
  const clients = opts.clients ?? Math.max(1, ...(data.volley.scenarios ?? []).map((s) => s.vusMax));
  const durationS = opts.durationS ?? scenarioDurationS(data) ?? data.state.testRunDurationMs / 1000;
  const pct = f.transactions > 0 ? (100 * f.failed) / f.transactions : 0;
  const lines = [
    `transaction type: ${TYPES[opts.workload]}`,
    ...(opts.scale !== undefined ? [`scaling factor: ${opts.scale}`] : []),
    `query mode: ${opts.protocol ?? 'simple'}`,
    `number of clients: ${clients}`,
    `duration: ${+durationS.toFixed(3)} s`,
    `number of transactions actually processed: ${f.transactions - f.failed}`,
    `number of failed transactions: ${f.failed} (${pct.toFixed(3)}%)`,
    `latency average = ${f.latencyAvgMs.toFixed(3)} ms`,
    `latency p95 = ${f.latencyP95Ms.toFixed(3)} ms, p99 = ${f.latencyP99Ms.toFixed(3)} ms`,
    `initial connection time = ${f.initialConnectionMs.toFixed(3)} ms`,
    `tps = ${f.tps.toFixed(6)} (including initial connection time)`,
    `tps = ${f.tpsExcludingConnections.toFixed(6)} (without initial connection time)`,
    'statement latencies in milliseconds and failures (average, p95):',
    ...f.statements.map((s) => `  ${s.avgMs.toFixed(3).padStart(9)} ${s.p95Ms.toFixed(3).padStart(9)} ${String(s.failed).padStart(8)}  ${s.name}`),
  ];
  return lines.join('\n') + '\n';
}
