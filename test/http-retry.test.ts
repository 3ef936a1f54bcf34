/**
 * params.retry: retries 429/503/network errors with full-jitter backoff, waits what Retry-After
 * says, counts retries, tags attempts, and keeps the final outcome apart from the first try.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runVolley, writeScript } from './helpers.js';
import { backoffMs, retryAfterMs, retryPlan } from '../src/protocols/http/retry.js';

let server: Server;
let base = '';
before(async () => {
  const seen = new Map<string, number>();
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const id = u.searchParams.get('id') ?? '';
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    if (u.pathname === '/flaky' && n <= 2) res.writeHead(503, { 'retry-after': '1' }).end('busy');
    else if (u.pathname === '/down') res.writeHead(502).end('down');
    else res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());

test('backoff is full jitter under an exponential cap; Retry-After in seconds or as a date', () => {
  const plan = { baseMs: 100, maxMs: 1000 };
  assert.equal(backoffMs(1, plan, () => 0.999999), 99.9999);
  assert.equal(backoffMs(3, plan, () => 0.5), 200);
  assert.equal(backoffMs(10, plan, () => 1), 1000);
  assert.equal(retryAfterMs('2'), 2000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4000), 6000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.throws(() => retryPlan({ attempts: 0 }), /params\.retry: attempts must be a number from 1 to 20/);
});

test('a script retries: Retry-After honoured, attempts tagged, retries counted, final outcome apart', async () => {
  const path = writeScript(`
import http from 'volley/http';
import { check } from 'volley';
export const options = {
  iterations: 1,
  thresholds: {
    http_req_retries: ['count==4'],
    'http_req_failed{attempt:1}': ['rate==1'],
    http_req_final_failed: ['rate==0.5'],
  },
};
export default async function () {
  const t0 = Date.now();
  const ok = await http.get('${base}/flaky?id=' + Math.random(), { retry: { attempts: 4, baseMs: 10 } });
  check(ok, { 'flaky succeeded on the 3rd attempt': (r) => r.status === 200, 'waited Retry-After twice': () => Date.now() - t0 >= 1950 });
  const down = await http.get('${base}/down', { retry: { attempts: 3, baseMs: 20, maxMs: 40 } });
  check(down, { 'down gave up with the last 502': (r) => r.status === 502 });
}
`);
  const out = join(dirname(path), 's.json');
  const r = await runVolley(['run', path, '--quiet', '--summary-export', out], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const s = JSON.parse(readFileSync(out, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
  assert.equal(s.metrics.checks!.values.rate, 1);
  assert.equal(s.metrics.http_reqs!.values.count, 6);
});
