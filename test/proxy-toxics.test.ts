/**
 * TCP toxics with Toxiproxy's semantics on a TCP proxy in front of a loopback echo server, driven
 * through the control API by Toxiproxy's own Node client (toxiproxy-node-client from npm).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Server as HttpServer } from 'node:http';
import { Toxiproxy } from 'toxiproxy-node-client';
import { ProxyCollection, createApiServer } from '../src/proxy/index.js';
import { lagProbe } from '../src/target/testing/timed-client.js';

let echo: Server;
let echoPort = 0;
let api: HttpServer;
let apiUrl = '';
const collection = new ProxyCollection();
let lagMs = () => 0;
let stopLag = () => {};

before(async () => {
  echo = createServer({ allowHalfOpen: true }, (s) => {
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
    s.on('error', () => {});
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as { port: number }).port;
  api = createApiServer(collection);
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  const lag = lagProbe();
  lagMs = () => lag.maxMs();
  stopLag = () => lag.stop();
});
after(async () => {
  stopLag();
  api.closeAllConnections();
  api.close();
  await collection.close();
  echo.close();
});

/** A connected client with a helper: send, and wait for `n` bytes back (or the end). */
async function client(listen: string): Promise<{ s: Socket; roundTrip(data: string): Promise<{ ms: number; got: string }>; closed: Promise<string> }> {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
  const s = connect(port, host);
  await new Promise<void>((r, j) => s.once('connect', r).once('error', j));
  let buf = '';
  let want = 0;
  let done: ((v: string) => void) | undefined;
  s.on('data', (d) => {
    buf += d.toString();
    if (done && buf.length >= want) done(buf);
  });
  const closed = new Promise<string>((resolve) => {
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    s.on('close', () => resolve('closed'));
  });
  return {
    s,
    closed,
    roundTrip: async (data: string) => {
      buf = '';
      want = data.length;
      const t0 = performance.now();
      const got = await Promise.race([new Promise<string>((r) => (done = r)), closed.then((c) => `[${c}] ${buf}`)]);
      done = undefined;
      return { ms: performance.now() - t0, got };
    },
  } as never;
}

test('the Toxiproxy client creates a proxy, reads the version, lists and resets', async () => {
  const tp = new Toxiproxy(apiUrl);
  assert.match(await tp.getVersion(), /"version"/);
  const p = await tp.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` });
  assert.equal(p.name, 'echo');
  assert.equal(p.enabled, true);
  const all = await tp.getAll();
  assert.deepEqual(Object.keys(all), ['echo']);
  const c = await client(all.echo!.listen);
  c.s.write('ping');
  assert.equal((await c.roundTrip('ping')).got, 'ping');
  c.s.destroy();
  await assert.rejects(tp.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` }), /409/);
  await tp.reset();
});

test('latency + jitter toxic (downstream, via the client) delays each chunk by latency ± jitter', async () => {
  const tp = new Toxiproxy(apiUrl);
  const p = await tp.get('echo');
  const toxic = await p.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 120, jitter: 20 } });
  assert.equal(toxic.name, 'slow');
  const c = await client(p.listen);
  for (let i = 0; i < 3; i++) {
    const rt = c.roundTrip('x');
    c.s.write('x');
    const { ms } = await rt;
    assert.ok(ms >= 99 && ms < 160 + lagMs(), `round trip ${ms} ms`);
  }
  // Toxics change live on open connections: removed, the next round trip is fast.
  await toxic.remove();
  const rt = c.roundTrip('y');
  c.s.write('y');
  assert.ok((await rt).ms < 60 + lagMs());
  c.s.destroy();
});

test('toxicity is drawn per connection', async () => {
  const p = await collection.add({ name: 'toxicity', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` });
  p.addToxic({ name: 'half', type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 200, jitter: 0 } });
  let slow = 0;
  const N = 40;
  for (let i = 0; i < N; i++) {
    const c = await client(p.listen);
    const rt = c.roundTrip('z');
    c.s.write('z');
    if ((await rt).ms >= 150) slow++;
    c.s.destroy();
  }
  assert.ok(slow > N * 0.5 - 5 * Math.sqrt(N / 4) && slow < N * 0.5 + 5 * Math.sqrt(N / 4), `${slow} of ${N} slow`);
  assert.equal(p.toxicDraws.get('latency'), slow);
});

test('bandwidth, slicer, limit_data', async () => {
  const p = await collection.add({ name: 'shape', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` });
  const payload = 'a'.repeat(20_000);
  p.setToxics([{ name: 'bw', type: 'bandwidth', stream: 'downstream', toxicity: 1, attributes: { rate: 50 } }]);
  let c = await client(p.listen);
  let rt = c.roundTrip(payload);
  c.s.write(payload);
  let r = await rt;
  assert.equal(r.got.length, 20_000);
  assert.ok(r.ms >= 350, `20 kB at 50 KB/s took ${r.ms} ms`); // 400 ms
  c.s.destroy();

  p.setToxics([{ name: 'sl', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 100, size_variation: 10, delay: 2000 } }]);
  c = await client(p.listen);
  let chunks = 0;
  c.s.on('data', () => chunks++);
  rt = c.roundTrip('b'.repeat(2000));
  c.s.write('b'.repeat(2000));
  r = await rt;
  assert.equal(r.got, 'b'.repeat(2000));
  assert.ok(chunks >= 8, `${chunks} chunks`);
  c.s.destroy();

  p.setToxics([{ name: 'lim', type: 'limit_data', stream: 'downstream', toxicity: 1, attributes: { bytes: 1000 } }]);
  c = await client(p.listen);
  let got = 0;
  c.s.on('data', (d) => (got += d.length));
  c.s.write('c'.repeat(3000));
  assert.equal(await c.closed, 'closed');
  assert.equal(got, 1000);
});

