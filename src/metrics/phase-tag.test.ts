import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { PhaseTagRecorder } from './phase-tag.js';
import { MetricStore } from './store.js';
import { MetricRegistry } from './registry.js';

test('samples carry the window active when they are taken, none outside, names joined when windows overlap', () => {
  const reg = new MetricRegistry();
  const m = reg.define('x', 'counter');
  const store = new MetricStore(reg, [{ key: 'x{fault:a}', metric: 'x', tags: { fault: 'a' } }]);
  const r = new PhaseTagRecorder(store, 'fault', [
    { fromMs: 1000, toMs: 2000, value: 'a' },
    { fromMs: 1500, toMs: 3000, value: 'b' },
  ]);
  const t0 = performance.now();
  assert.equal(r.valueAt(t0), 'none');
  r.start(performance.timeOrigin + t0);
  // (Epoch arithmetic rounds at the 0.1 µs level: test a millisecond off the boundaries.)
  assert.equal(r.valueAt(t0 + 500), 'none');
  assert.equal(r.valueAt(t0 + 1001), 'a');
  assert.equal(r.valueAt(t0 + 1600), 'a+b');
  assert.equal(r.valueAt(t0 + 2500), 'b');
  assert.equal(r.valueAt(t0 + 3001), 'none');
  // Recording goes through the inner store with the tag added (a sub-metric on it sees the sample).
  r.start(performance.timeOrigin + performance.now() - 1200);
  r.add(m, 1, store.tagSets.empty);
  const sub = store.drain().find((e) => e.part === 'sub');
  assert.equal(sub?.key, 'x{fault:a}');
});
