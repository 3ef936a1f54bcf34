import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { startTargetProcess } from '/work/wt/llm/dist/src/protocols/llm/testing/target-process.js';
import { exchange, GapBuffer } from '/work/wt/llm/dist/src/protocols/llm/exchange.js';
const t = await startTargetProcess({ profile: 'none', routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 100 }, tokensPerSecond: { fixed: 50 } } }] });
const agent = new Agent({ connections: null });
const call = { endpoint: 'chat', baseUrl: `${t.url}/v1`, model: 'm', messages: [{ role: 'user', content: 'x' }], maxTokens: 20, stream: true };
for (let i = 0; i < 8; i++) {
  await t.reset();
  const o = await exchange(agent, call, { t0: performance.now(), timeoutMs: 5000, gaps: new GapBuffer() });
  const s = (await t.stats()).routes['POST /v1/chat/completions'];
  console.log(o.ttft.toFixed(2), s.llm.ttftMs.p50, o.duration.toFixed(2), s.serviceTimeMs.p50);
}
await agent.close(); await t.close();
