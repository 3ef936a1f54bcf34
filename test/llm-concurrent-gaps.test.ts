/**
 * Two volley/llm calls of one VU at once (Promise.all): each call's inter-token gaps are its own.
 * The VU's gap buffer was shared, so the first call to end also recorded the other's gaps so far,
 * and the second recorded the first's again: llm_inter_token_latency had too many samples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

test('llm: concurrent calls of one VU record each gap between token events once', async () => {
  const t = await startTarget({
    profile: 'none',
    routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 20 }, tokensPerSecond: { fixed: 50 }, outputTokens: { fixed: 10 } } } as never],
  });
  const dir = mkdtempSync(join(tmpdir(), 'volley-llm-gaps-'));
  try {
    const script = writeScript(`
      import llm from 'volley/llm';
      import { Counter } from 'volley/metrics';
      const expected = new Counter('expected_gaps');
      export const options = { vus: 1, iterations: 2, summaryTrendStats: ['count', 'avg'] };
      export default async function () {
        const ask = () => llm.chat({ baseUrl: __ENV.LLM_URL, model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
        const rs = await Promise.all([ask(), ask(), ask()]);
        for (const r of rs) if (r.ok) expected.add(r.tokenEvents - 1);
      }`);
    const out = join(dir, 's.json');
    const r = await runVolley(['run', script, '--quiet', '-e', `LLM_URL=${t.url}/v1`, '--summary-export', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const want = s.metrics.expected_gaps.count ?? s.metrics.expected_gaps.values?.count;
    const itl = s.metrics.llm_inter_token_latency;
    const got = itl.count ?? itl.values?.count;
    assert.ok(want >= 6 * 5, `expected ${want}`);
    assert.equal(got, want);
  } finally {
    await t.close();
  }
});
