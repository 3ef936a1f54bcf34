import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SnapshotFixture, standardLoad } from '../testing/monitoring-fixture.js';
import { context } from '../testing/helpers.js';
import { createInfluxDbOutput, parseInfluxTarget } from './influxdb-output.js';
import { parseLineProtocol, type ParsedPoint } from './testing/line-protocol-parser.js';

interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  points: ParsedPoint[];
}

/** A real InfluxDB-like receiver on 127.0.0.1: parses line protocol bodies of /write and /api/v2/write. */
async function receiver(): Promise<{ base: string; reqs: Req[]; writes(): Req[]; close(): Promise<void> }> {
  const reqs: Req[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      try {
        const isWrite = u.pathname === '/write' || u.pathname === '/api/v2/write';
        reqs.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, points: isWrite ? parseLineProtocol(Buffer.concat(chunks).toString('utf8')) : [] });
        res.writeHead(isWrite ? 204 : 200, { 'Content-Type': 'application/json' }).end(isWrite ? '' : '{"results":[{"statement_id":0}]}');
      } catch (e) {
        res.writeHead(400).end(JSON.stringify({ error: String(e) }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reqs,
    writes: () => reqs.filter((r) => r.path.endsWith('/write')),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function pointOf(points: ParsedPoint[], measurement: string, tags: Record<string, string>): ParsedPoint | undefined {
  return points.find((p) => p.measurement === measurement && JSON.stringify(Object.entries(p.tags).sort()) === JSON.stringify(Object.entries(tags).sort()));
}

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers) await c();
});

describe('parseInfluxTarget', () => {
  it("reads k6's /DATABASE form, the 1.x /write endpoint and the 2.x /api/v2/write endpoint", () => {
    const k6 = parseInfluxTarget('http://user:pw@127.0.0.1:8086/k6');
    assert.equal(k6.version, 1);
    assert.equal(k6.database, 'k6');
    assert.equal(k6.writeUrl.href, 'http://user:pw@127.0.0.1:8086/write?db=k6&precision=ms');
    assert.equal(k6.queryUrl?.href, 'http://user:pw@127.0.0.1:8086/query');

    const v1 = parseInfluxTarget('http://127.0.0.1:8086/write?db=load&precision=s&u=a&p=b');
    assert.equal(v1.version, 1);
    assert.equal(v1.database, 'load');
    assert.equal(v1.writeUrl.searchParams.get('precision'), 's');
    assert.equal(v1.queryUrl?.href, 'http://127.0.0.1:8086/query?u=a&p=b');

    const v2 = parseInfluxTarget('https://influx.example/api/v2/write?org=acme&bucket=perf');
    assert.equal(v2.version, 2);
    assert.equal(v2.queryUrl, undefined);
    assert.equal(v2.writeUrl.searchParams.get('precision'), 'ms');
  });

  it('says which forms it accepts when the database is missing', () => {
    assert.throws(() => parseInfluxTarget('http://127.0.0.1:8086'), { code: 'E_OUTPUT', message: /does not say which database/ });
    assert.throws(() => parseInfluxTarget('http://127.0.0.1:8086/write'), { code: 'E_OUTPUT', message: /needs \?db=DATABASE/ });
    assert.throws(() => parseInfluxTarget('http://127.0.0.1:8086/api/v2/write?org=x'), { code: 'E_OUTPUT', message: /needs \?org=\.\.\.&bucket=\.\.\./ });
  });
});

