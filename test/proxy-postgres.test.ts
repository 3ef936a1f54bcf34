/**
 * TCP faults against a real PostgreSQL on loopback: `psql` through a TCP proxy, with Toxiproxy's
 * latency, reset_peer and down. Needs PostgreSQL's server binaries (Debian package `postgresql`,
 * installed by `.ci/setup` in CI); skipped with a message when they are missing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProxyCollection, type Proxy } from '../src/proxy/index.js';

const PG_ROOT = '/usr/lib/postgresql';
const bin = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).map((v) => join(PG_ROOT, v, 'bin')).find((b) => existsSync(join(b, 'initdb'))) : undefined;
const skip = bin === undefined ? 'PostgreSQL server binaries not installed (apt-get install postgresql)' : false;
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root (initdb refuses root). */
function pgArgs(cmd: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin!, cmd), ...args]] : [join(bin!, cmd), args];
}
function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<{ code: number; out: string; err: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err, ms: performance.now() - t0 }));
  });
}
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}

let dir = '';
let pg: ChildProcess | undefined;
let pgPort = 0;
const proxies = new ProxyCollection();
let proxy: Proxy;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'volley-pg-'));
  if (asRoot) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).out), Number((await run('id', ['-g', 'postgres'])).out));
  const init = await run(...pgArgs('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']), 60_000);
  assert.equal(init.code, 0, init.err);
  pgPort = await freePort();
  const [cmd, args] = pgArgs('postgres', ['-D', join(dir, 'data'), '-p', String(pgPort), '-k', dir, '-h', '127.0.0.1', '-c', 'fsync=off']);
  pg = spawn(cmd, args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if ((await run(join(bin!, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(pgPort)])).code === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  proxy = await proxies.add({ name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${pgPort}` });
});
after(async () => {
  await proxies.close();
  if (pg?.pid !== undefined && pg.exitCode === null) {
    const exited = new Promise((r) => pg!.once('exit', r));
    // The postmaster's own PID (runuser does not pass signals on): SIGINT is its fast shutdown.
    const pidFile = join(dir, 'data', 'postmaster.pid');
    const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : pg.pid;
    process.kill(postmaster, 'SIGINT');
    const timer = setTimeout(() => process.kill(postmaster, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const psql = (sql: string) => {
  const [host, port] = proxy.listen.split(':');
  return run('psql', ['-h', host!, '-p', port!, '-U', 'postgres', '-d', 'postgres', '-At', '-c', sql]);
};

test('psql through the proxy; latency on every round trip; reset_peer resets; down refuses', { skip }, async () => {
  const plain = await psql('select 40 + 2');
  assert.equal(plain.code, 0, plain.err);
  assert.equal(plain.out.trim(), '42');

  proxy.setToxics([{ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 150, jitter: 0 } }]);
  const slow = await psql('select 1');
  assert.equal(slow.out.trim(), '1');
  // Startup, authentication and the query are at least 2 round trips: ≥ 300 ms more than plain.
  assert.ok(slow.ms - plain.ms >= 250, `plain ${plain.ms.toFixed(0)} ms, with latency ${slow.ms.toFixed(0)} ms`);

  proxy.setToxics([{ name: 'rst', type: 'reset_peer', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } }]);
  const reset = await psql('select 1');
  assert.notEqual(reset.code, 0);
  assert.match(reset.err, /server closed the connection unexpectedly|Connection reset|could not receive data/i);

  proxy.setToxics([]);
  await proxy.stop();
  const down = await psql('select 1');
  assert.notEqual(down.code, 0);
  assert.match(down.err, /Connection refused|could not connect/i);
  await proxy.start();
  assert.equal((await psql('select 1')).out.trim(), '1');
});
