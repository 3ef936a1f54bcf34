import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Breakdown } from './breakdowns.js';
import { declareSampleGroup, NO_SAMPLE, slotOf } from './group.js';
import type { MetricSpec } from './metric.js';
import { MetricRegistry } from './registry.js';
import { MetricStore, type DeltaEntry, type SubmetricDef } from './store.js';

// A protocol-neutral group with every metric type, in an order that mixes them.
const SPECS: MetricSpec[] = [
  { name: 'ops', type: 'counter', contains: 'default' },
  { name: 'op_duration', type: 'trend', contains: 'time' },
  { name: 'op_wait', type: 'trend', contains: 'time' },
  { name: 'op_failed', type: 'rate', contains: 'default' },
  { name: 'op_queue', type: 'gauge', contains: 'default' },
  { name: 'op_late', type: 'trend', contains: 'time' },
  { name: 'bytes_out', type: 'counter', contains: 'data' },
];
const GROUP = declareSampleGroup('toy-store-test', SPECS);
const BREAKDOWNS: Breakdown[] = [
  { name: 'route', by: ['name', 'method'], max: 200, metrics: ['op_duration', 'op_failed', 'ops'] },
  { name: 'error', by: ['status'], max: 200, metrics: ['op_failed'] },
];
const SUBS: SubmetricDef[] = [
  { key: 'op_duration{status:200}', metric: 'op_duration', tags: { status: '200' } },
  { key: 'op_failed{name:a}', metric: 'op_failed', tags: { name: 'a' } },
];

interface Row {
  values: number[];
  tags: Record<string, string>;
}

/** One `add` per slot: what `record` must be equivalent to. */
function viaAdd(store: MetricStore, reg: MetricRegistry, r: Row): void {
  const tags = store.tagSets.of(r.tags);
  SPECS.forEach((s, i) => {
    const v = r.values[i]!;
    if (!Number.isNaN(v)) store.add(reg.declare(s), v, tags);
  });
}

function sorted(d: DeltaEntry[]): DeltaEntry[] {
  return [...d].sort((a, b) => `${a.metric}|${a.part}|${a.key}`.localeCompare(`${b.metric}|${b.part}|${b.key}`));
}

test('record gives the same deltas and raw samples as one add per slot', () => {
  const rows: Row[] = [];
  for (let i = 0; i < 200; i++) {
    const d = 1 + (i % 17) * 3.7;
    rows.push({
      values: [1, d, d * 0.8, i % 3 === 0 ? NO_SAMPLE : i % 2, i % 5, i % 4 === 0 ? NO_SAMPLE : d + i * 0.1, 80 + i],
      tags: { name: i % 2 ? 'a' : 'b', method: 'GET', status: i % 9 === 0 ? '500' : '200', scenario: 'default' },
    });
  }
  const run = (grouped: boolean) => {
    const reg = new MetricRegistry();
    for (const s of SPECS) reg.declare(s); // the same ids in both runs
    const store = new MetricStore(reg, SUBS, { collectSamples: true, breakdowns: BREAKDOWNS });
    const values = new Float64Array(SPECS.length);
    for (const r of rows) {
      if (grouped) {
        values.set(r.values);
        store.record(GROUP, store.tagSets.of(r.tags), values);
      } else viaAdd(store, reg, r);
    }
    return { deltas: sorted(store.drain()).map((d) => (d.delta.k === 'g' ? { ...d, delta: { ...d.delta, t: 0 } } : d)), samples: store.drainSamples()! };
  };
  const a = run(false);
  const b = run(true);
  assert.deepEqual(b.deltas, a.deltas);
  assert.deepEqual(b.samples.metric, a.samples.metric);
  assert.deepEqual(b.samples.value, a.samples.value);
  assert.deepEqual(b.samples.tagSet, a.samples.tagSet);
  assert.deepEqual(b.samples.newTagSets, a.samples.newTagSets);
  assert.equal(b.samples.time.length, a.samples.time.length);
  // NO_SAMPLE slots record nothing.
  assert.equal(b.samples.metric.length, rows.length * SPECS.length - rows.filter((r) => r.values.some(Number.isNaN)).reduce((n, r) => n + r.values.filter(Number.isNaN).length, 0));
  // Sub-metrics and the declared breakdowns are fed too.
  const parts = new Set(b.deltas.map((d) => `${d.metric}:${d.part}`));
  for (const p of ['op_duration:sub', 'op_failed:sub', 'op_duration:route', 'op_failed:error', 'ops:route']) assert.ok(parts.has(p), p);
  assert.ok(!parts.has('op_wait:route'), 'a metric no breakdown lists feeds none');
});

test('record and add share the per-tag-set sinks', () => {
  const reg = new MetricRegistry();
  const store = new MetricStore(reg, []);
  const tags = store.tagSets.of({ name: 'x' });
  const ops = reg.declare(SPECS[0]!);
  const values = new Float64Array(SPECS.length).fill(NO_SAMPLE);
  values[slotOf(GROUP, 'ops')] = 1;
  store.add(ops, 1, tags);
  store.record(GROUP, tags, values);
  store.add(ops, 1, tags);
  const d = store.drain().find((e) => e.metric === 'ops' && e.part === 'total');
  assert.deepEqual(d?.delta, { k: 'c', sum: 3 });
});

test('a store records only the breakdowns it is given', () => {
  const reg = new MetricRegistry();
  const store = new MetricStore(reg, []);
  const values = new Float64Array(SPECS.length).fill(1);
  store.record(GROUP, store.tagSets.of({ name: 'a', method: 'GET' }), values);
  assert.deepEqual([...new Set(store.drain().map((d) => d.part))], ['total']);
});
