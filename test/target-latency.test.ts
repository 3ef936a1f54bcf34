/**
 * Each latency model's p50/p99, measured by a client over real sockets and by the target's own
 * ground-truth stats, is within tolerance of what was configured. All models run at once so the test
 * stays short.
 *
 * Tolerances: sampling noise (2000 samples: the empirical p99 lies within about +20/-11% of the true
 * one for these shapes) and timer granularity (≈1 ms). On a CPU-starved machine timers also fire late
 * and every in-flight request is delayed together; the `fixed` route runs alongside as the control:
 * how far its p50 is above 40 ms is the delay the machine added, in the same conditions and weighted
 * by requests, and it is added to the other models' p50 upper bounds; p99 upper bounds add the worst
 * event-loop delay seen (a freeze delays a request by at most its length). Lower bounds stay tight:
 * the target can never answer before the sampled delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startTarget, type RouteConfig } from '../src/target/index.js';
import { hit, percentile, pool } from '../src/target/testing/timed-client.js';

const N = 2000;
const CONCURRENCY = 20;

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
  const loop = monitorEventLoopDelay({ resolution: 2 });
  loop.enable();
  try {
    const client = await Promise.all(
      models.map(async (m) => {
        const rs = await pool(N, CONCURRENCY, () => hit(`${t.url}/${m.name}`, { agent }));
        assert.ok(rs.every((r) => r.status === 200));
        const ms = rs.map((r) => r.ms);
        return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
      }),
    );
    loop.disable();
    const loopMaxMs = loop.max / 1e6;
    const stats = t.stats();
    const server = models.map((m) => {
      const r = stats.routes[`GET /${m.name}`]!;
      assert.equal(r.count, N);
      return r.serviceTimeMs;
    });
    // The control (fixed 40 ms): what the machine added at p50 and p99, target- and client-side.
    const CONTROL = 40;
    const lag = {
      server50: Math.max(0, server[0]!.p50 - CONTROL),
      server99: Math.max(0, server[0]!.p99 - CONTROL),
      client50: Math.max(0, client[0]!.p50 - CONTROL),
      client99: Math.max(0, client[0]!.p99 - CONTROL),
    };
    console.log(`machine-added delay (control): target p50 +${lag.server50.toFixed(1)} p99 +${lag.server99.toFixed(1)} ms, client p50 +${lag.client50.toFixed(1)} p99 +${lag.client99.toFixed(1)} ms; event-loop max ${loopMaxMs.toFixed(0)} ms`);
    const failures: string[] = [];
    const within = (v: number, want: number, rel: number, extra: number) => v >= want * (1 - rel) - 0.5 && v <= want * (1 + rel) + extra;
    models.forEach((m, i) => {
      const c = client[i]!;
      const s = server[i]!;
      const line = `${m.name}: configured p50 ${m.p50.toFixed(1)} p99 ${m.p99.toFixed(1)} | target p50 ${s.p50} p99 ${s.p99} | client p50 ${c.p50.toFixed(1)} p99 ${c.p99.toFixed(1)}`;
      console.log(line);
      if (i === 0) {
        // The control itself: never early; p50 late by little; p99 late by at most the worst loop stall.
        if (!within(s.p50, CONTROL, 0, 3 + loopMaxMs / 10) || !within(s.p99, CONTROL, 0, 4 + loopMaxMs)) failures.push(line);
        return;
      }
      const rel50 = 0.08;
      const rel99 = 0.22;
      // p99 is 1% of requests: whichever requests a freeze happened to catch. A freeze adds at most
      // its own length to a request, so the worst loop delay bounds the shift (1.5× for requests
      // caught by two); the control's shift is used when larger.
      const freeze = 1.5 * loopMaxMs;
      if (!within(s.p50, m.p50, rel50, 4 + lag.server50) || !within(s.p99, m.p99, rel99, 4 + Math.max(lag.server99, freeze))) failures.push(`${line} (target)`);
      if (!within(c.p50, m.p50, rel50, 6 + lag.client50) || !within(c.p99, m.p99, rel99, 10 + Math.max(lag.client99, 2 * freeze))) failures.push(`${line} (client)`);
      // The client measures the same requests plus transport: its p50 cannot be below the target's.
      if (c.p50 < s.p50 - 0.5) failures.push(`${line} (client p50 below target p50)`);
    });
    assert.deepEqual(failures, []);
  } finally {
    loop.disable();
    agent.destroy();
    await t.close();
  }
});
