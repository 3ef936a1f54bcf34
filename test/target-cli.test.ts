/**
 * `volley target` entry point (runTargetCommand): banner with URL and routes, clean stop on
 * SIGINT/SIGTERM, port-in-use and config errors as VolleyErrors; examples/target.yaml runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ROOT } from './helpers.js';
import { loadTargetConfig, runTargetCommand, startTarget, type RunningTarget } from '../src/target/index.js';
import { hit } from '../src/target/testing/timed-client.js';

test('prints the URL and route list, serves, and stops when signalled', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const ac = new AbortController();
  let target: RunningTarget | undefined;
  const running = runTargetCommand({ port: 0, host: '127.0.0.1', out, signal: ac.signal, onListening: (t) => (target = t) });
  while (!target) await new Promise((r) => setTimeout(r, 10));
  assert.match(text, new RegExp(`^volley target listening on ${target.url.replace(/[.]/g, '\\.')}  \\(no config, profile demo\\)`));
  assert.match(text, /^ {2}GET {5}\/api\/assignments\/:user$/m);
  assert.match(text, /^ {2}POST {4}\/v1\/chat\/completions {2}\[llm-chat\]$/m);
  assert.match(text, /GET \/__volley\/stats/);
  assert.equal((await hit(`${target.url}/health`)).status, 200);
  ac.abort();
  await running;
  assert.match(text, /volley target: stopping/);
  await assert.rejects(hit(`${target.url}/health`), /ECONNREFUSED/);
});

test('a port in use is a VolleyError naming the port', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  try {
    await assert.rejects(runTargetCommand({ port, host: '127.0.0.1', out: new PassThrough() }), (e: Error & { code?: string; exitCode?: number }) => {
      assert.equal(e.code, 'E_TARGET_PORT');
      assert.equal(e.exitCode, 104);
      assert.match(e.message, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      return true;
    });
    await assert.rejects(startTarget({ port: 70_000 }), /port must be a whole number from 0 to 65535/);
  } finally {
    blocker.close();
  }
});

test('an invalid --config file fails before listening, naming the file and field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'volley-target-cli-'));
  try {
    const file = join(dir, 'target.yaml');
    await writeFile(file, 'routes:\n  - path: /a\n  - path: /b\n    latency: { lognormal: { p50: 20ms, p99: fast } }\n');
    await assert.rejects(runTargetCommand({ port: 0, host: '127.0.0.1', config: file, out: new PassThrough() }), (e: Error & { code?: string; exitCode?: number }) => {
      assert.equal(e.code, 'E_TARGET_CONFIG');
      assert.equal(e.exitCode, 104);
      assert.equal(e.message, `${file}: routes[1].latency.lognormal.p99: expected a duration like "300ms", got "fast"`);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a real process stops cleanly on SIGINT and on SIGTERM', async () => {
  const script = `
    import { runTargetCommand } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'target', 'index.js'))};
    await runTargetCommand({ port: 0, host: '127.0.0.1' });
    console.log('exited cleanly');`;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const onData = () => {
        const m = /listening on (http:\/\/\S+)/.exec(text);
        if (m) resolve(m[1]!);
      };
      child.stdout.on('data', onData);
      child.once('exit', (c) => reject(new Error(`exited early (${c}): ${text}`)));
      setTimeout(() => reject(new Error(`no banner within 10 s: ${text}`)), 10_000).unref();
    });
    assert.equal((await hit(`${url}/health`)).status, 200);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill(signal);
    });
    assert.equal(code, 0, `${signal}: ${text}`);
    assert.match(text, /volley target: stopping\nexited cleanly/);
  }
});

test('examples/target.yaml starts and its routes answer', async () => {
  const config = await loadTargetConfig(join(ROOT, 'examples', 'target.yaml'));
  const t = await startTarget({ config });
  try {
    assert.equal(t.profile, 'none');
    const [health, user, order, events] = await Promise.all([
      hit(`${t.url}/health`),
      hit(`${t.url}/api/users/7`),
      hit(`${t.url}/api/orders/ord_1`),
      hit(`${t.url}/events`, { timeoutMs: 100 }).catch((e: NodeJS.ErrnoException) => e.code),
    ]);
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(user.body).id, '7');
    assert.equal(JSON.parse(order.body).item, 'book');
    assert.equal(events, 'ETIMEDOUT'); // a 20-event stream, 250 ms apart: still going
    const items = await hit(`${t.url}/api/items/1`);
    assert.ok(items.status === 200 || items.status === 503);
  } finally {
    await t.close();
  }
});
