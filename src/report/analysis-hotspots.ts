/**
 * Findings about where the time and the failures go: routes and scenarios that take a share of
 * the total waiting time out of proportion to their share of requests, and the routes that hold
 * most of the failed requests (with the most common errors).
 *
 * A route's "time" is requests × mean latency: the total time VUs spent waiting on it. A route is
 * a latency hotspot when it takes ≥ 10% of all waiting time and ≥ 1.5× its share of requests (a
 * route that is merely frequent is not slow). Failures are concentrated when a route has ≥ 30% of
 * them and ≥ 1.5× its share of requests. Nothing is reported for a single route.
 */
import { humanizeCount } from '../summary/format.js';
import type { RouteRow, SummaryData } from '../summary/types.js';
import { ANCHORS, errorLabel, listText, msText, rateText, type Finding } from './findings.js';
import { percentText } from './threshold-margin.js';

/** A route's share of the run. */
export interface RouteShare {
  route: RouteRow;
  /** Share of all requests, 0..1. */
  requests: number;
  /** Share of the total waiting time (requests × avg), 0..1. */
  time: number;
  /** Share of the failed requests, 0..1 (0 when nothing failed). */
  failed: number;
}

/** 'GET /api/items' (the method is left out when the name already starts with it). */
export function routeLabel(r: Pick<RouteRow, 'name' | 'method'>): string {
  return r.method && !r.name.startsWith(`${r.method} `) ? `${r.method} ${r.name}` : r.name;
}

/** Each route's share of requests, waiting time and failures. */
export function routeShares(routes: readonly RouteRow[]): RouteShare[] {
  const reqs = routes.reduce((a, r) => a + r.requests, 0);
  const time = routes.reduce((a, r) => a + r.requests * r.avg, 0);
  const failed = routes.reduce((a, r) => a + r.failed, 0);
  return routes.map((r) => ({
    route: r,
    requests: reqs > 0 ? r.requests / reqs : 0,
    time: time > 0 ? (r.requests * r.avg) / time : 0,
    failed: failed > 0 ? r.failed / failed : 0,
  }));
}

/** Routes that take far more of the waiting time than of the requests. */
export function latencyHotspotFinding(data: SummaryData): Finding | undefined {
  const routes = data.volley?.routes ?? [];
  if (routes.length < 2) return undefined;
  const hot = routeShares(routes)
    .filter((s) => s.time >= 0.1 && s.time >= 1.5 * s.requests)
    .sort((a, b) => b.time - a.time)
    .slice(0, 3);
  if (hot.length === 0) return undefined;
  const overallP95 = data.metrics?.http_req_duration?.values?.['p(95)'];
  const describe = (s: RouteShare) =>
    `${routeLabel(s.route)} takes ${percentText(s.time)} of the time for ${percentText(s.requests)} of the requests (avg ${msText(s.route.avg)}, p95 ${msText(s.route.p95)}${
      typeof overallP95 === 'number' ? ` against ${msText(overallP95)} overall` : ''
    })`;
  const total = hot.reduce((a, s) => a + s.time, 0);
  const first = hot[0]!;
  return {
    kind: 'latency-hotspot',
    severity: 'info',
    title:
      hot.length === 1
        ? `${routeLabel(first.route)} dominates latency: ${percentText(first.time)} of the time spent waiting on responses, for ${percentText(first.requests)} of the requests`
        : `${hot.length} routes take ${percentText(total)} of the time spent waiting on responses, for ${percentText(hot.reduce((a, s) => a + s.requests, 0))} of the requests`,
    detail: `${hot.map(describe).join('; ')}. Time here is requests × mean latency: what VUs spent waiting on each route.`,
    anchor: ANCHORS.routes,
    recommendation: `Start optimising with ${routeLabel(first.route)}: it costs the most waiting time relative to its traffic.`,
  };
}

