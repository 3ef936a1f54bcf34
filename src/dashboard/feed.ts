/**
 * Turns the CLI's `LiveUpdate` (a cumulative `MetricsSnapshot` with thousands of series at most)
 * into the compact tables the page shows (`WireUpdate`). Runs once per second on the main thread:
 * one pass over the snapshot's series, no per-sample work.
 */
import type { SnapshotSeries } from '../metrics/snapshot.js';
import type { SummaryData } from '../summary/types.js';
import type { LiveUpdate, RunMeta } from './types.js';
import type { WireCheck, WireEnd, WireError, WireRoute, WireScenario, WireThreshold, WireTotals, WireUpdate } from './wire.js';

/** Rows per table sent each second (the busiest routes, failing checks first, top errors). */
export const MAX_TABLE_ROWS = 200;

/** Tag sets of the breakdown rows (see metrics/breakdowns.ts). */
function tagShape(tags: Record<string, string>): 'total' | 'route' | 'scenario' | 'check' | 'error' | 'other' {
  let n = 0;
  let name = false;
  let method = false;
  let scenario = false;
  let check = false;
  let group = false;
  let status = false;
  let errorCode = false;
  for (const k in tags) {
    n++;
    if (k === 'name') name = true;
    else if (k === 'method') method = true;
    else if (k === 'scenario') scenario = true;
    else if (k === 'check') check = true;
    else if (k === 'group') group = true;
    else if (k === 'status') status = true;
    else if (k === 'error_code') errorCode = true;
  }
  if (n === 0) return 'total';
  if (name && method && n === 2) return 'route';
  if (scenario && n === 1) return 'scenario';
  if (check && n === (group ? 2 : 1)) return 'check';
  if ((status || errorCode) && n === (status ? 1 : 0) + (errorCode ? 1 : 0)) return 'error';
  return 'other';
}

const num = (v: number | undefined): number => (v === undefined || !Number.isFinite(v) ? 0 : v);
const opt = (v: number | undefined, present: boolean): number | null => (present && v !== undefined && Number.isFinite(v) ? v : null);

interface RouteAcc {
  name: string;
  method: string;
  requests: number;
  failed: number;
  failedCount: number;
  avg: number | null;
  p95: number | null;
  p99: number | null;
}

interface ScenarioAcc {
  iterations: number;
  dropped: number;
  requests: number;
  iterationP95: number | null;
}

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
  const routes = new Map<string, RouteAcc>();
  const scenarios = new Map<string, ScenarioAcc>();
  const checks = new Map<string, WireCheck>();
  const errors = new Map<string, WireError>();
  /** Metric name → how its values are shown (from the totals). */
  const units = new Map<string, WireThreshold['unit']>();
  const seenTotal = new Set<string>();

  for (const s of u.snapshot.series) {
    const shape = tagShape(s.tags);
    if (shape === 'total') {
      if (seenTotal.has(s.name)) continue;
      seenTotal.add(s.name);
      units.set(s.name, unitOf(s));
      total(totals, s);
    } else if (shape === 'route') route(routes, s);
    else if (shape === 'scenario') scenarioRow(scenarios, s);
    else if (shape === 'check' && s.name === 'checks') {
      const group = s.tags.group ?? '';
      const name = s.tags.check ?? '';
      checks.set(`${group}\u0000${name}`, { group, name, passes: num(s.values.passes), fails: num(s.values.fails) });
    } else if (shape === 'error' && s.name === 'http_req_failed') {
      const failed = num(s.values.passes);
      if (failed === 0) continue;
      const status = s.tags.status ?? '';
      const errorCode = s.tags.error_code ?? '';
      const key = errorCode ? `error_code ${errorCode}` : `status ${status}`;
      errors.set(`${status}\u0000${errorCode}`, { key, status, errorCode, count: failed });
    }
  }

  const elapsedS = Math.max(u.live.elapsedMs, u.snapshot.elapsedMs) / 1000;
  const routeRows: WireRoute[] = [...routes.values()]
    .map((r) => ({
      name: r.name,
      method: r.method,
      requests: r.requests,
      failed: r.failed,
      errorRate: r.failedCount > 0 ? r.failed / r.failedCount : 0,
      rps: elapsedS > 0 ? r.requests / elapsedS : 0,
      avg: r.avg,
      p95: r.p95,
      p99: r.p99,
    }))
    .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
  const checkRows = [...checks.values()].sort((a, b) => b.fails - a.fails || a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
  const errorRows = [...errors.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

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
      droppedIterations: acc?.dropped ?? 0,
      requests: acc?.requests ?? 0,
      iterationP95: acc?.iterationP95 ?? null,
    };
  });

  const thresholds: WireThreshold[] = u.thresholds.map((t) => ({
    metric: t.metric,
    expr: t.expr,
    ok: t.ok,
    value: t.value,
    abortOnFail: t.abortOnFail,
    unit: units.get(baseName(t.metric)) ?? 'plain',
    failedAtMs: null,
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
  };
}

function baseName(metric: string): string {
  const i = metric.indexOf('{');
  return i === -1 ? metric : metric.slice(0, i);
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

function route(routes: Map<string, RouteAcc>, s: SnapshotSeries): void {
  const name = s.tags.name!;
  const method = s.tags.method!;
  const key = `${method}\u0000${name}`;
  let r = routes.get(key);
  if (!r) {
    r = { name, method, requests: 0, failed: 0, failedCount: 0, avg: null, p95: null, p99: null };
    routes.set(key, r);
  }
  const v = s.values;
  if (s.name === 'http_reqs') r.requests = num(v.count);
  else if (s.name === 'http_req_failed') {
    r.failed = num(v.passes);
    r.failedCount = num(v.passes) + num(v.fails);
  } else if (s.name === 'http_req_duration') {
    const has = num(v.count) > 0;
    r.avg = opt(v.avg, has);
    r.p95 = opt(v['p(95)'], has);
    r.p99 = opt(v['p(99)'], has);
  }
}

function scenarioRow(scenarios: Map<string, ScenarioAcc>, s: SnapshotSeries): void {
  const name = s.tags.scenario!;
  let a = scenarios.get(name);
  if (!a) {
    a = { iterations: 0, dropped: 0, requests: 0, iterationP95: null };
    scenarios.set(name, a);
  }
  const v = s.values;
  if (s.name === 'iterations') a.iterations = num(v.count);
  else if (s.name === 'dropped_iterations') a.dropped = num(v.count);
  else if (s.name === 'http_reqs') a.requests = num(v.count);
  else if (s.name === 'iteration_duration') a.iterationP95 = opt(v['p(95)'], num(v.count) > 0);
}

/** The summary for the `end` event: without the per-second series and the histogram (see `WireEnd`). */
export function toWireEnd(summary: SummaryData): WireEnd {
  const volley = { ...summary.volley, timeSeries: { intervalMs: summary.volley.timeSeries.intervalMs, t: [], series: {} }, histogram: { metric: summary.volley.histogram.metric, buckets: [] } };
  return { summary: { ...summary, volley } };
}
