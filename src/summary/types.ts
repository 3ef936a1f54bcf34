/**
 * The end-of-test summary data. Its top-level fields have the shape of k6's handleSummary `data`
 * object, so tools that read k6 summaries (`--summary-export`) read ours; Volley's additions sit
 * under `volley`, versioned by `volley.schemaVersion`.
 */
import type { BudgetState, SharedBudgetState, TimeBudgetState, WindowVerdict } from '../metrics/thresholds/index.js';
import type { DriftFinding } from './drift.js';
import type { MetricType, ValueType } from '../metrics/metric.js';
import type { PortableAggregate } from '../metrics/portable.js';
import type { MetricCatalog, TableSpec, TimeChart } from '../metrics/catalog.js';

export interface CheckData {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface GroupData {
  name: string;
  /** '' for the root group, '::a::b' for nested groups. */
  path: string;
  id: string;
  groups: GroupData[];
  checks: CheckData[];
}

export interface MetricData {
  type: MetricType;
  contains: ValueType;
  /**
   * Counter: count, rate (per second). Gauge: value, min, max. Rate: rate, passes, fails.
   * Trend: the stats in summaryTrendStats (avg, min, med, max, p(90), p(95), ...), time in ms.
   */
  values: Record<string, number>;
  /** Threshold expression → verdict, for metrics that have thresholds. */
  thresholds?: Record<string, { ok: boolean }>;
}

export interface ThresholdResult {
  /** Metric or sub-metric, e.g. 'http_req_duration{route:/api/query}'. */
  metric: string;
  expr: string;
  ok: boolean;
  /** The measured value of the aggregation, e.g. the p(95) in ms; null when there was no data. */
  value: number | null;
  abortOnFail: boolean;
  /** True when this threshold aborted the test. */
  aborted: boolean;
  /** The metric got no samples: the threshold failed for that (option thresholdsPassWithoutSamples). */
  noSamples?: boolean;
  /** Windowed thresholds (`for 5m`): the windows judged; `value` is the worst window's. */
  window?: WindowVerdict;
  /**
   * Error budgets: in bad events (`'rate<0.001 budget'`, `unit: 'events'`: allowed, used, left, burn
   * rate) or in seconds of SLO breach (`'p(95)<350 budget 28800s over 30d'`, `unit: 'seconds'`).
   * Summaries written before `unit` existed have event budgets without it.
   */
  budget?: BudgetState | TimeBudgetState;
  /** `drift` thresholds: the trend in words. */
  drift?: string;
}

export interface RouteRow {
  /** The `name` tag (the URL unless the request set a name). */
  name: string;
  method: string;
  scenario: string;
  requests: number;
  failed: number;
  errorRate: number;
  /** Requests per second over the test. */
  rps: number;
  avg: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ScenarioRow {
  name: string;
  executor: string;
  iterations: number;
  droppedIterations: number;
  /** Iterations cut short (by gracefulStop, gracefulRampDown or a stop): started, never completed, not in `iterations`. */
  interruptedIterations?: number;
  /** Peak VUs in use. */
  vusMax: number;
  iterationDurationP95: number;
  /** For closed-model scenarios: true when the generator (not the target) limited the rate. */
  generatorLimited?: boolean;
}

export interface ErrorRow {
  /** 'http' for failed requests (by error code/status), 'script' for exceptions thrown by the script. */
  kind: 'http' | 'script';
  /**
   * What tells kinds apart: 'status 503'; 'error_code 1050 <error text>'; the normalised exception
   * message for script errors.
   */
  key: string;
  /** The error text (k6's `error` tag), 'HTTP 503 Service Unavailable', or the exception message. */
  message: string;
  /** k6 error code of a failed request (1000-1999), when it has one. */
  code?: number;
  /** k6's name for `code`: 'request timeout', 'connection refused' (see docs/outputs.md). */
  name?: string;
  /** HTTP status of a failed request (0: no response). */
  status?: number;
  count: number;
  /** file:line for script exceptions. */
  location?: string;
  /**
   * Script errors are grouped by kind (numbers, UUIDs and hex ids folded): when the messages of a
   * kind varied, `message` is the normalised one ('order <n>') and this the first seen ('order 0.8123').
   */
  example?: string;
}

export type { TimeSeries } from '../metrics/timeseries.js';
import type { TimeSeries } from '../metrics/timeseries.js';

/** A fault window or a spike on the test's timeline (docs/faults.md), and the recovery after it. */
export interface TimelineWindow {
  /** The fault's name, or `spike:<scenario>`. */
  name: string;
  kind: 'fault' | 'spike';
  /** ms from the test's start. */
  startMs: number;
  endMs: number;
  /** recovery_time of this window (ms), when it was measured; `recovered: false`: a lower bound. */
  recoveryMs?: number;
  recovered?: boolean;
}

/** One row of a breakdown: its tags, and each metric's values (as in `metrics[name].values`, trends with count/avg/med/p(90)/p(95)/p(99)/max). */
export interface BreakdownRow {
  tags: Record<string, string>;
  metrics: Record<string, Record<string, number>>;
}

/** A declared table of one breakdown (`volley.breakdowns[breakdown]` holds its rows). */
export interface SummaryTable extends TableSpec {
  breakdown: string;
  /** The breakdown's tags, in order: the row's name is their values joined by ' '. */
  by: readonly string[];
}

export interface VolleyExtras {
  schemaVersion: 1;
  version: string;
  script: string;
  /** ISO timestamps. */
  startTime: string;
  endTime: string;
  machine: { hostname: string; platform: string; arch: string; cpus: number; cpuModel: string; memoryBytes: number; node: string };
  /** Scenarios and options as they ran. */
  options: Record<string, unknown>;
  verdict: { thresholdsOk: boolean; aborted: boolean; abortReason?: string; exitCode: number };
  thresholds: ThresholdResult[];
  routes: RouteRow[];
  scenarios: ScenarioRow[];
  errors: ErrorRow[];
  timeSeries: TimeSeries;
  /** Whole-run latency distribution of http_req_duration: [upper bound ms, count] pairs. */
  histogram: { metric: string; buckets: Array<[number, number]> };
  /**
   * HDR-encoded whole-run histograms (compressed base64, µs), total and per route (see
   * summary/histograms.ts): any percentile can be recomputed later. Absent in older summaries.
   */
  histograms?: Record<string, string>;
  /**
   * Rows of the breakdowns protocols declare beyond the tables above (e.g. `sql_statement` by name,
   * `sql_error` by SQLSTATE, `pg_statement` by query): breakdown → rows. Absent when there are none.
   */
  breakdowns?: Record<string, BreakdownRow[]>;
  /**
   * Tables of those breakdowns, as the protocols declare them (e.g. `llm_route` as 'LLM ROUTES': TTFT
   * p50/p95, ITL p95, tokens/s): the text summary and the report show them. Only breakdowns with rows.
   */
  tables?: SummaryTable[];
  /**
   * Time charts the protocols declare over `timeSeries` (LLM latency and throughput, SSE, WebSocket),
   * only those with data in this run: the report draws them. Absent when there are none.
   */
  charts?: TimeChart[];
  /** Warnings about the generator itself (saturation, dropped iterations...). */
  warnings: string[];
  /** Fault windows and spikes, with the recovery measured after each. Absent when there were none. */
  windows?: TimelineWindow[];
  /** Drift (soak) analysis of the time series: latency, error rate, monitors (summary/drift.ts). Absent in older summaries. */
  drift?: DriftFinding[];
  /**
   * Shared error budgets in seconds of breach: for every group of two or more thresholds with the
   * same `budget <time> over <period>`, the seconds in which at least one was breached against the
   * same allowance (metrics/thresholds/time-budget.ts). Absent when there is none.
   */
  timeBudgets?: SharedBudgetState[];
  /** What `volley merge` needs to combine this runner's results with other runners' exactly. */
  part?: RunPart;
  /** Set by `volley merge`: the runners merged into this summary. */
  merged?: Array<{ file: string; segment: string; complete: boolean; host: string; startSkewMs?: number }>;
}

/** Identity of a runner's part of a distributed test (from the CLI). */
export interface RunPartInfo {
  /** The segment this runner executed, e.g. "1/3:2/3" ("0:1" for the whole test). */
  segment: string;
  sequence?: string;
  /** sha256 of the bundled script: runners of one test ran the same code. */
  scriptHash: string;
  /** `--start-at` as asked, and how late this runner started after it (by its own clock, ms). */
  startAt?: string;
  startSkewMs?: number;
  /** The run's metric catalog (breakdowns, series): how the merge reads the aggregates back. */
  catalog?: MetricCatalog;
}

export interface RunPart extends RunPartInfo {
  /** False when the runner did not finish (killed, stopped from outside): its data merges, the merge is marked incomplete. */
  complete: boolean;
  /** The resolved options the runner ran with (without the environment). */
  options: Record<string, unknown>;
  /** Every aggregate, exactly (counters, rates' numerators and denominators, gauges, encoded HDR histograms). */
  aggregates: PortableAggregate[];
  exceptions: Array<{ code?: string; message: string; location?: string; stack?: string; count: number }>;
  /** Scenario → VUs this runner allocated. */
  scenarioVus: Record<string, number>;
  generatorLimited: Record<string, boolean>;
  warnings: string[];
}

export interface SummaryData {
  root_group: GroupData;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, MetricData>;
  volley: VolleyExtras;
}
