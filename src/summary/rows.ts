/**
 * The per-route, per-scenario, per-check, per-group and per-error rows of a run, built once from a
 * metrics snapshot for every reader: the end-of-test summary (and through it the reports) and the
 * live dashboard. A row comes from the snapshot series of one breakdown (`SnapshotSeries.view`),
 * whose tags are the breakdown's tags (empty values omitted).
 */
import { STATUS_CODES } from 'node:http';
import { errorCodeName } from '../errors/index.js';
import { OTHER } from '../metrics/breakdowns.js';
import type { MetricsSnapshot, SnapshotSeries } from '../metrics/snapshot.js';
import type { RouteRow } from './types.js';

/** Per-scenario measurements (the scenario's status and VUs come from the run, not from metrics). */
export interface ScenarioStats {
  iterations: number;
  droppedIterations: number;
  requests: number;
  /** null when no iteration finished. */
  iterationDurationP95: number | null;
}

export interface CheckRow {
  /** Group path, '' at the root. */
  group: string;
  name: string;
  passes: number;
  fails: number;
}

/** Failed requests with one status and error code. */
export interface RequestErrorRow {
  status: string;
  /** '' when the status alone says it (an HTTP 4xx/5xx). */
  errorCode: string;
  /** 'error_code 1211 <error text>' or 'status 503': what tells kinds apart. */
  key: string;
  /** The error text (k6's `error` tag), or 'HTTP 503 Service Unavailable'. */
  message: string;
  count: number;
  /** k6's name for the error code ('request timeout'), when it has one. */
  name?: string;
}

/**
 * One kind of failed request: an HTTP error status ('status 503', 'HTTP 503 Service Unavailable'),
 * or a request that got no valid response ('error_code 1050', its k6 name and the error text).
 */
export function requestErrorRow(status: string, errorCode: string, error: string, count: number): RequestErrorRow {
  const st = Number(status) || 0;
  const c = Number(errorCode) || 0;
  if (status === OTHER) return { status, errorCode, key: OTHER, message: 'other kinds of failed request (more than the table keeps)', count };
  if (st >= 400 && (c === 0 || c === 1000 + st)) return { status, errorCode, key: `status ${st}`, message: `HTTP ${st} ${STATUS_CODES[st] ?? ''}`.trim(), count };
  if (c === 0) return { status, errorCode, key: `status ${status}`, message: `HTTP ${status}`, count };
  const name = errorCodeName(c);
  const row: RequestErrorRow = { status, errorCode, key: `error_code ${c}${error ? ` ${error}` : ''}`, message: error || name || `error_code ${c}`, count };
  if (name) row.name = name;
  return row;
}

/** A route row, and whether it had any duration samples (else its latency figures are 0, not measured). */
export interface RouteStats extends RouteRow {
  timed: boolean;
}

export interface RunRows {
  /** Busiest first. */
  routes: RouteStats[];
  scenarios: Map<string, ScenarioStats>;
  /** In snapshot order. */
  checks: CheckRow[];
  /** Group paths that ran (setup/teardown included). */
  groups: string[];
  /** Most frequent first; only rows with failures. */
  requestErrors: RequestErrorRow[];
}

const num = (v: number | undefined): number => (v === undefined || !Number.isFinite(v) ? 0 : v);

/** Builds every row of the run from `snapshot`; `elapsedS` turns counts into per-second rates. */
export function buildRows(snapshot: MetricsSnapshot, elapsedS: number): RunRows {
  const routes = new Map<string, RouteStats>();
  const scenarios = new Map<string, ScenarioStats>();
  const checks: CheckRow[] = [];
  const groups: string[] = [];
  const requestErrors: RequestErrorRow[] = [];
  for (const s of snapshot.series) {
    switch (s.view) {
      case 'route':
        routeRow(routes, s, elapsedS);
        break;
      case 'scenario':
        scenarioRow(scenarios, s);
        break;
      case 'check':
        if (s.name === 'checks') checks.push({ group: s.tags.group ?? '', name: s.tags.check ?? '', passes: num(s.values.passes), fails: num(s.values.fails) });
        break;
      case 'group':
        if (s.name === 'group_duration') groups.push(s.tags.group ?? '');
        break;
      case 'error': {
        if (s.name !== 'http_req_failed') break;
        const count = num(s.values.passes);
        if (count === 0) break;
        requestErrors.push(requestErrorRow(s.tags.status ?? '', s.tags.error_code ?? '', s.tags.error ?? '', count));
        break;
      }
    }
  }
  return {
    routes: [...routes.values()].sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name)),
    scenarios,
    checks,
    groups,
    requestErrors: requestErrors.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
  };
}

function routeRow(routes: Map<string, RouteStats>, s: SnapshotSeries, elapsedS: number): void {
  const name = s.tags.name ?? '';
  const method = s.tags.method ?? '';
  const key = `${name}\u0000${method}`;
  let r = routes.get(key);
  if (!r) {
    r = { name, method, scenario: '', requests: 0, failed: 0, errorRate: 0, rps: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, timed: false };
    routes.set(key, r);
  }
  const v = s.values;
  if (s.name === 'http_reqs') {
    r.requests = num(v.count);
    r.rps = elapsedS > 0 ? r.requests / elapsedS : 0;
  } else if (s.name === 'http_req_failed') {
    r.failed = num(v.passes);
    const total = num(v.passes) + num(v.fails);
    r.errorRate = total > 0 ? r.failed / total : 0;
  } else if (s.name === 'http_req_duration') {
    r.timed = num(v.count) > 0;
    r.avg = num(v.avg);
    r.p50 = num(v.med);
    r.p90 = num(v['p(90)']);
    r.p95 = num(v['p(95)']);
    r.p99 = num(v['p(99)']);
    r.max = num(v.max);
  }
}

function scenarioRow(scenarios: Map<string, ScenarioStats>, s: SnapshotSeries): void {
  const name = s.tags.scenario ?? '';
  let a = scenarios.get(name);
  if (!a) {
    a = { iterations: 0, droppedIterations: 0, requests: 0, iterationDurationP95: null };
    scenarios.set(name, a);
  }
  if (s.name === 'iterations') a.iterations = num(s.values.count);
  else if (s.name === 'dropped_iterations') a.droppedIterations = num(s.values.count);
  else if (s.name === 'http_reqs') a.requests = num(s.values.count);
  else if (s.name === 'iteration_duration') a.iterationDurationP95 = num(s.values['p(95)']);
}
