import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog } from './catalog.js';
import { TrendSink, newSink } from './sinks.js';
import { TimeSeriesBuilder } from './timeseries.js';
import type { DeltaEntry } from './store.js';

const catalog = buildCatalog([
  { name: 'core', metrics: [{ name: 'its', type: 'counter', contains: 'default' }], series: [{ metric: 'its', as: 'per-second' }], seriesFromStart: true },
  {
    name: 'late',
    metrics: [
      { name: 'late_ops', type: 'counter', contains: 'default' },
      { name: 'late_ms', type: 'trend', contains: 'time' },
      { name: 'late_failed', type: 'rate', contains: 'default' },
    ],
    series: [
      { metric: 'late_ops', as: 'per-second' },
      { metric: 'late_ms', as: 'trend' },
      { metric: 'late_failed', as: 'rate' },
    ],
  },
  { name: 'unused', metrics: [{ name: 'nope', type: 'counter', contains: 'default' }], series: [{ metric: 'nope', as: 'per-second' }] },
]);

function delta(metric: string, values: number[]): DeltaEntry {
  const sink = metric === 'late_ms' ? new TrendSink() : newSink(metric === 'late_failed' ? 'rate' : 'counter');
  for (const v of values) sink.add(v);
  return { metric, part: 'total', key: '', delta: sink.drain() };
}

test("a module's columns appear once one of them has a sample, back-filled as they would have been", () => {
  const ts = new TimeSeriesBuilder(0, catalog.series);
  ts.add(0, 0, [delta('its', [1, 1])], 1);
  ts.add(1, 0, [delta('its', [1]), delta('late_ms', [10, 30])], 1);
  ts.add(2, 0, [delta('late_ops', [1, 1, 1])], 1);
  ts.settle(1, () => true, true, 3000);
  assert.deepEqual(ts.series.its, [2, 1, 0]);
  // Turned on in the second bucket: per-second counts were 0 before, the rest had no data.
  assert.deepEqual(ts.series.late_ops, [0, 0, 3]);
  assert.deepEqual(ts.series['late_ms.max'], [null, 30, null]);
  assert.deepEqual(ts.series.late_failed, [null, null, null]);
  assert.equal(ts.series.nope, undefined, 'a module that recorded nothing has no column');
  // Exported in the declared order, as if the module had recorded from the start.
  assert.deepEqual(Object.keys(ts.toJSON().series), ['its', 'late_ops', ...['p50', 'p90', 'p95', 'p99', 'max', 'avg'].map((s) => `late_ms.${s}`), 'late_failed', 'vus']);
});

test("a 'level' column is each worker's value at the end of the second, carried over quiet seconds, summed over workers", () => {
  const cat = buildCatalog([
    { name: 'core', metrics: [{ name: 'its', type: 'counter', contains: 'default' }], series: [{ metric: 'its', as: 'per-second' }], seriesFromStart: true },
    { name: 'streams', metrics: [{ name: 'open', type: 'gauge', contains: 'default' }], series: [{ metric: 'open', as: 'level' }] },
  ]);
  const gauge = (values: number[]): DeltaEntry => {
    const sink = newSink('gauge');
    for (const v of values) sink.add(v);
    return { metric: 'open', part: 'total', key: '', delta: sink.drain() };
  };
  const ts = new TimeSeriesBuilder(0, cat.series);
  ts.add(0, 0, [delta('its', [1])], 1);
  ts.add(0, 1, [], 1);
  // Second 1: worker 0 opens 3 (peak 3, ends the second at 2), worker 1 opens 4.
  ts.add(1, 0, [gauge([1, 2, 3, 2])], 1);
  ts.add(1, 1, [gauge([1, 2, 3, 4])], 1);
  // Second 2: nothing changes on worker 1 (its 4 streams are still open); worker 0 closes one.
  ts.add(2, 0, [gauge([1])], 1);
  ts.add(2, 1, [], 1);
  // Second 3: all closed.
  ts.add(3, 0, [gauge([0])], 1);
  ts.add(3, 1, [gauge([3, 2, 1, 0])], 1);
  ts.settle(2, () => false);
  assert.deepEqual(ts.series.open, [0, 6, 5, 0]);
});
