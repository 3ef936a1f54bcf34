/**
 * What ported k6 scripts rely on from the cheap parts of the API (docs/scripting.md, "k6 API
 * parity"): custom metrics' `add` returns a boolean, `Counter(name, isTime)`, `randomSeed`,
 * `volley/timers`, `exec.vu.metrics.tags`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestVu, runInVu } from '../vu/testing/test-support.js';
import { Counter, Gauge, Rate, Trend } from './metrics.js';
import { randomSeed } from './index.js';
import timers, { clearInterval, clearTimeout, setInterval, setTimeout } from './timers.js';
import exec from './execution.js';

describe('k6 API parity', () => {
  it('custom metrics: add returns true when recorded, false (nothing recorded) for a value that is not a number', () => {
    const { vu, recorder } = makeTestVu();
    const c = new Counter('parity_counter', true);
    const g = new Gauge('parity_gauge');
    const r = new Rate('parity_rate');
    const t = new Trend('parity_trend', true);
    runInVu(vu, () => {
      assert.equal(c.add(2), true);
      assert.equal(c.add(true), true);
      assert.equal(g.add(7, { k: 'v' }), true);
      assert.equal(r.add(false), true);
      assert.equal(t.add(12.5), true);
      assert.equal(t.add('n/a' as unknown as number), false);
    });
    assert.deepEqual(recorder.values('parity_counter'), [2, 1]);
    assert.deepEqual(recorder.values('parity_gauge', { k: 'v' }), [7]);
    assert.deepEqual(recorder.values('parity_rate'), [0]);
    assert.deepEqual(recorder.values('parity_trend'), [12.5]);
  });

  it('randomSeed makes Math.random reproducible', () => {
    const original = Math.random;
    try {
      randomSeed(42);
      const a = [Math.random(), Math.random(), Math.random()];
      randomSeed(42);
      const b = [Math.random(), Math.random(), Math.random()];
      assert.deepEqual(a, b);
      randomSeed(43);
      assert.notEqual(Math.random(), a[0]);
      assert.ok(a.every((x) => x >= 0 && x < 1));
    } finally {
      Math.random = original;
    }
  });

  it('volley/timers has k6/timers functions, and they work', async () => {
    assert.deepEqual(Object.keys(timers).sort(), ['clearInterval', 'clearTimeout', 'setInterval', 'setTimeout']);
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const id = setInterval(() => {
        if (++ticks === 2) {
          clearInterval(id);
          resolve();
        }
      }, 1);
    });
    let fired = false;
    clearTimeout(setTimeout(() => (fired = true), 1));
    await new Promise((r) => globalThis.setTimeout(r, 10));
    assert.equal(fired, false);
    assert.equal(ticks, 2);
  });

  it('exec.vu.metrics.tags adds tags to what the VU records, as exec.vu.tags does', () => {
    const { vu, recorder } = makeTestVu();
    const c = new Counter('parity_tagged');
    runInVu(vu, () => {
      exec.vu.metrics.tags.tenant = 'acme';
      assert.equal(exec.vu.metrics.tags.tenant, 'acme');
      c.add(1);
    });
    assert.deepEqual(recorder.values('parity_tagged', { tenant: 'acme' }), [1]);
  });
});
