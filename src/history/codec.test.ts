import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSeries, decodeSummary, encodeSeries, encodeSummary } from './codec.js';
import { syntheticSummary } from './testing/synthetic.js';

test('series round-trip: values (float32), nulls, irregular times', () => {
  const ts = { intervalMs: 1000, t: [1000, 2000, 3000], series: { a: [1.5, null, 3], b: [null, null, 0.25] } };
  assert.deepEqual(decodeSeries(encodeSeries(ts)), ts);
  const odd = { intervalMs: 1000, t: [1000, 2500, 3000], series: { a: [1, 2, 3] } };
  assert.deepEqual(decodeSeries(encodeSeries(odd)).t, odd.t);
});

test('summary round-trip keeps metrics, routes, histograms and series', () => {
  const s = syntheticSummary({ seconds: 20 });
  const back = decodeSummary(encodeSummary(s), encodeSeries(s.volley.timeSeries), JSON.stringify(s.volley.histograms));
  assert.deepEqual(back.metrics, s.metrics);
  assert.deepEqual(back.volley.routes, s.volley.routes);
  assert.deepEqual(back.volley.histograms, s.volley.histograms);
  assert.equal(back.volley.timeSeries.t.length, 20);
  const p95 = s.volley.timeSeries.series['http_req_duration.p95']!;
  back.volley.timeSeries.series['http_req_duration.p95']!.forEach((v, i) => assert.ok(Math.abs(v! - p95[i]!) < 1e-3));
});

test('a 1-hour run stores in well under 2 MB', () => {
  const s = syntheticSummary({ seconds: 3600, requestsPerSecond: 20 });
  const bytes = encodeSummary(s).length + encodeSeries(s.volley.timeSeries).length + JSON.stringify(s.volley.histograms).length;
  assert.ok(bytes < 2_000_000, `${bytes} bytes`);
});
