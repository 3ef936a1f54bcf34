import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpPost } from './monitoring-http.js';
import { PushError, PushQueue } from './monitoring-queue.js';

/** A real receiver on 127.0.0.1: answers with `status()` and records bodies. */
async function receiver(status: () => number = () => 204): Promise<{ url: URL; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const code = status();
      if (code < 300) bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(code, { 'Content-Type': 'text/plain' }).end(code >= 400 ? `bad thing ${code}` : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/write`);
  return {
    url,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A port with nothing listening (bound, then closed). */
async function deadUrl(): Promise<URL> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return new URL(`http://127.0.0.1:${port}/write`);
}

function queueTo(url: () => URL, warnings: string[], extra: { maxItems?: number; initialBackoffMs?: number } = {}): PushQueue<string> {
  return new PushQueue<string>({
    label: 'test (x)',
    send: (item, signal) => httpPost(url(), item, { 'Content-Type': 'text/plain' }, { timeoutMs: 2000, signal }),
    sizeOf: (item) => item.length,
    warn: (m) => warnings.push(m),
    initialBackoffMs: extra.initialBackoffMs ?? 50,
    maxBackoffMs: 200,
    ...(extra.maxItems !== undefined ? { maxItems: extra.maxItems } : {}),
  });
}

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers) await c();
});

describe('PushQueue', () => {
  it('delivers pushes in order', async () => {
    const r = await receiver();
    closers.push(r.close);
    const warnings: string[] = [];
    const q = queueTo(() => r.url, warnings);
    for (let i = 0; i < 5; i++) q.push(`p${i}`);
    await q.drain(5000);
    assert.deepEqual(r.bodies, ['p0', 'p1', 'p2', 'p3', 'p4']);
    assert.equal(q.sent, 5);
    assert.equal(q.dropped, 0);
    assert.deepEqual(warnings, []);
  });

  it('an unreachable endpoint: push() returns at once, one warning, retries with backoff, drops the oldest past the bound', async () => {
    const dead = await deadUrl();
    const warnings: string[] = [];
    const q = queueTo(() => dead, warnings, { maxItems: 3 });
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) q.push(`p${i}`);
    // push() never waits for the network: generous bound for a loaded machine.
    assert.ok(performance.now() - t0 < 200, 'push must not block');
    await sleep(600);
    assert.ok(q.failures >= 3, `expected several retries, got ${q.failures}`);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /^output test \(x\): cannot push \(ECONNREFUSED\); retrying with backoff, the test goes on$/);
    // 10 pushed, at most 3 kept.
    assert.equal(q.dropped, 7);
    await q.drain(300);
    assert.equal(q.dropped, 10);
    assert.equal(q.sent, 0);
  });

  it('backoff grows between retries (exponential, capped)', async () => {
    const dead = await deadUrl();
    const q = queueTo(() => dead, [], { initialBackoffMs: 100 });
    q.push('x');
    await sleep(1000);
    // 100 + 200 + 200 + 200 ... ms between attempts (cap 200): about 5-6 attempts in 1 s, far
    // fewer than without backoff. Generous bounds for a noisy machine.
    assert.ok(q.failures >= 2 && q.failures <= 8, `failures ${q.failures}`);
    await q.drain(0);
  });

  it('recovers when the endpoint comes back and sends what it kept, in order', async () => {
    let up = false;
    const r = await receiver(() => (up ? 204 : 503));
    closers.push(r.close);
    const warnings: string[] = [];
    const q = queueTo(() => r.url, warnings);
    q.push('a');
    q.push('b');
    await sleep(150);
    assert.ok(q.failures >= 1);
    up = true;
    q.push('c');
    await q.drain(5000);
    assert.deepEqual(r.bodies, ['a', 'b', 'c']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /HTTP 503: bad thing 503/);
  });

  it('a rejected push (4xx) is dropped, not retried; one warning with the response', async () => {
    let n = 0;
    const r = await receiver(() => (n++ === 0 ? 400 : 204));
    closers.push(r.close);
    const warnings: string[] = [];
    const q = queueTo(() => r.url, warnings);
    q.push('bad');
    q.push('good');
    await q.drain(5000);
    assert.deepEqual(r.bodies, ['good']);
    assert.equal(q.dropped, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /rejected a push \(HTTP 400: bad thing 400\)/);
  });

  it('drain() is bounded in time when the endpoint never answers', async () => {
    // Accepts connections and never responds.
    const server = http.createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const q = queueTo(() => url, []);
    q.push('x');
    q.push('y');
    const t0 = performance.now();
    await q.drain(300);
    const took = performance.now() - t0;
    assert.ok(took >= 250 && took < 2000, `drain took ${took} ms`);
    assert.equal(q.dropped, 2);
  });

  it('PushError says whether a failure is permanent', () => {
    assert.equal(new PushError('x', true).permanent, true);
  });
});
