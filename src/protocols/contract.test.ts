import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aggregator } from '../metrics/aggregator.js';
import { MetricRegistry } from '../metrics/registry.js';
import { buildSnapshot } from '../metrics/snapshot.js';
import { MetricStore } from '../metrics/store.js';
import { TimeSeriesBuilder } from '../metrics/timeseries.js';
import { makeTestVu, runInVu } from '../vu/testing/test-support.js';
import { metricCatalog, PROTOCOLS } from './index.js';
import { toyCall, toyProtocol } from './testing/toy/index.js';

test('a protocol plugs in with its own folder and one registration line', async () => {
  // The registration line: the toy joins the registered protocols.
  const catalog = metricCatalog([...PROTOCOLS, toyProtocol]);
  assert.ok(catalog.metrics.some((m) => m.name === 'toy_latency'));
  assert.deepEqual(catalog.breakdowns.find((b) => b.name === 'toy_op'), { name: 'toy_op', by: ['op'], max: 10, metrics: ['toy_ops', 'toy_latency'] });
  assert.ok(catalog.breakdowns.find((b) => b.name === 'scenario')!.metrics.includes('toy_ops'));

  // Worker side: a VU records through the metric store, which knows nothing of the toy.
  const registry = new MetricRegistry();
  const store = new MetricStore(registry, [], { collectSamples: true, breakdowns: catalog.breakdowns });
  const t = makeTestVu();
  const vu = { ...t.vu, recorder: store, tags: store.tagSets.of({ scenario: 'default' }) };
  await runInVu(vu, async () => {
    toyCall('get', 10);
    toyCall('get', 30, true);
    toyCall('put', 20, false);
  });
  const samples = store.drainSamples()!;
  assert.deepEqual(
    samples.metric.map((id) => registry.byId(id).name),
    ['toy_ops', 'toy_latency', 'toy_ops', 'toy_latency', 'toy_failed', 'toy_ops', 'toy_latency', 'toy_failed'],
  );

  // Main-thread side: deltas merge, the snapshot shows the toy's rows, the time series its columns.
  const agg = new Aggregator(() => 1000, catalog.breakdowns);
  const deltas = store.drain().map((e) => ({ ...e, type: registry.get(e.metric)!.type, contains: registry.get(e.metric)!.contains }));
  agg.merge(deltas);
  const snap = buildSnapshot(agg, Date.now(), 1000);
  const row = (view: string, name: string, tags: Record<string, string>) => snap.series.find((s) => s.view === view && s.name === name && JSON.stringify(s.tags) === JSON.stringify(tags));
  assert.equal(row('total', 'toy_ops', {})?.values.count, 3);
  assert.equal(row('total', 'toy_failed', {})?.values.rate, 0.5);
  assert.equal(row('toy_op', 'toy_ops', { op: 'get' })?.values.count, 2);
  assert.equal(row('toy_op', 'toy_latency', { op: 'put' })?.values.max, 20);
  assert.equal(row('scenario', 'toy_ops', { scenario: 'default' })?.values.count, 3);

  const ts = new TimeSeriesBuilder(0, catalog.series);
  ts.add(0, 0, deltas, 1);
  ts.settle(1, () => true, true, 1000);
  assert.equal(ts.series.toy_ops?.[0], 3);
  assert.equal(ts.series['toy_latency.max']?.[0], 30);
  await t.close();
});

test('the catalog rejects a module that feeds a breakdown nobody defines', () => {
  assert.throws(() => metricCatalog([{ name: 'bad', metrics: { name: 'bad', metrics: [{ name: 'bad_ops', type: 'counter', contains: 'default' }], breakdowns: [{ name: 'nope', metrics: ['bad_ops'] }] } }]), /no module defines/);
});

test('the catalog rejects a chart that mixes units on one axis', () => {
  const metrics = [{ name: 'm_ops', type: 'counter' as const, contains: 'default' as const }, { name: 'm_ms', type: 'trend' as const, contains: 'time' as const }];
  const chart = { id: 'chart-m', title: 'M', caption: 'm', series: [{ column: 'm_ops', label: 'ops/s', unit: 'per-second' as const }, { column: 'm_ms.p95', label: 'p95', unit: 'ms' as const }] };
  assert.throws(() => metricCatalog([{ name: 'm', metrics: { name: 'm', metrics, charts: [chart] } }]), /mixes units on its left axis/);
  assert.doesNotThrow(() => metricCatalog([{ name: 'm', metrics: { name: 'm', metrics, charts: [{ ...chart, series: [chart.series[0]!, { ...chart.series[1]!, right: true }] }] } }]));
});
