/**
 * volley/llm inside a script, end to end against `volley target`: the metrics reach the summary and
 * the JSON export like any other, a threshold on llm_time_to_first_token gates the exit code (99), a
 * tag-filtered threshold works, and failures are counted by kind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

const SCRIPT = (ttftLimit: number) => `
import llm from 'volley/llm';
import { check } from 'volley';
export const options = {
  iterations: 6, vus: 3,
  thresholds: {
    'llm_time_to_first_token{route:/api/assistant/query}': ['p(95)<${ttftLimit}'],
    llm_req_failed: ['rate<=0.5'],
  },
};
export default async function () {
  const r = await llm.chat({ baseUrl: __ENV.LLM_URL, model: 'm', maxTokens: 8,
    messages: [{ role: 'user', content: 'How do I reset the DB connection?' }], tags: { route: '/api/assistant/query' } });
  check(r, { finished: (x) => x.finishReason === 'length' && x.usage.outputTokens === 8 });
  const bad = await llm.chat({ baseUrl: __ENV.BASE_URL + '/nope', messages: [{ role: 'user', content: 'x' }], timeout: '2s' });
  check(bad, { 'not an API': (x) => x.errorKind === 'not_openai' });
}
`;

async function target(): Promise<RunningTarget> {
  return startTarget({
    profile: 'none',
    routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 60 }, tokensPerSecond: { fixed: 200 } } } as never],
  });
}

test('volley/llm in a script: metrics in the summary and export; a TTFT threshold passes, then gates exit 99', async () => {
  const t = await target();
  const dir = mkdtempSync(join(tmpdir(), 'volley-llm-'));
  try {
    const env = ['-e', `LLM_URL=${t.url}/v1`, '-e', `BASE_URL=${t.url}`];
    const summary = join(dir, 's.json');
    const ok = await runVolley(['run', writeScript(SCRIPT(5000)), ...env, '--summary-export', summary], { timeoutMs: 60_000 });
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    for (const m of ['llm_time_to_first_token', 'llm_inter_token_latency', 'llm_inter_token_latency_mean', 'llm_time_per_output_token', 'llm_request_duration', 'llm_output_tokens_per_second', 'llm_output_tokens', 'llm_req_failed']) {
      assert.match(ok.stdout, new RegExp(`${m}\\b`), `${m} in the summary`);
    }
    const s = JSON.parse(readFileSync(summary, 'utf8'));
    const ttft = s.metrics['llm_time_to_first_token'];
    assert.ok(ttft, Object.keys(s.metrics).join(', '));
    const med = ttft.med ?? ttft.values?.med;
    assert.ok(med >= 59 && med < 400, `TTFT median ${med}`);
    const out = s.metrics['llm_output_tokens'];
    assert.equal(out.count ?? out.values?.count, 6 * 8);
    assert.equal(s.metrics['llm_tokens_from_tokenizer'].passes ?? s.metrics['llm_tokens_from_tokenizer'].values?.passes, 0, "the target's usage block counted");
    const failed = s.metrics['llm_req_failed'];
    assert.equal(failed.passes ?? failed.values?.passes, 6, 'the six calls to a non-API URL');
    assert.equal((s.metrics['checks'].fails ?? s.metrics['checks'].values?.fails), 0);
    // A TTFT below the server's 60 ms cannot pass: exit 99.
    const gated = await runVolley(['run', writeScript(SCRIPT(30)), ...env], { timeoutMs: 60_000 });
    assert.equal(gated.code, 99, gated.stdout);
    assert.match(gated.stdout + gated.stderr, /llm_time_to_first_token\{route:\/api\/assistant\/query\}/);
  } finally {
    await t.close();
  }
});
