/**
 * volley llm-bench against `volley target`'s OpenAI-compatible endpoint (loopback): steps, the vLLM
 * result names, goodput and the sweep's knee on a server whose capacity is known, the over-saturation
 * stop, the report, and clear errors for bad flags and datasets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { runVolley } from './helpers.js';

/** A model server that serves 2 streams at once (more wait in its queue): about 2 / 0.2 s = 10 requests/s. */
async function limitedTarget(): Promise<RunningTarget> {
  return startTarget({
    profile: 'none',
    routes: [
      {
        kind: 'llm-chat',
        path: '/v1/chat/completions',
        concurrency: { max: 2, queue: 1000 },
        llm: { ttft: { fixed: 40 }, tokensPerSecond: { fixed: 100 }, outputTokens: { fixed: 16 } },
      } as never,
    ],
  });
}

test('llm-bench: rate steps, vLLM field names, goodput, the knee of a server of known capacity, the report', async () => {
  const t = await limitedTarget();
  const dir = mkdtempSync(join(tmpdir(), 'volley-llm-bench-'));
  try {
    const json = join(dir, 'bench.json');
    const html = join(dir, 'bench.html');
    const r = await runVolley(['llm-bench', '--base-url', `${t.url}/v1`, '--model', 'm', '--profile', 'constant', '--rates', '4,40', '--duration', '1.5s', '--output-tokens', '16', '--goodput', 'ttft:p(95)<400ms', '--sweep', '--json', json, '--report', html], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /step 1: constant 4\/s {2}✓ meets the SLOs/);
    assert.match(r.stdout, /TTFT\s+\d/);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    const low = res.steps[0];
    for (const k of ['duration', 'completed', 'failed', 'total_input_tokens', 'total_output_tokens', 'request_throughput', 'request_goodput', 'output_throughput', 'total_token_throughput', 'mean_ttft_ms', 'median_ttft_ms', 'std_ttft_ms', 'p99_ttft_ms', 'mean_tpot_ms', 'median_tpot_ms', 'p99_tpot_ms', 'mean_itl_ms', 'median_itl_ms', 'p99_itl_ms', 'mean_e2el_ms', 'p99_e2el_ms', 'request_rate', 'max_concurrent_requests']) {
      assert.ok(k in low, `missing ${k}`);
    }
    assert.equal(low.request_rate, 4);
    assert.equal(low.failed, 0);
    assert.equal(low.total_output_tokens, 16 * low.completed);
    assert.equal(low.tokens_counted_by, 'usage');
    // ITL: one token every 10 ms; TPOT (e2e − ttft) / 15 likewise.
    assert.ok(low.median_itl_ms > 7 && low.median_itl_ms < 20, `median ITL ${low.median_itl_ms}`);
    assert.ok(low.median_tpot_ms > 8 && low.median_tpot_ms < 20, `median TPOT ${low.median_tpot_ms}`);
    // 40/s is 4× what 2 streams of ~0.2 s serve: TTFT grows in the queue, the step misses the SLO.
    const high = res.steps.find((s: { request_rate: number }) => s.request_rate === 40);
    assert.equal(high.pass, false);
    // The knee: a bisected rate between 4 and 40, at most the server's capacity (10/s) plus slack.
    assert.ok(res.knee >= 4 && res.knee < 20, `knee ${res.knee}`);
    assert.match(r.stdout, /highest rate meeting every SLO \(ttft:p\(95\)<400ms\): [\d.]+ requests\/s/);
    assert.equal(res.knee_is_lower_bound, false);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /uPlot/);
    assert.match(page, /goodput knee/i);
    assert.match(page, /"knee":/);
  } finally {
    await t.close();
  }
});

