import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteRow, SummaryData } from '../summary/types.js';
import { errorHotspotFinding, latencyHotspotFinding, routeLabel, routeShares, scenarioHotspotFinding } from './analysis-hotspots.js';
import { ANCHORS } from './findings.js';
import { craft } from './testing/test-support.js';

function route(name: string, requests: number, avg: number, failed = 0, scenario = 's0', method = 'GET'): RouteRow {
  return { name, method, scenario, requests, failed, errorRate: failed / requests, rps: requests / 120, avg, p50: avg * 0.8, p90: avg * 1.8, p95: avg * 2.2, p99: avg * 4, max: avg * 9 };
}

function withRoutes(routes: RouteRow[], errors: SummaryData['volley']['errors'] = []): SummaryData {
  const d = craft();
  d.volley.routes = routes;
  d.volley.errors = errors;
  return d;
}

test('routeShares: requests, waiting time (requests × avg) and failures', () => {
  const [a, b] = routeShares([route('/a', 300, 10, 1), route('/b', 100, 90, 3)]);
  assert.equal(a!.requests, 0.75);
  assert.equal(a!.time, 3000 / 12000);
  assert.equal(b!.time, 9000 / 12000);
  assert.equal(b!.failed, 0.75);
  assert.equal(routeLabel({ name: 'GET /x', method: 'GET' }), 'GET /x');
  assert.equal(routeLabel({ name: '/x', method: 'POST' }), 'POST /x');
});

test('latency hotspot: a slow route taking far more time than its share of requests', () => {
  const f = latencyHotspotFinding(withRoutes([route('/fast', 900, 10), route('/slow', 100, 200)]))!;
  assert.equal(f.kind, 'latency-hotspot');
  assert.equal(f.anchor, ANCHORS.routes);
  assert.match(f.title, /GET \/slow dominates latency: 69% of the time .* for 10% of the requests/);
  assert.match(f.recommendation!, /GET \/slow/);
});

test('no latency hotspot when time follows traffic, or for a single route', () => {
  assert.equal(latencyHotspotFinding(withRoutes([route('/a', 600, 50), route('/b', 400, 55)])), undefined);
  assert.equal(latencyHotspotFinding(withRoutes([route('/only', 1000, 500)])), undefined);
});

test('error hotspot: failures concentrated on a route, with the common errors and what they mean', () => {
  const f = errorHotspotFinding(
    withRoutes([route('/a', 800, 10, 2), route('/orders', 200, 30, 48, 's0', 'POST')], [
      { kind: 'http', key: '503', message: 'Service Unavailable', count: 45 },
      { kind: 'http', key: 'error_code 1050', message: 'error_code 1050 (status 0)', count: 5 },
    ]),
  )!;
  assert.equal(f.kind, 'error-hotspot');
  assert.match(f.title, /POST \/orders has 96% of the failed requests/);
  assert.match(f.detail, /HTTP 503 Service Unavailable \(45, 90%\)/);
  assert.match(f.detail, /error_code 1050 \(status 0\) \(5, 10%\)/);
  assert.match(f.recommendation!, /refused work/);
});

test('no error hotspot when failures follow traffic, when nothing failed, or for one route', () => {
  assert.equal(errorHotspotFinding(withRoutes([route('/a', 700, 10, 7), route('/b', 300, 10, 3)])), undefined);
  assert.equal(errorHotspotFinding(withRoutes([route('/a', 700, 10), route('/b', 300, 10)])), undefined);
  assert.equal(errorHotspotFinding(withRoutes([route('/a', 700, 10, 70)])), undefined);
});

test('scenario hotspot: a scenario with most failures for few requests; absent when proportional', () => {
  const f = scenarioHotspotFinding(withRoutes([route('/a', 800, 10, 1, 'browse'), route('/b', 200, 10, 30, 'ingest')]))!;
  assert.equal(f.kind, 'scenario-hotspot');
  assert.equal(f.anchor, ANCHORS.scenarios);
  assert.match(f.title, /Scenario "ingest" has 97% of the failed requests for 20% of the requests/);
  assert.equal(scenarioHotspotFinding(withRoutes([route('/a', 500, 10, 5, 'browse'), route('/b', 500, 10, 5, 'ingest')])), undefined);
  assert.equal(scenarioHotspotFinding(withRoutes([route('/a', 800, 10, 1, ''), route('/b', 200, 10, 30, '')])), undefined, 'routes without scenario tags');
});
