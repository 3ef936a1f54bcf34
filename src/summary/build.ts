import { analyzeDrift } from './drift.js';
import { breakdownRowsOf } from './declared-tables.js';
import { createHash } from 'node:crypto';
import { OTHER } from '../metrics/breakdowns.js';
import { redactSecrets } from '../util/redact.js';
import { cpus, hostname, totalmem } from 'node:os';
import type { Aggregate, Aggregator } from '../metrics/aggregator.js';
import { buildSnapshot } from '../metrics/snapshot.js';
import { bucketsMs } from '../metrics/hdr.js';
import type { Sink } from '../metrics/sinks.js';
import { TrendSink } from '../metrics/sinks.js';
import type { SharedBudgetState, ThresholdEval } from '../metrics/thresholds/index.js';
import { levelFigures, type TimeSeriesBuilder } from '../metrics/timeseries.js';
import type { ExceptionGroup } from '../errors/exception-groups.js';
import type { ResolvedOptions } from '../config/types.js';
import { encodedHistograms } from './histograms.js';
import type { TimeChart } from '../metrics/catalog.js';
import type { SummaryTable, TimeSeries, VolleyExtras, RunPart, RunPartInfo, CheckData, ErrorRow, GroupData, MetricData, ScenarioRow, SummaryData, ThresholdResult, TimelineWindow } from './types.js';
import { selectorMetric } from '../metrics/thresholds/selector.js';
import { buildRows, type RunRows } from './rows.js';
import { exportAggregates } from '../metrics/portable.js';

export interface SummaryInput {
  aggregator: Aggregator;
  /** The per-second series: the run's builder, or a merged series (volley merge). */
  timeSeries: (Pick<TimeSeriesBuilder, 'toJSON'> & Partial<Pick<TimeSeriesBuilder, 'levels'>>) | undefined;
  /** Set for a runner's summary: adds `volley.part`, what volley merge needs. */
  part?: RunPartInfo;
  thresholds: ThresholdEval[];
  options: ResolvedOptions;
  scriptPath: string;
  version: string;
  startEpochMs: number;
  endEpochMs: number;
  aborted: { by: string; reason: string } | undefined;
  /** Script exceptions by kind (normalised message and location), bounded. */
  exceptions: Array<Pick<ExceptionGroup, 'message' | 'location' | 'count'> & { pattern?: string; varied?: boolean }>;
  warnings: string[];
  /** Fault windows and spikes on the timeline (cli/run/recovery.ts). */
  windows?: TimelineWindow[];
  /** The time charts the protocols declare (the run's catalog): those with data go to `volley.charts`. */
  charts?: readonly TimeChart[];
  exitCode: number;
  /** Scenario name → VUs allocated at the end (its peak: VUs are never freed during a scenario). */
  scenarioVus?: Record<string, number>;
  /** Iterations cut short per scenario (k6's "interrupted iterations"). */
  scenarioInterrupted?: Record<string, number>;
  /** Scenario name → whether the generator limited its rate (closed model). */
  generatorLimited?: Record<string, boolean>;
  isStdOutTTY: boolean;
  isStdErrTTY: boolean;
  noColor: boolean;
}

/** Stats of one sink, as k6 names them in `values`. */
function valuesOf(sink: Sink, trendStats: readonly string[], durationS: number): Record<string, number> {
  switch (sink.type) {
    case 'counter': {
      const count = sink.get('count') ?? 0;
      return { count, rate: durationS > 0 ? count / durationS : 0 };
    }
    case 'gauge':
      return { value: sink.get('value') ?? 0, min: sink.get('min') ?? 0, max: sink.get('max') ?? 0 };
    case 'rate':
      return { rate: sink.get('rate') ?? 0, passes: sink.get('passes') ?? 0, fails: sink.get('fails') ?? 0 };
    case 'trend': {
      const out: Record<string, number> = {};
      for (const st of trendStats) out[st] = trendStat(sink, st);
      return out;
    }
  }
}

function trendStat(sink: Sink, stat: string): number {
  const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  if (m) return sink.percentile(Number(m[1])) ?? 0;
  return sink.get(stat) ?? 0;
}

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** Builds the group tree with its checks from the group and check rows. */
function buildGroups(rows: RunRows): GroupData {
  const root: GroupData = { name: '', path: '', id: md5(''), groups: [], checks: [] };
  const byPath = new Map<string, GroupData>([['', root]]);
  const ensure = (path: string): GroupData => {
    const g = byPath.get(path);
    if (g) return g;
    const idx = path.lastIndexOf('::');
    const parent = ensure(idx <= 0 ? '' : path.slice(0, idx));
    const ng: GroupData = { name: path.slice(idx + 2), path, id: md5(path), groups: [], checks: [] };
    parent.groups.push(ng);
    byPath.set(path, ng);
    return ng;
  };
  for (const path of rows.groups) {
    if (path.startsWith('::') && !path.startsWith('::setup') && !path.startsWith('::teardown')) ensure(path);
  }
  for (const r of rows.checks) {
    const path = r.group;
    const g = ensure(path.startsWith('::') ? path : '');
    const c: CheckData = { name: r.name, path: `${path}::${r.name}`, id: md5(`${path}::${r.name}`), passes: r.passes, fails: r.fails };
    g.checks.push(c);
  }
  return root;
}

