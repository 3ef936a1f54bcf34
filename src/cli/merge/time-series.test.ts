import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeTimeSeries, summedColumns, SUMMED_SERIES } from './time-series.js';
import { metricCatalog } from '../../protocols/index.js';

test("two LLM-only runners: the protocol's per-second columns add up, its other columns average", () => {
  const runner = (reqs: number, ttft: number) => ({ intervalMs: 1000, t: [0, 1000], series: { vus: [2, 2], llm_reqs: [reqs, reqs], 'llm_time_to_first_token.p95': [ttft, null] } });
  const perSecond = new Set([...SUMMED_SERIES, 'llm_reqs']);
  const m = mergeTimeSeries([runner(3, 200), runner(5, 300)], perSecond);
  assert.deepEqual(m.series.vus, [4, 4]);
  assert.deepEqual(m.series.llm_reqs, [8, 8]);
  // No HTTP request to weigh by: the runners' mean, not null.
  assert.deepEqual(m.series['llm_time_to_first_token.p95'], [250, null]);
});

test('llm_in_flight adds up across runners (a level of the run catalog, as the merge reads it)', () => {
  const summed = summedColumns(metricCatalog().series);
  assert.ok(summed.has('llm_in_flight') && summed.has('llm_output_tokens') && !summed.has('llm_time_to_first_token'));
  const runner = (open: number) => ({ intervalMs: 1000, t: [0, 1000, 2000], series: { vus: [3, 3, 0], llm_in_flight: [open, open, 0] } });
  const m = mergeTimeSeries([runner(3), runner(2)], summed);
  assert.deepEqual(m.series.llm_in_flight, [5, 5, 0]);
});

test('a runner that started a second later joins at its own first second: rows meet by wall-clock second', () => {
  const early = { intervalMs: 1000, t: [5000, 6000, 7000], series: { http_reqs: [10, 10, 10], 'http_req_duration.p95': [20, 20, 20] } };
  const late = { intervalMs: 1000, t: [6000, 7000, 8000], series: { http_reqs: [30, 30, 30], 'http_req_duration.p95': [40, 40, 40] } };
  const m = mergeTimeSeries([early, late]);
  assert.deepEqual(m.t, [5000, 6000, 7000, 8000]);
  assert.deepEqual(m.series.http_reqs, [10, 40, 40, 30]);
  // weighted by each runner's requests that second
  assert.deepEqual(m.series['http_req_duration.p95'], [20, 35, 35, 40]);
});