/** Routes holding most of the failed requests, with the most common errors. */
export function errorHotspotFinding(data: SummaryData): Finding | undefined {
  const routes = data.volley?.routes ?? [];
  const totalFailed = routes.reduce((a, r) => a + r.failed, 0);
  if (routes.length < 2 || totalFailed === 0) return undefined;
  // Concentrated: a route's share of the failures well above its share of the traffic.
  const failing = routeShares(routes)
    .filter((s) => s.route.failed > 0 && s.failed >= 1.5 * s.requests)
    .sort((a, b) => b.failed - a.failed);
  if (failing.length === 0 || failing[0]!.failed < 0.3) return undefined;
  // The fewest such routes that hold 80% of the failures, at most 3.
  const top: RouteShare[] = [];
  let cum = 0;
  for (const s of failing) {
    if (top.length === 3 || cum >= 0.8) break;
    top.push(s);
    cum += s.failed;
  }
  const describe = (s: RouteShare) =>
    `${routeLabel(s.route)}: ${humanizeCount(s.route.failed)} failed (${percentText(s.failed)} of the failures, ${rateText(s.route.errorRate)} of its requests)`;
  const errors = [...(data.volley.errors ?? [])].filter((e) => e.kind === 'http').sort((a, b) => b.count - a.count);
  const errTotal = errors.reduce((a, e) => a + e.count, 0);
  const common = errors.slice(0, 3).map((e) => `${errorLabel(e)} (${humanizeCount(e.count)}, ${percentText(e.count / errTotal)})`);
  const first = top[0]!;
  const timeouts = errors.some((e) => /timeout/i.test(`${e.key} ${e.message}`));
  const statuses = errors.slice(0, 3).map((e) => /(?:^|\s)(\d{3})$/.exec(e.key)?.[1] ?? /HTTP (\d{3})/.exec(e.message)?.[1]);
  const why = statuses.includes('503') || statuses.includes('429')
    ? ' (the service refused work: overload, a rate limit or a failing dependency)'
    : statuses.includes('500')
      ? ' (server errors: look for the exceptions in its logs)'
      : timeouts
        ? ' (requests timed out: the service stalled)'
        : '';
  return {
    kind: 'error-hotspot',
    severity: 'warning',
    title:
      top.length === 1
        ? `${routeLabel(first.route)} has ${percentText(first.failed)} of the failed requests`
        : `${listText(top.map((s) => routeLabel(s.route)))} have ${percentText(cum)} of the failed requests`,
    detail: `${top.map(describe).join('; ')}.${common.length > 0 ? ` Most common errors: ${common.join(', ')}.` : ''}`,
    anchor: ANCHORS.routes,
    recommendation: `Fix the failures of ${routeLabel(first.route)} first${why}.`,
  };
}

/** Scenarios that take most of the failures or of the waiting time, out of proportion to their requests. */
export function scenarioHotspotFinding(data: SummaryData): Finding | undefined {
  const routes = (data.volley?.routes ?? []).filter((r) => r.scenario);
  const byScenario = new Map<string, { requests: number; time: number; failed: number }>();
  for (const r of routes) {
    const s = byScenario.get(r.scenario) ?? { requests: 0, time: 0, failed: 0 };
    s.requests += r.requests;
    s.time += r.requests * r.avg;
    s.failed += r.failed;
    byScenario.set(r.scenario, s);
  }
  if (byScenario.size < 2) return undefined;
  const reqs = [...byScenario.values()].reduce((a, s) => a + s.requests, 0);
  const time = [...byScenario.values()].reduce((a, s) => a + s.time, 0);
  const failed = [...byScenario.values()].reduce((a, s) => a + s.failed, 0);
  const sentences: string[] = [];
  let lead: string | undefined;
  for (const [name, s] of byScenario) {
    const rq = reqs > 0 ? s.requests / reqs : 0;
    const fs = failed > 0 ? s.failed / failed : 0;
    const tm = time > 0 ? s.time / time : 0;
    if (fs >= 0.6 && fs >= 1.5 * rq) {
      sentences.push(`scenario "${name}" has ${percentText(fs)} of the failed requests for ${percentText(rq)} of the requests`);
      lead ??= name;
    }
    if (tm >= 0.6 && tm >= 1.5 * rq) {
      sentences.push(`scenario "${name}" takes ${percentText(tm)} of the waiting time for ${percentText(rq)} of the requests`);
      lead ??= name;
    }
  }
  if (sentences.length === 0) return undefined;
  const text = sentences.map((s) => s[0]!.toUpperCase() + s.slice(1));
  return {
    kind: 'scenario-hotspot',
    severity: 'info',
    title: text[0]!,
    detail: `${text.slice(1).join('. ')}${text.length > 1 ? '. ' : ''}Shares are summed over the routes each scenario requested.`,
    anchor: ANCHORS.scenarios,
    recommendation: `Look at the requests of scenario "${lead}" first: it is out of proportion to its share of the traffic.`,
  };
}
