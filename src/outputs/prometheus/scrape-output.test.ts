import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SnapshotFixture, standardLoad } from '../testing/monitoring-fixture.js';
import { context } from '../testing/helpers.js';
import { EXPOSITION_CONTENT_TYPE } from './exposition.js';
import { createScrapeOutput, parseListenAddress, type ScrapeOutput } from './scrape-output.js';

const started: ScrapeOutput[] = [];
after(async () => {
  for (const o of started) await o.stop();
});

describe('parseListenAddress', () => {
  it('reads host:port forms, defaulting to loopback', () => {
    assert.deepEqual(parseListenAddress(':9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListenAddress('9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListenAddress('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
    assert.deepEqual(parseListenAddress('localhost:0'), { host: 'localhost', port: 0 });
    assert.deepEqual(parseListenAddress('[::1]:9464'), { host: '::1', port: 9464 });
    assert.equal(parseListenAddress('http://x:1'), undefined);
    assert.equal(parseListenAddress('::1:9464'), undefined);
    assert.equal(parseListenAddress(':99999'), undefined);
    assert.equal(parseListenAddress('host'), undefined);
  });
});

describe('prometheus (scrape) output', () => {
  it('serves /metrics in the text format with the latest snapshot', async () => {
    const ctx = context('/tmp');
    const out = createScrapeOutput('127.0.0.1:0,testid=s1', ctx);
    assert.equal(out.wantsSamples, false);
    await out.start();
    started.push(out);
    assert.match(out.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    // Before the first snapshot: an empty but valid exposition.
    let res = await fetch(out.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), EXPOSITION_CONTENT_TYPE);
    assert.equal(await res.text(), '');

    const f = new SnapshotFixture();
    standardLoad(f);
    out.addSnapshot(f.snapshot(Date.now()));
    res = await fetch(out.url);
    const text = await res.text();
    assert.match(text, /^# TYPE k6_http_reqs_total counter$/m);
    assert.match(text, /^k6_http_reqs_total\{testid="s1"\} 15$/m);
    assert.match(text, /^k6_vus\{testid="s1"\} 7$/m);
    assert.match(text, /^k6_checks_rate\{testid="s1"\} 0\.75$/m);
    assert.match(text, /^k6_http_req_duration_max\{testid="s1"\} 0\.2$/m);
    assert.match(text, /^k6_by_route_http_reqs_total\{method="GET",name="http:\/\/127\.0\.0\.1\/a",testid="s1"\} 10$/m);

    f.request({ name: 'http://127.0.0.1/a', method: 'GET', status: 200, durationMs: 5 });
    out.addSnapshot(f.snapshot(Date.now()));
    assert.match(await (await fetch(out.url)).text(), /^k6_http_reqs_total\{testid="s1"\} 16$/m);

    const other = await fetch(out.url.replace('/metrics', '/'));
    assert.equal(other.status, 404);
    await other.text();
    const post = await fetch(out.url, { method: 'POST' });
    assert.equal(post.status, 405);
    await post.text();
    assert.equal(out.scrapes, 3);

    await out.stop();
    await assert.rejects(fetch(out.url));
  });

  it('a port in use is a clear VolleyError at start', async () => {
    const a = createScrapeOutput('127.0.0.1:0', context('/tmp'));
    await a.start();
    started.push(a);
    const b = createScrapeOutput(`127.0.0.1:${a.address.port}`, context('/tmp'));
    await assert.rejects(b.start(), { code: 'E_OUTPUT', exitCode: 104, message: /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/ });
  });

  it('rejects a bad address and options that only push outputs have', () => {
    assert.throws(() => createScrapeOutput('http://127.0.0.1:9464', context('/tmp')), { code: 'E_OUTPUT', message: /is not a host:port to listen on/ });
    assert.throws(() => createScrapeOutput(':9464,pushInterval=1s', context('/tmp')), { code: 'E_OUTPUT', message: /unknown option "pushInterval"/ });
  });
});
