import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { startTarget } from '/work/wt/llm/dist/src/target/server.js';
import { exchange, GapBuffer } from '/work/wt/llm/dist/src/protocols/llm/exchange.js';
const t = await startTarget({ profile: 'none', routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 100 }, tokensPerSecond: { fixed: 50 } } }] });
const agent = new Agent({ connections: null });
const streams = Number(process.argv[2] ?? 1);
const call = { endpoint: 'chat', baseUrl: `${t.url}/v1`, model: 'm', messages: [{ role: 'user', content: 'x' }], maxTokens: 20, stream: true };
for (let round = 0; round < 3; round++) {
  const res = await Promise.all(Array.from({ length: streams }, () => exchange(agent, call, { t0: performance.now(), timeoutMs: 5000, gaps: new GapBuffer() })));
  const tt = res.map((o) => o.ttft.toFixed(1)).sort((a,b)=>a-b);
  console.log(round, tt.slice(0, 5).join(' '), '...', tt.slice(-5).join(' '), 'dur', res.map(o=>o.duration.toFixed(0)).slice(0,5).join(' '));
}
await agent.close(); await t.close();
