import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineBuiltinMetrics } from './builtin.js';
import { MetricRegistry } from './registry.js';
import { MetricStore, type DeltaEntry, type SubmetricDef } from './store.js';
import type { HttpPhases } from './recorder.js';

const SUBS: SubmetricDef[] = [
  { key: 'http_req_duration{status:200}', metric: 'http_req_duration', tags: { status: '200' } },
  { key: 'http_req_failed{name:a}', metric: 'http_req_failed', tags: { name: 'a' } },
];

interface Row {
  phases: HttpPhases;
  failed: number;
  lag: number | undefined;
  sent: number;
  received: number;
  tags: Record<string, string>;
}

/** The twelve `add` calls the HTTP client made before `recordHttp`. */
function viaAdd(store: MetricStore, m: ReturnType<typeof defineBuiltinMetrics>, r: Row): void {
  const tags = store.tagSets.of(r.tags);
  const t = r.phases;
  store.add(m.http_reqs, 1, tags);
  store.add(m.http_req_duration, t.duration, tags);
  store.add(m.http_req_blocked, t.blocked, tags);
  store.add(m.http_req_connecting, t.connecting, tags);
  store.add(m.http_req_tls_handshaking, t.tls_handshaking, tags);
  store.add(m.http_req_sending, t.sending, tags);
  store.add(m.http_req_waiting, t.waiting, tags);
  store.add(m.http_req_receiving, t.receiving, tags);
  if (r.failed !== -1) store.add(m.http_req_failed, r.failed, tags);
  if (r.lag !== undefined) store.add(m.http_req_corrected_duration, t.duration + r.lag, tags);
  store.add(m.data_sent, r.sent, tags);
  store.add(m.data_received, r.received, tags);
}

function sorted(d: DeltaEntry[]): DeltaEntry[] {
  return [...d].sort((a, b) => `${a.metric}|${a.part}|${a.key}`.localeCompare(`${b.metric}|${b.part}|${b.key}`));
}

test('recordHttp gives the same deltas and raw samples as twelve add calls', () => {
  const rows: Row[] = [];
  for (let i = 0; i < 200; i++) {
    const d = 1 + (i % 17) * 3.7;
    rows.push({
      phases: { blocked: i % 5 === 0 ? 0.5 : 0, connecting: i % 7 === 0 ? 0.3 : 0, tls_handshaking: 0, sending: 0.01 * i, waiting: d * 0.8, receiving: d * 0.2, duration: d },
      failed: i % 3 === 0 ? -1 : i % 2,
      lag: i % 4 === 0 ? undefined : i * 0.1,
      sent: 80 + i,
      received: 200 + i,
      tags: { name: i % 2 ? 'a' : 'b', method: 'GET', status: i % 9 === 0 ? '500' : '200', scenario: 'default' },
    });
  }
  const run = (fast: boolean) => {
    const reg = new MetricRegistry();
    const m = defineBuiltinMetrics(reg);
    const store = new MetricStore(reg, SUBS, { collectSamples: true });
    for (const r of rows) {
      if (fast) store.recordHttp(m, store.tagSets.of(r.tags), r.phases, r.failed, r.lag, r.sent, r.received);
      else viaAdd(store, m, r);
    }
    return { deltas: sorted(store.drain()), samples: store.drainSamples()! };
  };
  const a = run(false);
  const b = run(true);
  assert.deepEqual(b.deltas, a.deltas);
  assert.deepEqual(b.samples.metric, a.samples.metric);
  assert.deepEqual(b.samples.value, a.samples.value);
  assert.deepEqual(b.samples.tagSet, a.samples.tagSet);
  assert.deepEqual(b.samples.newTagSets, a.samples.newTagSets);
  assert.equal(b.samples.time.length, a.samples.time.length);
  // Sub-metrics and breakdowns are fed too.
  const parts = new Set(b.deltas.map((d) => `${d.metric}:${d.part}`));
  for (const p of ['http_req_duration:sub', 'http_req_failed:sub', 'http_req_duration:route', 'http_req_failed:error', 'http_reqs:scenario']) assert.ok(parts.has(p), p);
});

test('recordHttp and add share the per-tag-set sinks', () => {
  const reg = new MetricRegistry();
  const m = defineBuiltinMetrics(reg);
  const store = new MetricStore(reg, []);
  const tags = store.tagSets.of({ name: 'x' });
  const phases: HttpPhases = { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 1, receiving: 1, duration: 2 };
  store.add(m.http_reqs, 1, tags);
  store.recordHttp(m, tags, phases, 0, undefined, 10, 20);
  store.add(m.http_reqs, 1, tags);
  const reqs = store.drain().find((d) => d.metric === 'http_reqs' && d.part === 'total');
  assert.deepEqual(reqs?.delta, { k: 'c', sum: 3 });
});