test('llm-bench: a sweep in which every step meets the SLOs says the knee is above the loads tried, not at the last', async () => {
  const t = await limitedTarget();
  const dir = mkdtempSync(join(tmpdir(), 'volley-llm-bench-'));
  try {
    const json = join(dir, 'bench.json');
    const r = await runVolley(['llm-bench', '--base-url', `${t.url}/v1`, '--model', 'm', '--rates', '1,2', '--duration', '1s', '--output-tokens', '16', '--goodput', 'ttft:p(95)<5s', '--sweep', '--json', json], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /every step met every SLO \(ttft:p\(95\)<5s\), up to 2 requests\/s: the knee is higher than that; try higher --rates/);
    assert.doesNotMatch(r.stdout, /highest rate meeting every SLO/);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(res.knee, 2);
    assert.equal(res.knee_is_lower_bound, true);
  } finally {
    await t.close();
  }
});

test('llm-bench: a step the server cannot keep up with stops as over-saturated; concurrent and synchronous profiles', async () => {
  const t = await limitedTarget();
  try {
    const r = await runVolley(['llm-bench', '--base-url', `${t.url}/v1`, '--profile', 'poisson', '--rates', '60', '--duration', '3s', '--output-tokens', '16', '--json', '-'], { timeoutMs: 60_000 });
    const res = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n')));
    assert.match(String(res.steps[0].over_saturated), /requests in flight grew/);
    assert.ok(res.steps[0].duration < 6, `stopped early: ${res.steps[0].duration}`);
    const c = await runVolley(['llm-bench', '--base-url', `${t.url}/v1`, '--profile', 'concurrent', '--concurrency', '1,2', '--duration', '0.6s', '--output-tokens', '8', '--json', '-']);
    assert.equal(c.code, 0, c.stderr);
    const cr = JSON.parse(c.stdout.slice(c.stdout.indexOf('{\n')));
    assert.deepEqual(cr.steps.map((s: { max_concurrency: number }) => s.max_concurrency), [1, 2]);
    assert.equal(cr.steps[0].request_rate, 'inf');
    assert.ok(cr.steps[0].max_concurrent_requests === 1 && cr.steps[1].max_concurrent_requests === 2);
  } finally {
    await t.close();
  }
});

test('llm-bench: bad flags, a dataset that does not parse, a base URL that is not an LLM API', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-llm-bench-'));
  const bad = join(dir, 'prompts.jsonl');
  writeFileSync(bad, '{"prompt":"ok"}\n{"prompt": oops}\n');
  const d = await runVolley(['llm-bench', '--base-url', 'http://127.0.0.1:9/v1', '--dataset', bad]);
  assert.equal(d.code, 107, d.stderr);
  assert.match(d.stderr, /prompts\.jsonl:2: not a JSON value/);
  const g = await runVolley(['llm-bench', '--base-url', 'http://127.0.0.1:9/v1', '--goodput', 'ttft<2s']);
  assert.equal(g.code, 104);
  assert.match(g.stderr, /--goodput 'ttft<2s' is not an SLO/);
  const p = await runVolley(['llm-bench', '--base-url', 'http://127.0.0.1:9/v1', '--profile', 'burst']);
  assert.equal(p.code, 104);
  assert.match(p.stderr, /--profile 'burst' is not a profile/);
  // The hint shows a value that works, not the one refused.
  const r = await runVolley(['llm-bench', '--base-url', 'http://127.0.0.1:9/v1', '--rates', '0']);
  assert.equal(r.code, 104);
  assert.match(r.stderr, /--rates '0' must be a number above 0\n\s+hint: e\.g\. --rates 1,2,4/);
  const z = await runVolley(['llm-bench', '--base-url', 'http://127.0.0.1:9/v1', '--duration', '0s']);
  assert.match(z.stderr, /--duration '0s' must be longer than 0/);
  const t = await startTarget({ port: 0 });
  try {
    // The target's root is a product API, not /v1: every request fails as not_openai, and the run says so.
    const n = await runVolley(['llm-bench', '--base-url', `${t.url}/api`, '--rates', '5', '--duration', '0.5s']);
    assert.equal(n.code, 99);
    assert.match(n.stdout, /not_openai \d+/);
    assert.match(n.stdout, /OpenAI-compatible API/);
  } finally {
    await t.close();
  }
});
