import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { runScenario } from '../testing/run-scenario.js';
import { subSegment } from '../../util/execution-segment.js';
import { stripedIteration } from '../segment.js';

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

test('closed models number iterations test-wide: one worker 0, 1, 2…; two runners of two workers each never repeat a number', async () => {
  const one = await runScenario({ scenarios: { s: { executor: 'constant-vus', vus: 3, duration: '300ms' } } }, () => delay(5));
  assert.ok(one.completed > 10);
  assert.deepEqual([...one.iterationsInTest].sort((a, b) => a - b), Array.from({ length: one.iterationsInTest.length }, (_, i) => i));

  // Runners 0:1/3 and 1/3:1 of the sequence 0,1/3,1, each cut into two workers (as --workers 2 does).
  const runners = [{ start: 0, end: 1, den: 3 }, { start: 1, end: 3, den: 3 }];
  for (const sc of [
    { executor: 'constant-vus', vus: 6, duration: '300ms' },
    { executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '150ms', target: 6 }, { duration: '150ms', target: 2 }] },
  ]) {
    const runs = await Promise.all(
      runners.flatMap((segment) => [0, 1].map((workerIndex) => runScenario({ scenarios: { s: sc } }, () => delay(3), { segment: subSegment(segment, workerIndex, 2), runner: { segment, workerIndex, workerCount: 2 } }))),
    );
    const all = runs.flatMap((r) => r.iterationsInTest);
    assert.ok(all.length > 20, `${sc.executor}: ${all.length} iterations`);
    assert.equal(new Set(all).size, all.length, `${sc.executor}: a number given twice`);
  }
  // The striping itself: the runner 1/3:1 owns two of every three numbers, its workers alternate.
  assert.deepEqual([0, 1, 2, 3].map((c) => stripedIteration(c, runners[1]!, 0, 2)), [1, 4, 7, 10]);
  assert.deepEqual([0, 1, 2, 3].map((c) => stripedIteration(c, runners[1]!, 1, 2)), [2, 5, 8, 11]);
  assert.deepEqual([0, 1, 2].map((c) => stripedIteration(c, runners[0]!, 0, 1)), [0, 3, 6]);
});
