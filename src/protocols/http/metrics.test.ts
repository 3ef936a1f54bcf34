import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { slotOf } from '../../metrics/group.js';
import { MetricRegistry } from '../../metrics/registry.js';
import { MetricStore } from '../../metrics/store.js';
import { makeTestVu, runInVu } from '../../vu/testing/test-support.js';
import { metricCatalog } from '../index.js';
import http from './index.js';
import { startTestServer, type TestServer } from './testing/loopback-server.js';
import * as M from './metrics.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

/** The raw sample rows of one exchange, k6's order (what `--out json` writes, one line each). */
const EXCHANGE_ORDER = [
  'http_reqs',
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'http_req_failed',
  'http_req_corrected_duration',
  'data_sent',
  'data_received',
];

test('the slot constants name the slots of HTTP_EXCHANGE', () => {
  assert.deepEqual(
    M.HTTP_EXCHANGE.metrics.map((m) => m.name),
    EXCHANGE_ORDER,
  );
  const slots: Array<[number, string]> = [
    [M.S_REQS, 'http_reqs'],
    [M.S_DURATION, 'http_req_duration'],
    [M.S_BLOCKED, 'http_req_blocked'],
    [M.S_CONNECTING, 'http_req_connecting'],
    [M.S_TLS_HANDSHAKING, 'http_req_tls_handshaking'],
    [M.S_SENDING, 'http_req_sending'],
    [M.S_WAITING, 'http_req_waiting'],
    [M.S_RECEIVING, 'http_req_receiving'],
    [M.S_FAILED, 'http_req_failed'],
    [M.S_CORRECTED_DURATION, 'http_req_corrected_duration'],
    [M.S_DATA_SENT, 'data_sent'],
    [M.S_DATA_RECEIVED, 'data_received'],
  ];
  for (const [slot, name] of slots) assert.equal(slot, slotOf(M.HTTP_EXCHANGE, name), name);
});

test('one exchange is the same raw sample rows as before the sample-group API (the --out json stream)', async () => {
  const registry = new MetricRegistry();
  const catalog = metricCatalog();
  const store = new MetricStore(registry, [], { collectSamples: true, breakdowns: catalog.breakdowns });
  const t = makeTestVu();
  const vu = { ...t.vu, recorder: store, tags: store.tagSets.of({ scenario: 'default' }), startLagMs: 5 };
  try {
    const res = await runInVu(vu, () => http.get(`${srv.url}/json`));
    assert.equal(res.status, 200);
    const s = store.drainSamples()!;
    const names = s.metric.map((id) => registry.byId(id).name);
    assert.deepEqual(names, EXCHANGE_ORDER);
    const v = (name: string): number => s.value[names.indexOf(name)]!;
    assert.equal(v('http_reqs'), 1);
    assert.equal(v('http_req_failed'), 0);
    assert.equal(v('http_req_duration'), res.timings.duration);
    assert.equal(v('http_req_corrected_duration'), res.timings.duration + 5);
    assert.ok(v('data_received') > 0 && v('data_sent') > 0);
    // One tag set and one clock read for the whole exchange.
    assert.equal(new Set(s.tagSet).size, 1);
    assert.equal(new Set(s.time).size, 1);
    // Totals, route, scenario and error rows were fed, as declared by the HTTP protocol.
    const parts = new Set(store.drain().map((d) => `${d.metric}:${d.part}`));
    for (const p of ['http_reqs:total', 'http_reqs:route', 'http_reqs:scenario', 'http_req_failed:error', 'data_sent:total']) assert.ok(parts.has(p), p);
  } finally {
    await t.close();
  }
});

test('without an expected-status rule or an open model, those two slots record nothing', async () => {
  const registry = new MetricRegistry();
  const store = new MetricStore(registry, [], { collectSamples: true });
  const t = makeTestVu({ options: {} });
  const vu = { ...t.vu, recorder: store, tags: store.tagSets.of({ scenario: 'default' }) };
  try {
    await runInVu(vu, () => http.get(`${srv.url}/json`, { responseCallback: null }));
    const names = store.drainSamples()!.metric.map((id) => registry.byId(id).name);
    assert.deepEqual(
      names,
      EXCHANGE_ORDER.filter((n) => n !== 'http_req_failed' && n !== 'http_req_corrected_duration'),
    );
  } finally {
    await t.close();
  }
});
