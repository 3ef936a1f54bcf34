import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { runScenario } from '../testing/run-scenario.js';

test('shared-iterations: three workers share the iterations exactly, each iterationInTest once', async () => {
  const runs = await Promise.all([0, 1, 2].map((index) => runScenario({ scenarios: { s: { executor: 'shared-iterations', vus: 5, iterations: 40 } } }, () => undefined, { segment: { start: index, end: index + 1, den: 3 } })));
  assert.equal(runs.reduce((a, r) => a + r.completed, 0), 40);
  const all = runs.flatMap((r) => r.iterationsInTest).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 40 }, (_, i) => i));
  assert.equal(runs.reduce((a, r) => a + r.allocated, 0), 5);
});

test('per-vu-iterations: every VU runs its own count', async () => {
  const r = await runScenario({ scenarios: { s: { executor: 'per-vu-iterations', vus: 3, iterations: 4 } } }, () => undefined);
  assert.equal(r.completed, 12);
  assert.equal(r.allocated, 3);
  assert.equal(r.dropped, 0);
});

test('constant-arrival-rate: iterations that find no free VU are dropped, not delayed', async () => {
  // 40/s for 1 s with one VU whose iterations take 100 ms: it can start about 10 of the 40.
  const r = await runScenario(
    { scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 1 } } },
    () => delay(100),
  );
  assert.ok(r.completed >= 5 && r.completed <= 12, `completed ${r.completed}`);
  assert.ok(r.dropped >= 25, `dropped ${r.dropped}`);
  assert.ok(Math.abs(r.completed + r.dropped + r.interrupted - 40) <= 2, `${r.completed} + ${r.dropped} + ${r.interrupted}`);
});

test('constant-vus: a test-wide stop ends the scenario at once, interrupting iterations', async () => {
  const stop = new AbortController();
  const t0 = performance.now();
  setTimeout(() => stop.abort(), 200);
  const r = await runScenario({ vus: 2, duration: '30s' }, (vu) => delay(10_000, undefined, { signal: vu.signal }).catch(() => undefined), { stop: stop.signal });
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(r.completed, 0);
  assert.equal(r.allocated, 2);
});

test('an exception ends the iteration, is reported, and the VU goes on', async () => {
  let n = 0;
  const r = await runScenario({ scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } } }, () => {
    if (n++ === 1) throw new Error('boom');
  });
  assert.equal(r.exceptions.length, 1);
  assert.equal(r.completed + r.interrupted + r.exceptions.length >= 3, true);
  const iterations = r.store.drain().find((d) => d.metric === 'iterations' && d.part === 'total');
  assert.ok(iterations && iterations.delta.k === 'c' && iterations.delta.sum >= 2);
});