describe('influxdb output', () => {
  it('creates the database, then writes one point per series per push with k6 measurement names', async () => {
    const r = await receiver();
    closers.push(r.close);
    const ctx = context('/tmp', { thresholds: { 'http_req_duration{expected_response:true}': [] } });
    const out = createInfluxDbOutput(`${r.base}/k6,testid=i1,pushInterval=100ms,label.env=ci`, ctx);
    assert.equal(out.wantsSamples, false);
    await out.start();
    const f = new SnapshotFixture();
    standardLoad(f);
    const t1 = Date.now();
    const snap1 = f.snapshot(t1);
    out.addSnapshot(snap1);
    for (let i = 0; i < 100 && r.writes().length === 0; i++) await sleep(20);
    // Second interval: 2 more requests to /a (30 ms and 50 ms), one failed check.
    f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: 30 });
    f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: 50 });
    f.check('::browse', 'status is 200', false);
    const t2 = t1 + 1000;
    out.addSnapshot(f.snapshot(t2));
    await out.stop();
    assert.deepEqual(ctx.warnings, []);

    assert.equal(r.reqs[0]!.path, '/query', 'database created first');
    assert.equal(r.reqs[0]!.query.get('q'), 'CREATE DATABASE "k6"');
    const writes = r.writes();
    assert.equal(writes.length, 2);
    assert.equal(writes[0]!.query.get('db'), 'k6');
    assert.equal(writes[0]!.query.get('precision'), 'ms');

    const base = { testid: 'i1', env: 'ci' };
    const p1 = writes[0]!.points;
    assert.ok(p1.every((p) => p.timeMs === t1));
    assert.deepEqual(pointOf(p1, 'http_reqs', base)?.fields, { value: 15, count: 15 });
    assert.deepEqual(pointOf(p1, 'vus', base)?.fields, { value: 7, min: 7, max: 7 });
    assert.deepEqual(pointOf(p1, 'checks', base)?.fields, { value: 0.75, rate: 0.75, passes: 3, fails: 1 });
    const total = snap1.series.find((s) => s.name === 'http_req_duration' && Object.keys(s.tags).length === 0)!.values;
    const d1 = pointOf(p1, 'http_req_duration', base)!.fields;
    assert.equal(d1.value, 1550 / 15);
    assert.equal(d1.count, 15);
    assert.equal(d1.sum, 1550);
    assert.equal(d1.p95, total['p(95)']);
    assert.equal(d1.max, 200);
    assert.deepEqual(pointOf(p1, 'by_route_http_reqs', { ...base, name: 'http://127.0.0.1/a', method: 'GET' })?.fields, { value: 10, count: 10 });
    assert.equal(pointOf(p1, 'submetric_http_req_duration', { ...base, expected_response: 'true' })?.fields.count, 14);

    // Second push: `value` covers only the interval; cumulative fields keep growing.
    const p2 = writes[1]!.points;
    assert.ok(p2.every((p) => p.timeMs === t2));
    assert.deepEqual(pointOf(p2, 'http_reqs', base)?.fields, { value: 2, count: 17 });
    assert.equal(pointOf(p2, 'http_req_duration', base)?.fields.value, 40);
    assert.deepEqual(pointOf(p2, 'checks', base)?.fields, { value: 0, rate: 0.6, passes: 3, fails: 2 });
    // No new iterations in the interval: the trend point has no `value`.
    const it2 = pointOf(p2, 'iteration_duration', base)!.fields;
    assert.equal(it2.value, undefined);
    assert.equal(it2.count, 4);
  });

  it('2.x: token as Authorization: Token, no database creation', async () => {
    const r = await receiver();
    closers.push(r.close);
    const ctx = context('/tmp');
    const out = createInfluxDbOutput(`${r.base}/api/v2/write?org=acme&bucket=perf,token=s3cret`, ctx);
    await out.start();
    const f = new SnapshotFixture();
    standardLoad(f);
    out.addSnapshot(f.snapshot(Date.now()));
    await out.stop();
    assert.deepEqual(
      r.reqs.map((q) => q.path),
      ['/api/v2/write'],
    );
    assert.equal(r.reqs[0]!.headers.authorization, 'Token s3cret');
    assert.equal(r.reqs[0]!.query.get('bucket'), 'perf');
    assert.ok(pointOf(r.reqs[0]!.points, 'http_reqs', {}));
    assert.doesNotMatch(out.description, /s3cret/);
  });

  it('unreachable: warns once, never blocks, bounded stop', async () => {
    const s = http.createServer();
    await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((res) => s.close(() => res()));
    const ctx = context('/tmp');
    const out = createInfluxDbOutput(`http://127.0.0.1:${port}/k6,pushInterval=100ms,flushTimeout=400ms`, ctx);
    await out.start();
    const f = new SnapshotFixture();
    standardLoad(f);
    for (let i = 0; i < 4; i++) {
      out.addSnapshot(f.snapshot(Date.now()));
      await sleep(100);
    }
    const t0 = performance.now();
    await out.stop();
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(ctx.warnings.filter((w) => w.includes('cannot push')).length, 1, ctx.warnings.join('\n'));
    assert.match(ctx.warnings.at(-1)!, /pushes were not delivered/);
  });
});
