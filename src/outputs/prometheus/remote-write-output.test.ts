import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { uncompressSync } from 'snappy';
import { SnapshotFixture, standardLoad } from '../testing/monitoring-fixture.js';
import { context } from '../testing/helpers.js';
import { decodeWriteRequest, type DecodedSeries } from './remote-write-proto.js';
import { createRemoteWriteOutput } from './remote-write-output.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  series: DecodedSeries[];
}

/** A remote-write receiver on 127.0.0.1 that decodes what it gets (snappy → protobuf). */
async function receiver(): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const raw = uncompressSync(Buffer.concat(chunks)) as Buffer;
        got.push({ headers: req.headers, series: decodeWriteRequest(raw) });
        res.writeHead(204).end();
      } catch (e) {
        res.writeHead(400).end(String(e));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`,
    got,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function find(series: DecodedSeries[], labels: Record<string, string>): DecodedSeries | undefined {
  return series.find((s) => JSON.stringify(Object.entries(s.labels).sort()) === JSON.stringify(Object.entries(labels).sort()));
}

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers) await c();
});

describe('prometheus-rw output', () => {
  it('pushes snappy-compressed WriteRequests with the remote-write headers and k6 names', async () => {
    const r = await receiver();
    closers.push(r.close);
    const ctx = context('/tmp', { thresholds: { 'http_req_duration{expected_response:true}': [] } });
    const out = createRemoteWriteOutput(`${r.url},testid=t1,pushInterval=100ms,label.env=ci,header.X-Scope-OrgID=tenant`, ctx);
    assert.equal(out.wantsSamples, false);
    assert.equal(out.description, `prometheus-rw (${r.url})`);
    await out.start();
    const f = new SnapshotFixture();
    standardLoad(f);
    const t1 = Date.now();
    out.addSnapshot(f.snapshot(t1));
    // Wait (bounded) for the first timed push.
    for (let i = 0; i < 50 && r.got.length === 0; i++) await sleep(20);
    assert.ok(r.got.length >= 1, 'a push within the interval');
    f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: 5 });
    const t2 = t1 + 1000;
    out.addSnapshot(f.snapshot(t2));
    await out.stop();

    const h = r.got[0]!.headers;
    assert.equal(h['content-encoding'], 'snappy');
    assert.equal(h['content-type'], 'application/x-protobuf');
    assert.equal(h['x-prometheus-remote-write-version'], '0.1.0');
    assert.equal(h['x-scope-orgid'], 'tenant');

    const first = r.got[0]!.series;
    const base = { testid: 't1', env: 'ci' };
    assert.deepEqual(find(first, { __name__: 'k6_http_reqs_total', ...base })?.samples, [{ value: 15, timestampMs: t1 }]);
    assert.deepEqual(find(first, { __name__: 'k6_vus', ...base })?.samples, [{ value: 7, timestampMs: t1 }]);
    assert.deepEqual(find(first, { __name__: 'k6_checks_rate', ...base })?.samples, [{ value: 0.75, timestampMs: t1 }]);
    assert.deepEqual(find(first, { __name__: 'k6_http_req_duration_max', ...base })?.samples, [{ value: 0.2, timestampMs: t1 }]);
    assert.deepEqual(find(first, { __name__: 'k6_by_route_http_reqs_total', name: 'http://127.0.0.1/a', method: 'GET', ...base })?.samples, [{ value: 10, timestampMs: t1 }]);
    assert.deepEqual(find(first, { __name__: 'k6_submetric_http_req_duration_count', expected_response: 'true', ...base })?.samples, [{ value: 14, timestampMs: t1 }]);

    // The last snapshot is flushed at stop.
    const last = r.got.at(-1)!.series;
    assert.deepEqual(find(last, { __name__: 'k6_http_reqs_total', ...base })?.samples, [{ value: 16, timestampMs: t2 }]);
    assert.equal(out.queue.dropped, 0);
    assert.deepEqual(ctx.warnings, []);
  });

  it('an unreachable endpoint warns once and never delays stop() past the flush timeout', async () => {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const ctx = context('/tmp');
    const out = createRemoteWriteOutput(`http://127.0.0.1:${port}/api/v1/write,pushInterval=100ms,flushTimeout=500ms`, ctx);
    await out.start();
    const f = new SnapshotFixture();
    standardLoad(f);
    for (let i = 0; i < 5; i++) {
      out.addSnapshot(f.snapshot(Date.now()));
      await sleep(100);
    }
    const t0 = performance.now();
    await out.stop();
    assert.ok(performance.now() - t0 < 2000, 'stop is bounded');
    assert.equal(ctx.warnings.filter((w) => w.includes('cannot push')).length, 1, ctx.warnings.join('\n'));
    assert.match(ctx.warnings[0]!, /output prometheus-rw \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write\): cannot push \(ECONNREFUSED\)/);
    assert.match(ctx.warnings.at(-1)!, /pushes were not delivered \(last error: ECONNREFUSED\)/);
    assert.ok(out.queue.dropped >= 1);
  });

  it('rejects a bad URL with a VolleyError', () => {
    assert.throws(() => createRemoteWriteOutput('ftp://x/y', context('/tmp')), { code: 'E_OUTPUT', message: /must be an http:\/\/ or https:\/\/ URL/ });
    assert.throws(() => createRemoteWriteOutput('not a url', context('/tmp')), { code: 'E_OUTPUT', message: /is not a URL/ });
  });
});