function scenarioRows(input: SummaryInput, rows: RunRows): ScenarioRow[] {
  return input.options.scenarios.map((sc) => {
    const st = rows.scenarios.get(sc.name);
    const row: ScenarioRow = {
      name: sc.name,
      executor: sc.executor,
      iterations: st?.iterations ?? 0,
      droppedIterations: st?.droppedIterations ?? 0,
      interruptedIterations: input.scenarioInterrupted?.[sc.name] ?? 0,
      vusMax: input.scenarioVus?.[sc.name] ?? 0,
      iterationDurationP95: st?.iterationDurationP95 ?? 0,
    };
    const gl = input.generatorLimited?.[sc.name];
    if (gl !== undefined) row.generatorLimited = gl;
    return row;
  });
}

function errorRows(input: SummaryInput, rows: RunRows): ErrorRow[] {
  const out: ErrorRow[] = rows.requestErrors.map((e) => {
    const st = Number(e.status) || 0;
    const code = Number(e.errorCode) || 0;
    const row: ErrorRow = { kind: 'http', key: e.key, message: e.message, count: e.count };
    if (e.status !== OTHER) row.status = st;
    if (code) row.code = code;
    if (e.name) row.name = e.name;
    return row;
  });
  for (const e of input.exceptions) {
    const pattern = e.pattern ?? e.message;
    // One message throughout: show it as it was; messages that varied: their pattern, with the first as an example.
    const row: ErrorRow = { kind: 'script', key: pattern, message: e.varied === true ? pattern : e.message, count: e.count };
    if (e.varied === true && e.message !== pattern) row.example = e.message;
    if (e.location) row.location = e.location;
    out.push(row);
  }
  return out.sort((a, b) => b.count - a.count);
}

/**
 * Builds the end-of-test summary data (k6 handleSummary shape + Volley's extras) from the merged
 * aggregates. Pure: reads the aggregator, changes nothing.
 */
