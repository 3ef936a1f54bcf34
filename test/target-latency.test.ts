/**
 * Each latency model's p50/p99, measured by a client over real sockets and by the target's own
 * ground-truth stats, is within tolerance of what was configured. All models run at once so the test
 * stays short; tolerances cover sampling noise (3000 samples: the empirical p99 lies within about
 * ±12% of the true one) plus timer granularity and event-loop lag on a loaded 2-core machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { startTarget, type RouteConfig } from '../src/target/index.js';
import { hit, percentile, pool } from '../src/target/testing.js';

const N = 3000;
const CONCURRENCY = 30;

const models: { name: string; latency: RouteConfig['latency']; p50: number; p99: number }[] = [
  { name: 'fixed', latency: { fixed: '40ms' }, p50: 40, p99: 40 },
  { name: 'uniform', latency: { uniform: ['20ms', '60ms'] }, p50: 40, p99: 59.6 },
  { name: 'normal', latency: { normal: { mean: '40ms', stddev: '8ms' } }, p50: 40, p99: 40 + 8 * 2.3263 },
  { name: 'lognormal', latency: { lognormal: { p50: '25ms', p99: '150ms' } }, p50: 25, p99: 150 },
  { name: 'percentiles', latency: { percentiles: { p50: '30ms', p90: '60ms', p99: '120ms' } }, p50: 30, p99: 120 },
];

test('latency models: client-side and target-side p50/p99 match the configuration', async () => {
  const t = await startTarget({ config: { seed: 1, routes: models.map((m) => ({ method: 'GET', path: `/${m.name}`, latency: m.latency })) } });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * models.length });
  try {
    const client = await Promise.all(
      models.map(async (m) => {
        const rs = await pool(N, CONCURRENCY, () => hit(`${t.url}/${m.name}`, { agent }));
        assert.ok(rs.every((r) => r.status === 200));
        const ms = rs.map((r) => r.ms);
        return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
      }),
    );
    const stats = t.stats();
    const failures: string[] = [];
    models.forEach((m, i) => {
      const server = stats.routes[`GET /${m.name}`]!;
      assert.equal(server.count, N);
      const c = client[i]!;
      const s = server.serviceTimeMs;
      const line = `${m.name}: configured p50 ${m.p50.toFixed(1)} p99 ${m.p99.toFixed(1)} | target p50 ${s.p50} p99 ${s.p99} | client p50 ${c.p50.toFixed(1)} p99 ${c.p99.toFixed(1)}`;
      // Target side: the sampled delay plus timer granularity (≈1 ms) and a little loop lag.
      const serverOk = (v: number, want: number, rel: number) => v >= want * (1 - rel) - 0.5 && v <= want * (1 + rel) + 6;
      // Client side: never faster than the target, later by the round trip and loop lag.
      const clientOk = (v: number, want: number, rel: number) => v >= want * (1 - rel) - 0.5 && v <= want * (1 + rel) + 25;
      const rel50 = 0.08;
      const rel99 = m.name === 'fixed' ? 0.08 : 0.2;
      if (!serverOk(s.p50, m.p50, rel50) || !serverOk(s.p99, m.p99, rel99) || !clientOk(c.p50, m.p50, rel50) || !clientOk(c.p99, m.p99, rel99)) failures.push(line);
      // The client measures the same requests plus transport: its p50 cannot be meaningfully below the target's.
      if (c.p50 < s.p50 - 0.5) failures.push(`${line} (client p50 below target p50)`);
      console.log(line);
    });
    assert.deepEqual(failures, []);
  } finally {
    agent.destroy();
    await t.close();
  }
});
