import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../worker/testing/run-scenario.js';
import { check, group } from './api.js';

const totals = (r: Awaited<ReturnType<typeof runScenario>>) => {
  const out: Record<string, unknown> = {};
  for (const d of r.store.drain()) if (d.part === 'total') out[d.metric] = d.delta;
  return out;
};

test('an iteration records iterations and iteration_duration; checks and groups record theirs', async () => {
  const r = await runScenario({ scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } } }, () => {
    group('login', () => {
      check(1, { 'is one': (v) => v === 1, 'is two': (v) => v === 2 });
    });
  });
  const t = totals(r) as Record<string, { k: string; sum?: number; count?: number; trues?: number; total?: number }>;
  assert.equal(r.completed, 6);
  assert.deepEqual(t.iterations, { k: 'c', sum: 6 });
  assert.equal(t.iteration_duration?.count, 6);
  assert.equal(t.group_duration?.count, 6);
  assert.deepEqual([t.checks?.trues, t.checks?.total], [6, 12]);
});

test('minIterationDuration pads short iterations', async () => {
  const t0 = performance.now();
  const r = await runScenario({ minIterationDuration: '100ms', scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } } }, () => undefined);
  assert.equal(r.completed, 3);
  assert.ok(performance.now() - t0 >= 280, `${performance.now() - t0} ms`);
});
