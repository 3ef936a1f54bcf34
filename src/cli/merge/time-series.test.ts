import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeTimeSeries, SUMMED_SERIES } from './time-series.js';

test("two LLM-only runners: the protocol's per-second columns add up, its other columns average", () => {
  const runner = (reqs: number, ttft: number) => ({ intervalMs: 1000, t: [0, 1000], series: { vus: [2, 2], llm_reqs: [reqs, reqs], 'llm_time_to_first_token.p95': [ttft, null] } });
  const perSecond = new Set([...SUMMED_SERIES, 'llm_reqs']);
  const m = mergeTimeSeries([runner(3, 200), runner(5, 300)], perSecond);
  assert.deepEqual(m.series.vus, [4, 4]);
  assert.deepEqual(m.series.llm_reqs, [8, 8]);
  // No HTTP request to weigh by: the runners' mean, not null.
  assert.deepEqual(m.series['llm_time_to_first_token.p95'], [250, null]);
});
