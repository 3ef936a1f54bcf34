/**
 * A hard stop ends an sse.open waiting to reconnect at once: the server's `retry:` (here 60 s)
 * must not hold the stopped VU, its iteration, the worker and sse_open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runVolley, writeScript } from './helpers.js';

test('sse.open waiting 60 s (retry:) to reconnect ends at the hard stop; sse_open is 0 at the end', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('retry: 60000\ndata: x\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const dir = mkdtempSync(join(tmpdir(), 'volley-sse-retry-'));
  try {
    const script = writeScript(`
      import sse from 'volley/sse';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '2s', gracefulStop: '0s' } } };
      export default async function () { await sse.open(__ENV.URL, { reconnect: 3 }); }`);
    const out = join(dir, 's.json');
    const t0 = Date.now();
    const r = await runVolley(['run', script, '--quiet', '--workers', '1', '-e', `URL=${url}`, '--summary-export', out], { timeoutMs: 40_000 });
    const took = Date.now() - t0;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(took < 20_000, `the run took ${took} ms`);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(s.metrics.sse_open.values.value, 0);
  } finally {
    server.close();
    server.closeAllConnections();
  }
});
