import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { declareSampleGroup, NO_SAMPLE } from './group.js';
import { PhaseTagRecorder } from './phase-tag.js';
import { MetricStore } from './store.js';
import { MetricRegistry } from './registry.js';

const GROUP = declareSampleGroup('phase-tag-test', [
  { name: 'y', type: 'trend', contains: 'time' },
  { name: 'z', type: 'rate', contains: 'default' },
]);

test('the tag value of each moment: the window active then, none outside, names joined when windows overlap', () => {
  const r = new PhaseTagRecorder(new MetricStore(new MetricRegistry(), []), 'fault', [
    { fromMs: 1000, toMs: 2000, value: 'a' },
    { fromMs: 1500, toMs: 3000, value: 'b' },
  ]);
  assert.equal(r.value, 'none', 'before the start (setup)');
  assert.deepEqual(r.valueAt(-50), { value: 'none', nextMs: 1000 });
  assert.deepEqual(r.valueAt(500), { value: 'none', nextMs: 1000 });
  assert.deepEqual(r.valueAt(1000), { value: 'a', nextMs: 1500 });
  assert.deepEqual(r.valueAt(1600), { value: 'a+b', nextMs: 2000 });
  assert.deepEqual(r.valueAt(2500), { value: 'b', nextMs: 3000 });
  assert.deepEqual(r.valueAt(3000), { value: 'none', nextMs: Infinity });
});

test('samples of add and record carry the value switched by the window timers', async () => {
  const reg = new MetricRegistry();
  const x = reg.define('x', 'counter');
  const subs = [
    { key: 'x{fault:a}', metric: 'x', tags: { fault: 'a' } },
    { key: 'x{fault:none}', metric: 'x', tags: { fault: 'none' } },
    { key: 'y{fault:a}', metric: 'y', tags: { fault: 'a' } },
    { key: 'z{fault:none}', metric: 'z', tags: { fault: 'none' } },
  ];
  const store = new MetricStore(reg, subs);
  // Window a: 1 s after a start 1.2 s ago, for 1 s + 150 ms from now: open now, closes on a timer.
  const r = new PhaseTagRecorder(store, 'fault', [{ fromMs: 1000, toMs: 1350, value: 'a' }]);
  r.start(performance.timeOrigin + performance.now() - 1200);
  try {
    assert.equal(r.value, 'a');
    r.add(x, 1, store.tagSets.empty);
    r.record(GROUP, store.tagSets.empty, Float64Array.of(12, NO_SAMPLE));
    // The close timer switches the value back (bounded wait: a loaded machine delays timers).
    const until = performance.now() + 5000;
    while (r.value === 'a' && performance.now() < until) await delay(20);
    assert.equal(r.value, 'none');
    r.add(x, 1, store.tagSets.empty);
    r.record(GROUP, store.tagSets.empty, Float64Array.of(NO_SAMPLE, 1));
  } finally {
    r.stop();
  }
  const subsSeen = new Map(store.drain().filter((e) => e.part === 'sub').map((e) => [e.key, e]));
  assert.deepEqual([...subsSeen.keys()].sort(), ['x{fault:a}', 'x{fault:none}', 'y{fault:a}', 'z{fault:none}']);
});
