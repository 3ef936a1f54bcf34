import { startTarget } from '/work/wt/llm/dist/src/target/server.js';
import http from 'node:http';
const t = await startTarget({ profile: 'none', routes: [{ kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: { fixed: 100 }, tokensPerSecond: { fixed: 50 } } }] });
for (let i = 0; i < 4; i++) {
  await new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const th = performance.now() - t0; let first = 0; let n = 0;
      res.on('data', (c) => { n++; if (!first) first = performance.now() - t0; });
      res.on('end', () => { console.log('headers', th.toFixed(1), 'first', first.toFixed(1), 'end', (performance.now() - t0).toFixed(1), n); resolve(); });
    });
    req.end(JSON.stringify({ messages: [{ role: 'user', content: 'x' }], max_tokens: 20, stream: true }));
  });
}
await t.close();
