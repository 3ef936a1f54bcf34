/** `--h2c` (and VOLLEY_H2C): HTTP/2 with prior knowledge to a plain http:// server, from the command line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { runVolley, writeScript } from './helpers.js';

test('--h2c reaches an HTTP/2-only http:// server; without it the requests fail', async () => {
  const server = createServer();
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200 });
    stream.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const script = writeScript(`
import http from 'volley/http';
import { check } from 'volley';
export const options = { iterations: 3, thresholds: { checks: ['rate==1'] } };
export default async function () {
  const res = await http.get(__ENV.URL);
  check(res, { 'HTTP/2': (r) => r.proto === 'HTTP/2.0' && r.status === 200 });
}
`);
  try {
    const on = await runVolley(['run', script, '--quiet', '--no-summary', '--h2c', '-e', `URL=${url}`], { timeoutMs: 30_000 });
    assert.equal(on.code, 0, on.stderr);
    const env = await runVolley(['run', script, '--quiet', '--no-summary', '-e', `URL=${url}`], { timeoutMs: 30_000, env: { VOLLEY_H2C: 'true' } });
    assert.equal(env.code, 0, env.stderr);
    const off = await runVolley(['run', script, '--quiet', '--no-summary', '-e', `URL=${url}`], { timeoutMs: 30_000 });
    assert.equal(off.code, 99, off.stderr);
  } finally {
    server.close();
  }
});
