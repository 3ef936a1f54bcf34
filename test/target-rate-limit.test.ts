/**
 * Token-bucket rate limiting answers 429 (with Retry-After) beyond the configured rate, globally and
 * per client key; scheduled 429 storms refuse requests only inside their windows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startTarget } from '../src/target/index.js';
import { hit, sleep, type Timed } from '../src/target/testing/timed-client.js';

test('rate limit: burst, then the configured rate; 429 with Retry-After beyond it', async () => {
  const rate = 20; // per second
  const burst = 5;
  const t = await startTarget({ routes: [{ path: '/limited', rateLimit: { rate, per: '1s', burst } }] });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    // Offer ~100 req/s for 2 s (4 loops, one request in flight each, 40 ms apart per loop).
    const results: Timed[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async (_, k) => {
        await sleep(k * 10);
        while (performance.now() - start < 2000) {
          results.push(await hit(`${t.url}/limited`, { agent }));
          await sleep(40);
        }
      }),
    );
    const elapsedS = (Math.max(...results.map((r) => r.endMs)) - start) / 1000;
    const ok = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    const expected = burst + rate * elapsedS;
    assert.ok(results.length > expected * 1.5, `offered load too low (${results.length} requests) to test the limit`);
    assert.ok(Math.abs(ok - expected) <= 4, `200s: ${ok}, expected ≈ ${expected.toFixed(1)} over ${elapsedS.toFixed(2)} s`);
    assert.equal(ok + limited.length, results.length);
    for (const r of limited) {
      assert.ok(Number(r.headers['retry-after']) >= 1, 'Retry-After in whole seconds, at least 1');
      assert.equal(JSON.parse(r.body).error.code, 'rate_limit_exceeded');
    }
    // The target's own counts agree with the client's.
    const s = t.stats().routes['GET /limited']!;
    assert.deepEqual(s.statuses, { '200': ok, '429': limited.length });
  } finally {
    agent.destroy();
    await t.close();
  }
});

test('rate limit per client key: each key has its own bucket', async () => {
  const t = await startTarget({ routes: [{ path: '/k', rateLimit: { rate: 1, per: '10s', burst: 3, key: 'X-Api-Key' } }] });
  try {
    const count = async (key: string | undefined) => {
      let ok = 0;
      for (let i = 0; i < 5; i++) if ((await hit(`${t.url}/k`, key ? { headers: { 'x-api-key': key } } : {})).status === 200) ok++;
      return ok;
    };
    assert.equal(await count('a'), 3);
    assert.equal(await count('b'), 3);
    assert.equal(await count(undefined), 3); // no key: one shared anonymous bucket
    const r = await hit(`${t.url}/k`, { headers: { 'x-api-key': 'a' } });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers['retry-after']) >= 9 && Number(r.headers['retry-after']) <= 10);
    t.reset({ state: true }); // state reset refills buckets
    assert.equal((await hit(`${t.url}/k`, { headers: { 'x-api-key': 'a' } })).status, 200);
  } finally {
    await t.close();
  }
});

test('429 storms: refused inside the scheduled windows only, with Retry-After = time left', async () => {
  const before = performance.now();
  const t = await startTarget({ config: { routes: [{ path: '/s' }], storms: [{ at: '300ms', every: '800ms', for: '300ms' }] } });
  const after = performance.now();
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  try {
    const results: Timed[] = [];
    while (performance.now() - before < 1700) {
      results.push(await hit(`${t.url}/s`, { agent }));
      await sleep(15);
    }
    // Windows in ms since the target's origin (which lies between `before` and `after`).
    const windows = [
      [300, 600],
      [1100, 1400],
    ] as const;
    let checked = 0;
    for (const r of results) {
      // The request reached the target somewhere in [lo, hi] ms after its origin.
      const lo = r.startMs - after;
      const hi = r.endMs - before;
      const inside = windows.some(([a, b]) => lo >= a && hi < b);
      const outside = windows.every(([a, b]) => hi < a || lo >= b);
      if (inside) {
        assert.equal(r.status, 429, `request at ${lo.toFixed(0)}–${hi.toFixed(0)} ms should be refused`);
        assert.equal(r.headers['retry-after'], '1', 'time left in a 300 ms window rounds up to 1 s');
        checked++;
      } else if (outside) {
        assert.equal(r.status, 200, `request at ${lo.toFixed(0)}–${hi.toFixed(0)} ms should pass`);
        checked++;
      }
    }
    assert.ok(checked > results.length / 2, `too few unambiguous samples (${checked}/${results.length})`);
    assert.ok(results.some((r) => r.status === 429) && results.some((r) => r.status === 200));
  } finally {
    agent.destroy();
    await t.close();
  }
});
