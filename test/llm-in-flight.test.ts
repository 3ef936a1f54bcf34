/**
 * `llm_in_flight` end to end: 5 VUs on two worker threads, each streaming a ~1 s answer from
 * `volley target`, show 5 calls in flight in the per-second series (`volley.timeSeries`), summed over
 * the workers, and 0 once they are done; and the live aggregate that abortOnFail and the monitoring
 * exports read is that sum too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

test('llm_in_flight: 5 VUs each streaming a 1 s answer are 5 calls in flight, summed over 2 workers', async () => {
  const t = await startTarget({
    profile: 'none',
    routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 100 }, tokensPerSecond: { fixed: 20 }, outputTokens: { fixed: 19 } } } as never],
  });
  const dir = mkdtempSync(join(tmpdir(), 'volley-inflight-'));
  try {
    const script = writeScript(`
      import llm from 'volley/llm';
      export const options = { vus: 5, duration: '4s', thresholds: { llm_in_flight: ['max==5'] } };
      export default async function () {
        await llm.chat({ baseUrl: __ENV.LLM_URL, model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
      }`);
    const out = join(dir, 's.json');
    const r = await runVolley(['run', script, '--quiet', '--workers', '2', '-e', `LLM_URL=${t.url}/v1`, '--summary-export', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const col: (number | null)[] = s.volley.timeSeries.series.llm_in_flight;
    assert.ok(col, Object.keys(s.volley.timeSeries.series).join(', '));
    // Seconds 1 and 2 are wholly inside the run: every VU is mid-stream at each second's end (a VU
    // sits between two calls for well under a millisecond), so 5 (4 at worst on a loaded machine).
    for (const i of [1, 2]) assert.ok(col[i]! >= 4 && col[i]! <= 5, `second ${i}: ${col[i]} in flight (${col.join(', ')})`);
    assert.equal(Math.max(...col.map((v) => v ?? 0)), 5, col.join(', '));
    assert.equal(col.at(-1), 0, `none in flight at the end: ${col.join(', ')}`);
    // The summary's figures and the threshold's are the per-second sums, not one worker's gauge.
    assert.equal(s.volley.thresholds.find((x: { metric: string }) => x.metric === 'llm_in_flight').ok, true);
    assert.deepEqual(s.metrics.llm_in_flight.values, { value: 0, min: 0, max: 5 });
    assert.ok(s.volley.charts.some((c: { id: string }) => c.id === 'chart-llm-in-flight'), 'the declared chart has data');
    // No HTTP traffic: the 1 s calls are what kept the VUs busy (≈ 4 s × 5 VUs / ~1 s per call).
    const reqs = s.metrics.llm_reqs.values?.count ?? s.metrics.llm_reqs.count;
    assert.ok(reqs >= 12 && reqs <= 30, `${reqs} calls`);
  } finally {
    await t.close();
  }
});

test('llm_in_flight: a live abortOnFail threshold sees the sum over workers (5 streams on 2 workers abort \'value<5\')', async () => {
  const t = await startTarget({
    profile: 'none',
    routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 100 }, tokensPerSecond: { fixed: 20 }, outputTokens: { fixed: 39 } } } as never],
  });
  try {
    // Each call streams for 2 s: every worker holds at most 3 of the 5, so only the sum reaches 5.
    const script = writeScript(`
      import llm from 'volley/llm';
      export const options = { vus: 5, duration: '20s', thresholds: { llm_in_flight: [{ threshold: 'value<5', abortOnFail: true }] } };
      export default async function () {
        await llm.chat({ baseUrl: __ENV.LLM_URL, model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
      }`);
    const started = Date.now();
    const r = await runVolley(['run', script, '--workers', '2', '-e', `LLM_URL=${t.url}/v1`], { timeoutMs: 60_000 });
    assert.equal(r.code, 99, r.stderr + r.stdout);
    assert.match(r.stdout + r.stderr, /abort/i);
    assert.ok(Date.now() - started < 15_000, `aborted early, not at the end of the 20 s run (${Date.now() - started} ms)`);
  } finally {
    await t.close();
  }
});