test('timeout drops data and closes after its timeout; reset_peer resets; slow_close delays the close', async () => {
  const p = await collection.add({ name: 'close', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` });
  p.setToxics([{ name: 't', type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 200 } }]);
  let c = await client(p.listen);
  let got = '';
  c.s.on('data', (d) => (got += d.toString()));
  const t0 = performance.now();
  c.s.write('dropped');
  assert.equal(await c.closed, 'closed');
  const ms = performance.now() - t0;
  assert.equal(got, '');
  assert.ok(ms >= 190 && ms < 400 + lagMs(), `closed after ${ms} ms`);

  p.setToxics([{ name: 'r', type: 'reset_peer', stream: 'upstream', toxicity: 1, attributes: { timeout: 50 } }]);
  c = await client(p.listen);
  c.s.write('x');
  assert.equal(await c.closed, 'ECONNRESET');

  p.setToxics([{ name: 'sc', type: 'slow_close', stream: 'downstream', toxicity: 1, attributes: { delay: 250 } }]);
  c = await client(p.listen);
  const t1 = performance.now();
  c.s.end('bye');
  assert.equal(await c.closed, 'closed');
  assert.ok(performance.now() - t1 >= 240, 'the close came early');
});

test('down: disabling a proxy (Toxiproxy client update) closes connections and refuses new ones; enabling restores', async () => {
  const tp = new Toxiproxy(apiUrl);
  const p = await tp.createProxy({ name: 'downer', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echoPort}` });
  const c = await client(p.listen);
  await p.update({ enabled: false, listen: p.listen, upstream: p.upstream });
  assert.equal(await c.closed, 'closed');
  await assert.rejects(client(p.listen), /ECONNREFUSED/);
  await p.update({ enabled: true, listen: p.listen, upstream: p.upstream });
  const c2 = await client(p.listen);
  const rt = c2.roundTrip('up');
  c2.s.write('up');
  assert.equal((await rt).got, 'up');
  c2.s.destroy();
});

test('API errors have Toxiproxy shape; populate; HTTP faults on an HTTP proxy through the API', async () => {
  const r = await fetch(`${apiUrl}/proxies/nope`);
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), { error: 'proxy not found', status: 404 });
  const bad = await fetch(`${apiUrl}/proxies/echo/toxics`, { method: 'POST', body: JSON.stringify({ type: 'nonsense' }) });
  assert.equal(bad.status, 400);
  const browser = await fetch(`${apiUrl}/proxies`, { headers: { 'user-agent': 'Mozilla/5.0' } });
  assert.equal(browser.status, 403);
  const pop = await fetch(`${apiUrl}/populate`, { method: 'POST', body: JSON.stringify([{ name: 'web', listen: '127.0.0.1:0', upstream: `http://127.0.0.1:${echoPort}` }]) });
  assert.equal(pop.status, 201);
  const f = await fetch(`${apiUrl}/proxies/web/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 429, rate: 1, headers: { 'retry-after': '1' } }) });
  assert.equal(f.status, 201);
  const fj = (await f.json()) as { name: string; kind: string };
  assert.equal(fj.kind, 'status');
  const web = collection.get('web');
  const res = await fetch(`http://${web.listen}/anything`);
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '1');
  const list = (await (await fetch(`${apiUrl}/proxies/web/faults`)).json()) as { injected: number }[];
  assert.equal(list[0]!.injected, 1);
  const badFault = await fetch(`${apiUrl}/proxies/web/faults`, { method: 'POST', body: JSON.stringify({ kind: 'explode', rate: 2 }) });
  assert.equal(badFault.status, 400);
  assert.match(((await badFault.json()) as { error: string }).error, /unknown fault kind "explode"/);
});