export function buildSummary(input: SummaryInput): SummaryData {
  const { aggregator: agg, options } = input;
  const durationMs = Math.max(0, input.endEpochMs - input.startEpochMs);
  const durationS = durationMs / 1000;
  const trendStats = options.summaryTrendStats;
  const snapshot = buildSnapshot(agg, input.endEpochMs, durationMs);
  const rows = buildRows(snapshot, durationS);
  const breakdowns = protocolBreakdowns(snapshot);
  const tables = agg.breakdowns.filter((b) => b.table && breakdowns?.[b.name]).map((b): SummaryTable => ({ breakdown: b.name, by: b.by, ...b.table! }));
  const metrics: Record<string, MetricData> = {};
  const add = (name: string, a: Aggregate): void => {
    metrics[name] = { type: a.type, contains: a.contains, values: valuesOf(a.sink, trendStats, durationS) };
  };
  for (const a of agg.list('total')) add(a.metric, a);
  for (const a of agg.list('sub')) add(a.key, a);
  // A level (calls in flight...) is a gauge per worker thread: its figures are the per-second sums.
  for (const [name, col] of Object.entries(input.timeSeries?.levels?.() ?? {})) {
    const m = metrics[name];
    const f = levelFigures(col);
    if (m && f) m.values = { ...f };
  }
  // Metrics with thresholds but no samples still appear (k6 shows them, empty).
  for (const t of input.thresholds) {
    if (metrics[t.metric]) continue;
    const base = selectorMetric(t.metric);
    const type = agg.metricTypes.get(base);
    if (type) metrics[t.metric] = { type: type.type, contains: type.contains, values: {} };
  }
  const thresholds: ThresholdResult[] = input.thresholds.map((t) => ({
    metric: t.metric,
    expr: t.expr,
    ok: t.ok,
    value: t.value,
    abortOnFail: t.abortOnFail,
    aborted: input.aborted?.by === 'threshold' && t.abortOnFail && !t.ok,
    ...(t.noSamples ? { noSamples: true } : {}),
    ...(t.window ? { window: t.window } : {}),
    ...(t.budget ? { budget: t.budget } : {}),
    ...(t.drift ? { drift: t.drift } : {}),
  }));
  const warnings = [...input.warnings];
  const empty = [...new Set(thresholds.filter((t) => t.noSamples).map((t) => t.metric))];
  if (empty.length > 0) {
    warnings.push(
      `threshold${empty.length === 1 ? '' : 's'} on ${empty.join(', ')} failed: no samples, nothing was measured (check the URLs, names and tags the script uses); set the option thresholdsPassWithoutSamples: true to let them pass as k6 does`,
    );
  }
  for (const t of thresholds) {
    const m = metrics[t.metric];
    if (!m) continue;
    m.thresholds ??= {};
    m.thresholds[t.expr] = { ok: t.ok };
  }
  const timeSeries = input.timeSeries ? input.timeSeries.toJSON() : { intervalMs: 1000, t: [], series: {} };
  const charts = chartsWithData(input.charts ?? [], timeSeries);
  const dur = agg.find('http_req_duration');
  const hist = dur && dur.sink instanceof TrendSink ? bucketsMs(dur.sink.hist) : [];
  const c = cpus();
  return {
    root_group: buildGroups(rows),
    options: { summaryTrendStats: trendStats, summaryTimeUnit: options.summaryTimeUnit ?? '', noColor: input.noColor },
    state: { isStdOutTTY: input.isStdOutTTY, isStdErrTTY: input.isStdErrTTY, testRunDurationMs: durationMs },
    metrics,
    volley: {
      schemaVersion: 1,
      version: input.version,
      script: input.scriptPath,
      startTime: new Date(input.startEpochMs || input.endEpochMs).toISOString(),
      endTime: new Date(input.endEpochMs).toISOString(),
      machine: { hostname: hostname(), platform: process.platform, arch: process.arch, cpus: c.length, cpuModel: c[0]?.model ?? '', memoryBytes: totalmem(), node: process.version },
      // No secrets in artefacts: scenario env values, credential-looking values, URL passwords.
      options: redactSecrets({ scenarios: options.scenarios, thresholds: options.thresholds, tags: options.tags }) as Record<string, unknown>,
      verdict: {
        thresholdsOk: thresholds.every((t) => t.ok),
        aborted: input.aborted !== undefined,
        ...(input.aborted ? { abortReason: input.aborted.reason } : {}),
        exitCode: input.exitCode,
      },
      thresholds,
      routes: rows.routes.map(({ timed: _, ...r }) => r),
      scenarios: scenarioRows(input, rows),
      errors: errorRows(input, rows),
      timeSeries,
      drift: analyzeDrift(timeSeries),
      histogram: { metric: 'http_req_duration', buckets: hist },
      histograms: encodedHistograms(agg),
      ...(breakdowns ? { breakdowns } : {}),
      ...(tables.length > 0 ? { tables } : {}),
      ...(charts.length > 0 ? { charts } : {}),
      warnings,
      ...(input.windows && input.windows.length > 0 ? { windows: input.windows } : {}),
      ...timeBudgetsOf(thresholds),
      ...(input.part ? { part: runPart(input, input.part) } : {}),
    },
  };
}

/** `volley.timeBudgets`: each shared time budget once (every member carries the same union). */
function timeBudgetsOf(thresholds: readonly ThresholdResult[]): { timeBudgets?: SharedBudgetState[] } {
  const seen = new Map<string, SharedBudgetState>();
  for (const t of thresholds) {
    const shared = t.budget?.unit === 'seconds' ? t.budget.shared : undefined;
    if (shared) seen.set(`${shared.budgetSeconds}/${shared.periodMs}`, shared);
  }
  return seen.size > 0 ? { timeBudgets: [...seen.values()] } : {};
}

/** Views the rows above already show (and the snapshot's own parts). */
const ROW_VIEWS = new Set(['total', 'submetric', 'route', 'scenario', 'check', 'group', 'error']);

/**
 * The rows of the other breakdowns the protocols declare (SQL statements, pg_stat top queries...),
 * generically: breakdown → rows of (tags, metric → values). undefined when there are none.
 */
function protocolBreakdowns(snapshot: ReturnType<typeof buildSnapshot>): VolleyExtras['breakdowns'] {
  const out = breakdownRowsOf(snapshot.series, (view) => !ROW_VIEWS.has(view));
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The declared charts with a value in at least one of their columns. */
function chartsWithData(charts: readonly TimeChart[], ts: TimeSeries): TimeChart[] {
  return charts.filter((c) => c.series.some((l) => ts.series[l.column]?.some((v) => v !== null)));
}

function runPart(input: SummaryInput, info: RunPartInfo): RunPart {
  return {
    ...info,
    complete: input.aborted?.by !== 'signal',
    options: redactSecrets({ ...input.options, env: {} }) as Record<string, unknown>,
    aggregates: exportAggregates(input.aggregator),
    exceptions: input.exceptions.map((e) => ({ message: e.message, count: e.count, ...(e.location ? { location: e.location } : {}) })),
    scenarioVus: input.scenarioVus ?? {},
    generatorLimited: input.generatorLimited ?? {},
    warnings: input.warnings,
  };
}
