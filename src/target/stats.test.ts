import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatsRegistry } from './stats.js';

test('per-route counts, statuses, percentiles in ms, totals and reset', () => {
  const s = new StatsRegistry();
  const a = s.route('GET /a', 'GET', '/a');
  const b = s.route('POST /b', 'POST', '/b');
  for (let i = 1; i <= 100; i++) a.record(i % 10 === 0 ? 503 : 200, i); // 1..100 ms
  b.record(201, 5);
  b.aborted++;
  const snap = s.snapshot({ inFlight: 1, queued: 0 });
  const ra = snap.routes['GET /a']!;
  assert.equal(ra.count, 100);
  assert.deepEqual(ra.statuses, { '200': 90, '503': 10 });
  assert.ok(Math.abs(ra.serviceTimeMs.p50 - 50) <= 0.05, String(ra.serviceTimeMs.p50));
  assert.ok(Math.abs(ra.serviceTimeMs.p99 - 99) <= 0.1, String(ra.serviceTimeMs.p99));
  assert.equal(ra.serviceTimeMs.max, 100);
  assert.equal(ra.serviceTimeMs.mean, 50.5);
  assert.equal(snap.totals.count, 101);
  assert.deepEqual(snap.totals.statuses, { '200': 90, '201': 1, '503': 10 });
  assert.equal(snap.totals.aborted, 1);
  assert.equal(snap.inFlight, 1);
  assert.equal(snap.routes['(unmatched)'], undefined);
  assert.equal(s.route('GET /a', 'GET', '/a'), a);
  const withH = s.snapshot({ inFlight: 0, queued: 0 }, true);
  assert.equal(typeof withH.routes['GET /a']!.histogram, 'string');
  s.reset();
  const after = s.snapshot({ inFlight: 0, queued: 0 });
  assert.equal(after.totals.count, 0);
  assert.equal(after.routes['GET /a']!.serviceTimeMs.p99, 0);
});

test('Prometheus exposition: counters, summary quantiles in seconds, escaped labels', () => {
  const s = new StatsRegistry();
  const r = s.route('GET /x "q"', 'GET', '/x');
  r.record(200, 10);
  r.record(200, 30);
  s.clientErrors = 2;
  const text = s.prometheus({ inFlight: 0, queued: 3 });
  assert.match(text, /^# TYPE volley_target_requests_total counter$/m);
  assert.match(text, /^volley_target_requests_total\{route="GET \/x \\"q\\"",status="200"\} 2$/m);
  assert.match(text, /^# TYPE volley_target_service_time_seconds summary$/m);
  assert.match(text, /^volley_target_service_time_seconds\{route="GET \/x \\"q\\"",quantile="0.99"\} 0\.03\d*$/m);
  assert.match(text, /^volley_target_service_time_seconds_sum\{route="GET \/x \\"q\\""\} 0\.04$/m);
  assert.match(text, /^volley_target_service_time_seconds_count\{route="GET \/x \\"q\\""\} 2$/m);
  assert.match(text, /^volley_target_client_errors_total 2$/m);
  assert.match(text, /^volley_target_queued 3$/m);
  assert.ok(text.endsWith('\n'));
});
