/**
 * `volley run --dashboard` end to end: the CLI serves the dashboard on loopback, the browser feed
 * (Server-Sent Events) carries live updates from the real run, and the final summary at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, ROOT, startTestServer, writeScript } from './helpers.js';

test('volley run --dashboard streams live updates and the final summary over SSE', async () => {
  const server = await startTestServer();
  const script = writeScript(`
    import http from 'volley/http';
    import { sleep } from 'volley';
    export const options = { vus: 2, duration: '4s', thresholds: { http_req_duration: ['p(95)<5000'] } };
    export default async function () { await http.get(__ENV.BASE_URL + '/ok'); await sleep(0.05); }`);
  const child = spawn(process.execPath, [BIN, 'run', script, '--quiet', '--dashboard', '--dashboard-port', '0', '-e', `BASE_URL=${server.url}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on('close', () => reject(new Error(`exited before the dashboard started: ${err}`)));
    });
    const events = new URL('events', url);
    const res = await fetch(events, { headers: { accept: 'text/event-stream' } });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !/event: end/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    await reader.cancel();
    assert.match(text, /event: update/);
    assert.match(text, /event: end/);
    // The end event carries the summary of this run: its request count is in there.
    const endData = /event: end\ndata: (.*)\n/.exec(text)?.[1] ?? '';
    assert.match(endData, /http_reqs/);
  } finally {
    clearTimeout(killer);
    await new Promise((r) => (child.exitCode === null ? child.on('close', r) : r(undefined)));
    await server.close();
  }
  assert.equal(child.exitCode, 0);
});
