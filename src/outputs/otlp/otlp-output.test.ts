import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SnapshotFixture, standardLoad } from '../testing/monitoring-fixture.js';
import { context } from '../testing/helpers.js';
import { createOtlpOutput } from './otlp-output.js';
import { decodeOtlpMetricsRequest, type OtlpMetric, type OtlpPoint, type OtlpRequest } from './testing/decode.js';

/** A real OTLP/HTTP receiver on 127.0.0.1: decodes export requests (protobuf or JSON, by Content-Type); `fail` answers 503. */
async function receiver(): Promise<{ url: string; got: Array<{ headers: http.IncomingHttpHeaders; body: OtlpRequest }>; fail: { on: boolean }; close(): Promise<void> }> {
  const got: Array<{ headers: http.IncomingHttpHeaders; body: OtlpRequest }> = [];
  const fail = { on: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (fail.on) return res.writeHead(503).end('busy');
      if (req.url !== '/v1/metrics' || req.method !== 'POST') return res.writeHead(404).end();
      const raw = Buffer.concat(chunks);
      const json = req.headers['content-type'] === 'application/json';
      got.push({ headers: req.headers, body: json ? (JSON.parse(raw.toString('utf8')) as OtlpRequest) : decodeOtlpMetricsRequest(raw) });
      // An empty ExportMetricsServiceResponse.
      res.writeHead(200, { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`,
    got,
    fail,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function attrs(p: OtlpPoint): Record<string, string> {
  return Object.fromEntries((p.attributes ?? []).map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue)]));
}

function num(p: OtlpPoint): number {
  return p.asDouble ?? Number(p.asInt);
}

/** All metrics of a request by name. */
function metrics(req: OtlpRequest): Map<string, OtlpMetric> {
  const m = new Map<string, OtlpMetric>();
  for (const rm of req.resourceMetrics) for (const sm of rm.scopeMetrics) for (const x of sm.metrics) m.set(x.name, x);
  return m;
}

function point(m: OtlpMetric | undefined, want: Record<string, string>): number | undefined {
  const pts = m?.sum?.dataPoints ?? m?.gauge?.dataPoints ?? [];
  const p = pts.find((x) => JSON.stringify(Object.entries(attrs(x)).sort()) === JSON.stringify(Object.entries(want).sort()));
  return p ? num(p) : undefined;
}

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers) await c();
});

describe('otlp output', () => {
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`exports the snapshot over OTLP/HTTP (${protocol}): counters as monotonic sums, gauges, rates and trend stats as gauges`, async () => {
      const r = await receiver();
      closers.push(r.close);
      const ctx = context('/tmp', { thresholds: { 'http_req_duration{expected_response:true}': [] } });
      const out = createOtlpOutput(`${r.url},testid=o1,pushInterval=100ms,serviceName=checkout-load,header.X-Tenant=t9,protocol=${protocol}`, ctx);
      assert.equal(out.protocol, protocol);
      assert.equal(out.wantsSamples, false);
      await out.start();
      const f = new SnapshotFixture();
      standardLoad(f);
      const snap = f.snapshot(Date.now());
      out.addSnapshot(snap);
      for (let i = 0; i < 100 && r.got.length === 0; i++) await sleep(20);
      f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: 5 });
      out.addSnapshot(f.snapshot(Date.now()));
      await out.stop();
      assert.ok(r.got.length >= 2, `two exports, got ${r.got.length}`);
      assert.deepEqual(ctx.warnings, []);

      const first = r.got[0]!;
      assert.equal(first.headers['x-tenant'], 't9');
      assert.equal(first.headers['content-type'], protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      const resource = Object.fromEntries(first.body.resourceMetrics[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]));
      assert.equal(resource['service.name'], 'checkout-load');
      const m = metrics(first.body);
      const base = { testid: 'o1' };

      const reqs = m.get('http_reqs')!;
      assert.ok(reqs.sum, 'counter → sum');
      assert.equal(reqs.sum.isMonotonic, true);
      assert.equal(reqs.sum.aggregationTemporality, 2, 'cumulative');
      assert.equal(point(reqs, base), 15);

      assert.ok(m.get('vus')!.gauge, 'gauge → gauge');
      assert.equal(point(m.get('vus'), base), 7);
      assert.ok(m.get('checks.rate')!.gauge, 'rate → gauge');
      assert.equal(point(m.get('checks.rate'), base), 0.75);

      const total = snap.series.find((s) => s.name === 'http_req_duration' && Object.keys(s.tags).length === 0)!.values;
      for (const stat of ['p99', 'p95', 'p90', 'med', 'avg', 'min', 'max'] as const) {
        const metric = m.get(`http_req_duration.${stat}`);
        assert.ok(metric?.gauge, `trend stat ${stat} → gauge`);
        assert.equal(metric.unit, 'ms');
        const key = stat.startsWith('p') ? `p(${stat.slice(1)})` : stat;
        assert.equal(point(metric, base), total[key], stat);
      }
      assert.ok(m.get('http_req_duration.count')!.sum?.isMonotonic, 'trend count → monotonic sum');
      assert.equal(point(m.get('http_req_duration.count'), base), 15);
      assert.equal(m.get('data_received')!.unit, 'By');

      // Views: breakdown rows and sub-metrics under their own names, tags as attributes.
      assert.equal(point(m.get('by_route_http_reqs'), { ...base, name: 'http://127.0.0.1/a', method: 'GET' }), 10);
      assert.equal(point(m.get('by_check_checks.rate'), { ...base, group: '::browse', check: 'status is 200' }), 2 / 3);
      assert.equal(point(m.get('submetric_http_req_duration.count'), { ...base, expected_response: 'true' }), 14);
      assert.equal(point(m.get('http_reqs'), { ...base, name: 'http://127.0.0.1/a', method: 'GET' }), undefined, 'totals carry no breakdown attributes');

      // The final export has the last snapshot.
      assert.equal(point(metrics(r.got.at(-1)!.body).get('http_reqs'), base), 16);
    });
  }

  it('prefix names every metric', async () => {
    const r = await receiver();
    closers.push(r.close);
    const out = createOtlpOutput(`${r.url},prefix=k6.,pushInterval=10s`, context('/tmp'));
    await out.start();
    const f = new SnapshotFixture();
    standardLoad(f);
    out.addSnapshot(f.snapshot(Date.now()));
    await out.stop();
    const names = [...metrics(r.got[0]!.body).keys()];
    assert.ok(names.includes('k6.http_reqs'));
    assert.ok(names.every((n) => n.startsWith('k6.')), names.join(','));
  });

  it('an endpoint that fails warns once, keeps the test going and delivers after it recovers', async () => {
    const r = await receiver();
    closers.push(r.close);
    r.fail.on = true;
    const ctx = context('/tmp');
    const out = createOtlpOutput(`${r.url},pushInterval=100ms,timeout=1s,flushTimeout=8s`, ctx);
    await out.start();
    const f = new SnapshotFixture();
    standardLoad(f);
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      out.addSnapshot(f.snapshot(Date.now()));
      assert.ok(performance.now() - t0 < 50, 'addSnapshot does not wait');
      await sleep(150);
    }
    r.fail.on = false;
    await out.stop();
    assert.equal(ctx.warnings.filter((w) => w.includes('cannot push')).length, 1, ctx.warnings.join('\n'));
    assert.match(ctx.warnings[0]!, /^output otlp \(http:\/\/127\.0\.0\.1:\d+\/v1\/metrics\): cannot push \(/);
    assert.ok(r.got.length >= 1, 'delivered after recovery');
    assert.equal(point(metrics(r.got.at(-1)!.body).get('http_reqs'), {}), 15);
  });

  it('rejects a bad URL and an empty serviceName', () => {
    assert.throws(() => createOtlpOutput('grpc://127.0.0.1:4317', context('/tmp')), { code: 'E_OUTPUT' });
    assert.throws(() => createOtlpOutput('http://127.0.0.1:4318/v1/metrics,serviceName=', context('/tmp')), { code: 'E_OUTPUT', message: /serviceName/ });
    assert.throws(() => createOtlpOutput('http://127.0.0.1:4318/v1/metrics,protocol=grpc', context('/tmp')), { code: 'E_OUTPUT', message: /use http\/protobuf or http\/json/ });
  });
});
