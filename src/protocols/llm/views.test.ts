/**
 * What an LLM run contributes to the readers, through the real pipeline (summary/testing/recorded-run.ts):
 * its time-series columns and declared charts, and none of them (nor any other unused protocol's)
 * in a plain HTTP run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordedRun } from '../../summary/testing/recorded-run.js';

const TREND = ['p50', 'p90', 'p95', 'p99', 'max', 'avg'];

test('a plain HTTP run has the time-series columns of the VU runtime and HTTP only, as before', () => {
  const { summary } = recordedRun({ llm: false });
  const cols = Object.keys(summary.volley.timeSeries.series).sort();
  const expected = [
    ...['iterations', 'data_received', 'data_sent', 'dropped_iterations', 'checks'],
    ...['http_reqs', 'http_req_failed', ...TREND.map((s) => `http_req_duration.${s}`)],
    'vus',
  ].sort();
  assert.deepEqual(cols, expected);
  assert.equal(summary.volley.charts, undefined);
});

test('an LLM run has its columns (values in both seconds) and the LLM charts, not the SSE or WebSocket ones', () => {
  const { summary } = recordedRun({ llm: true });
  const s = summary.volley.timeSeries.series;
  assert.deepEqual(s.llm_reqs, [4, 4]);
  assert.deepEqual(s.llm_output_tokens, [80, 80]);
  assert.ok(s['llm_time_to_first_token.p95']!.every((v) => v !== null && v >= 220 && v <= 231), String(s['llm_time_to_first_token.p95']));
  assert.ok(s['llm_inter_token_latency.p95']!.every((v) => v !== null && v >= 21 && v <= 22.1));
  assert.equal(Object.keys(s).filter((k) => /^(sse|ws|sql|browser)_/.test(k)).length, 0);
  assert.deepEqual(summary.volley.charts?.map((c) => c.id), ['chart-llm-latency', 'chart-llm-throughput', 'chart-llm-in-flight']);
  // Every column a chart draws exists.
  for (const c of summary.volley.charts!) for (const l of c.series) assert.ok(s[l.column], `${c.id}: column ${l.column}`);
});
