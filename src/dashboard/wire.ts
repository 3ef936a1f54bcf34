/**
 * What the dashboard server sends to browsers over Server-Sent Events (`GET /events`). Every event's
 * `data` is one line of JSON. Events:
 *
 *   init      on connect (and reconnect): everything so far, `WireInit`. The page resets to it.
 *   start     the run started (for pages connected before `start`): `RunMeta`.
 *   update    once per second: `WireUpdate`.
 *   history   the stitched, downsampled history again (`HistoryJSON`), every few minutes once the
 *             run is longer than the raw level: the page replaces its series, so its memory stays
 *             bounded as the server's does.
 *   end       the run ended: `WireEnd`.
 *
 * Comment lines (`: ping`) are heartbeats.
 */
import type { LiveSnapshot } from '../metrics/live.js';
import type { SummaryData } from '../summary/types.js';
import type { HistoryJSON } from './history.js';
import type { RunMeta } from './types.js';

/** Whole-test totals (cumulative since the start). */
export interface WireTotals {
  requests: number;
  /** Failed requests (http_req_failed passes) and their share (0..1, null without requests). */
  failed: number;
  errorRate: number | null;
  iterations: number;
  droppedIterations: number;
  checksPasses: number;
  checksFails: number;
  /** 0..1, null without checks. */
  checksRate: number | null;
  /** http_req_duration in ms (null without requests). */
  avg: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  dataReceived: number;
  dataSent: number;
}

/** One row of the per-route table. */
export interface WireRoute {
  name: string;
  method: string;
  requests: number;
  failed: number;
  /** 0..1 */
  errorRate: number;
  /** Requests per second over the test so far (requests / elapsed s), as in the summary. */
  rps: number;
  avg: number | null;
  p95: number | null;
  p99: number | null;
}

/** One check (group path '' for the root group). */
export interface WireCheck {
  group: string;
  name: string;
  passes: number;
  fails: number;
}

/** Failed HTTP requests of one kind (by k6 error_code, else by status). */
export interface WireError {
  key: string;
  status: string;
  errorCode: string;
  count: number;
}

/** One scenario: the live status plus its cumulative numbers. */
export interface WireScenario {
  name: string;
  executor: string;
  description: string;
  active: number;
  allocated: number;
  /** 0..1 */
  progress: number;
  done: boolean;
  iterations: number;
  droppedIterations: number;
  requests: number;
  /** iteration_duration p(95), ms. */
  iterationP95: number | null;
}

/** A threshold verdict with the unit of its value. */
export interface WireThreshold {
  metric: string;
  expr: string;
  ok: boolean;
  value: number | null;
  abortOnFail: boolean;
  /** How to show `value`: ms (time trends), bytes (data), rate (0..1), plain. */
  unit: 'ms' | 'bytes' | 'rate' | 'plain';
  /** Elapsed ms at the first update where it failed (kept by the server, so reloads keep it); null if it never failed. */
  failedAtMs: number | null;
  /** Error budgets: the budget so far in words (breached seconds or bad events, allowance, burn rate). */
  note?: string;
}

/**
 * A table a protocol declares (`RunMeta.tables`: LLM ROUTES), formatted as the text summary does:
 * rows busiest first (by the first column), at most `MAX_TABLE_ROWS`.
 */
export interface WireTable {
  /** The breakdown's name (DOM id `table-<breakdown>`). */
  breakdown: string;
  title: string;
  /** Column headers, after the row name. */
  labels: string[];
  rows: Array<{ name: string; cells: string[] }>;
  /** Rows in the breakdown (`rows` may be fewer). */
  total: number;
}

/** Once per second. */
export interface WireUpdate {
  /** The newest one-second row (epoch ms + values), when the run had one. */
  row: { t: number; v: Record<string, number | null> } | null;
  live: LiveSnapshot;
  totals: WireTotals;
  /** The busiest routes (by requests), at most `MAX_TABLE_ROWS`; `routesTotal` counts them all. */
  routes: WireRoute[];
  routesTotal: number;
  /** Failing checks first, at most `MAX_TABLE_ROWS`. */
  checks: WireCheck[];
  checksTotal: number;
  errors: WireError[];
  errorsTotal: number;
  scenarios: WireScenario[];
  thresholds: WireThreshold[];
  /** The declared tables whose breakdown has rows so far, in declared order (none: empty). */
  tables: WireTable[];
}

/**
 * The end of the run. `summary` is the end-of-test summary without its bulky parts
 * (`volley.timeSeries` and `volley.histogram` are emptied: the page already has the series;
 * `GET /summary.json` serves the complete document).
 */
export interface WireEnd {
  summary: SummaryData;
  /** The declared tables (`volley.tables`) with their final rows, as in `WireUpdate.tables`. */
  tables: WireTable[];
}

/** Sent on connect: the page's whole state. */
export interface WireInit {
  meta: RunMeta | null;
  history: HistoryJSON;
  update: WireUpdate | null;
  end: WireEnd | null;
  /** Server's clock (epoch ms), to show "updated N s ago" without trusting the browser's clock. */
  serverTimeMs: number;
}
