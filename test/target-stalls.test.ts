/**
 * Scheduled stalls freeze the whole service: requests arriving during a stall, and requests already in
 * flight when it starts, are answered only when it ends; outside stalls the route answers at its
 * normal latency. The target's own stats see the stall too (ground truth for coordinated omission).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startTarget } from '../src/target/index.js';
import { hit, sleep, type Timed } from '../src/target/testing/timed-client.js';

test('stalls happen on schedule and hold arriving and in-flight requests until they end', async () => {
  const AT = 400;
  const EVERY = 1000;
  const FOR = 300;
  // How late this process runs (CPU-starved machines): widens upper bounds only.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const before = performance.now();
  const t = await startTarget({
    config: {
      routes: [
        { path: '/quick', latency: '5ms' },
        { path: '/slow', latency: '200ms' },
      ],
      stalls: [{ at: `${AT}ms`, every: `${EVERY}ms`, for: `${FOR}ms` }],
    },
  });
  const after = performance.now();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    // In flight when the second stall starts: sent at ≈1300 ms after the origin (a little more when
    // startTarget was slow), due at ≈1500 ms, inside the stall [1400, 1700).
    const inFlight = sleep(1300 - (performance.now() - after)).then(() => hit(`${t.url}/slow`, { agent }));
    // Open loop: a request every 20 ms whatever happens to earlier ones (a stall must not slow the sender).
    const pending: Promise<Timed>[] = [];
    for (let i = 0; i < 105; i++) {
      await sleep(i * 20 - (performance.now() - before));
      pending.push(hit(`${t.url}/quick`, { agent }));
    }
    const results = await Promise.all(pending);
    const slackMs = loop.max / 1e6;
    const stalls = [
      [AT, AT + FOR],
      [AT + EVERY, AT + EVERY + FOR],
    ] as const;
    let held = 0;
    const normalMs: number[] = [];
    for (const r of results) {
      // Arrival lies in [lo, hi] ms after the target's origin; completion at most `doneBy`, at least `doneAfter`.
      const lo = r.startMs - after;
      const hi = r.startMs - before + 2;
      const doneAfter = r.endMs - after;
      const doneBy = r.endMs - before;
      const stall = stalls.find(([a, b]) => lo >= a && hi < b);
      if (stall) {
        // Held until the stall's end, then the 5 ms latency.
        assert.ok(doneBy >= stall[1], `arrived at ${lo.toFixed(0)} in stall ${stall}, answered at ${doneBy.toFixed(0)}`);
        assert.ok(doneAfter <= stall[1] + 60 + slackMs, `arrived at ${lo.toFixed(0)} in stall ${stall}, answered late at ${doneAfter.toFixed(0)}`);
        held++;
      } else if (stalls.every(([a, b]) => hi + 10 + slackMs < a || lo >= b)) {
        // (A request sent just before a stall may reach the target inside it when this process lags.)
        // Not held: answered after its 5 ms, far sooner than a stall (a starved machine may add its own delay).
        assert.ok(r.ms < 60 + slackMs, `arrived at ${lo.toFixed(0)} outside stalls, took ${r.ms.toFixed(1)} ms`);
        normalMs.push(r.ms);
      }
    }
    assert.ok(held >= 10, `only ${held} requests clearly inside a stall`);
    assert.ok(normalMs.length >= 20, `only ${normalMs.length} requests clearly outside stalls`);
    normalMs.sort((a, b) => a - b);
    assert.ok(normalMs[Math.floor(normalMs.length / 2)]! < 40, `median outside stalls ${normalMs[Math.floor(normalMs.length / 2)]!.toFixed(1)} ms`);

    const slow = await inFlight;
    assert.equal(slow.status, 200);
    assert.ok(slow.startMs - after >= 1300 - 5 && slow.startMs - after < 1300 + 190, `the in-flight probe was sent at ${(slow.startMs - after).toFixed(0)} ms, too late to test`);
    const slowDone = slow.endMs - before;
    assert.ok(slowDone >= AT + EVERY + FOR && slow.endMs - after <= AT + EVERY + FOR + 100 + slackMs, `in-flight request due at ≈1500 ms answered at ${slowDone.toFixed(0)} ms (stall ends at 1700)`);

    // Ground truth: the target measured the stall in its own service times.
    const s = t.stats().routes['GET /quick']!;
    assert.ok(s.serviceTimeMs.max >= FOR - 60, `target max ${s.serviceTimeMs.max} ms should include most of a ${FOR} ms stall`);
    assert.ok(s.serviceTimeMs.p50 < 30, `target p50 ${s.serviceTimeMs.p50} ms`);
    // The stats endpoint itself answers during a stall.
    const during = performance.now() - before;
    const nextStall = AT + 2 * EVERY;
    await sleep(nextStall + 50 - during);
    const st = await hit(`${t.url}/__volley/stats`, { agent });
    assert.equal(st.status, 200);
    assert.ok(st.ms < 100 + loop.max / 1e6, `stats answered in ${st.ms.toFixed(0)} ms during a stall`);
  } finally {
    loop.disable();
    agent.destroy();
    await t.close();
  }
});
