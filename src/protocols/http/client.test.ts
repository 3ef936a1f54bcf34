import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { makeTestVu, runInVu, type TestVu } from '../../vu/testing/test-support.js';
import http, { onIterationStart, ErrorCode } from './index.js';
import { startTestServer, TEST_JSON, type TestServer } from './testing/loopback-server.js';
import { DEFAULT_USER_AGENT } from './vu-state.js';

let srv: TestServer;
const vus: TestVu[] = [];

function newVu(options: Record<string, unknown> = {}, tags?: Record<string, string>): TestVu {
  const t = makeTestVu({ options, ...(tags ? { tags } : {}) });
  vus.push(t);
  return t;
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

before(async () => {
  srv = await startTestServer();
});
after(async () => {
  for (const t of vus) await t.close();
  await srv.close();
});

describe('http client: requests', () => {
  it('GET returns a k6-shaped response and records one sample of each metric', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.get(`${srv.url}/echo?a=1&b=two`, { headers: { 'X-Test': 'yes' } }));
    assert.equal(res.status, 200);
    assert.equal(res.status_text, '200 OK');
    assert.equal(res.proto, 'HTTP/1.1');
    assert.equal(res.url, `${srv.url}/echo?a=1&b=two`);
    assert.equal(res.error, '');
    assert.equal(res.error_code, 0);
    assert.equal(res.headers['Content-Type'], 'application/json');
    assert.equal(res.remote_ip, '127.0.0.1');
    assert.equal(res.remote_port, srv.port);
    const echo = res.json() as { method: string; url: string; headers: Record<string, string> };
    assert.equal(echo.method, 'GET');
    assert.equal(echo.url, '/echo?a=1&b=two');
    assert.equal(echo.headers['x-test'], 'yes');
    // With no userAgent option, the same default the options module gives a run ("Volley/<version>").
    assert.equal(echo.headers['user-agent'], DEFAULT_USER_AGENT);
    assert.equal(res.request.method, 'GET');
    assert.deepEqual(res.request.headers['X-Test'], ['yes']);

    for (const m of ['http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'http_req_failed', 'data_sent', 'data_received']) {
      assert.equal(recorder.of(m).length, 1, `${m} recorded once`);
    }
    const s = recorder.of('http_reqs')[0]!;
    assert.equal(s.value, 1);
    assert.deepEqual(s.tags, {
      scenario: 'default',
      name: `${srv.url}/echo?a=1&b=two`,
      url: `${srv.url}/echo?a=1&b=two`,
      method: 'GET',
      status: '200',
      proto: 'HTTP/1.1',
      expected_response: 'true',
    });
    assert.equal(recorder.values('http_req_failed')[0], 0);
    assert.ok(recorder.values('data_sent')[0]! > 50, 'request bytes counted');
    assert.ok(recorder.values('data_received')[0]! > res.body!.toString().length, 'response bytes include headers');
    const t = res.timings;
    assert.ok(Math.abs(t.duration - (t.sending + t.waiting + t.receiving)) < 1e-9);
    assert.equal(recorder.values('http_req_duration')[0], t.duration);
  });

  it('open models: http_req_corrected_duration = duration + the iteration start lag', async () => {
    const { vu, recorder } = newVu();
    await runInVu(vu, () => http.get(`${srv.url}/status/200`));
    assert.equal(recorder.of('http_req_corrected_duration').length, 0, 'closed model: not recorded');
    vu.startLagMs = 250;
    const res = await runInVu(vu, () => http.get(`${srv.url}/status/200`));
    assert.deepEqual(recorder.values('http_req_corrected_duration'), [res.timings.duration + 250]);
  });

  it('supports every method, with bodies', async () => {
    const { vu } = newVu();
    await runInVu(vu, async () => {
      const cases: [string, Promise<import('./index.js').Response>][] = [
        ['POST', http.post(`${srv.url}/echo`, 'post-body')],
        ['PUT', http.put(`${srv.url}/echo`, 'put-body')],
        ['PATCH', http.patch(`${srv.url}/echo`, 'patch-body')],
        ['DELETE', http.del(`${srv.url}/echo`, 'del-body')],
        ['DELETE', http.delete(`${srv.url}/echo`)],
        ['OPTIONS', http.options(`${srv.url}/echo`)],
        ['PROPFIND', http.request('propfind', `${srv.url}/echo`, 'x')],
      ];
      for (const [method, p] of cases) {
        const r = await p;
        assert.equal(r.status, 200, method);
        assert.equal((r.json() as { method: string }).method, method);
      }
      assert.equal(((await http.post(`${srv.url}/echo`, 'abc')).json() as { body: string }).body, 'abc');
      const head = await http.head(`${srv.url}/echo`);
      assert.equal(head.status, 200);
      assert.equal(head.body, '');
    });
  });

  it('encodes bodies as k6 does', async () => {
    const { vu } = newVu();
    await runInVu(vu, async () => {
      type Echo = { body: string; headers: Record<string, string> };
      const form = (await http.post(`${srv.url}/echo`, { b: 'two words', a: 1, c: 'x&y=z~*' })).json() as Echo;
      assert.equal(form.body, 'a=1&b=two+words&c=x%26y%3Dz~%2A');
      assert.equal(form.headers['content-type'], 'application/x-www-form-urlencoded');

      const json = (await http.post(`${srv.url}/echo`, JSON.stringify({ k: 'v' }), { headers: { 'Content-Type': 'application/json' } })).json() as Echo;
      assert.equal(json.body, '{"k":"v"}');
      assert.equal(json.headers['content-type'], 'application/json');

      const jsonObj = (await http.post(`${srv.url}/echo`, { k: 'v' }, { headers: { 'content-type': 'application/json' } })).json() as Echo;
      assert.equal(jsonObj.body, '{"k":"v"}');

      const bin = (await http.post(`${srv.url}/echo`, new Uint8Array([104, 105]))).json() as Echo;
      assert.equal(bin.body, 'hi');
      const ab = (await http.post(`${srv.url}/echo`, new Uint8Array([111, 107]).buffer)).json() as Echo;
      assert.equal(ab.body, 'ok');

      const mp = (await http.post(`${srv.url}/echo`, { field: 'v', upload: http.file('file-content', 'a.txt', 'text/plain') })).json() as Echo;
      assert.match(mp.headers['content-type']!, /^multipart\/form-data; boundary=/);
      assert.match(mp.body, /Content-Disposition: form-data; name="field"\r\n\r\nv\r\n/);
      assert.match(mp.body, /name="upload"; filename="a.txt"\r\nContent-Type: text\/plain\r\n\r\nfile-content\r\n/);

      const gz = await http.post(`${srv.url}/echo`, 'compress me', { compression: 'gzip' });
      assert.equal((gz.json() as Echo).headers['content-encoding'], 'gzip');
    });
  });

  it('decompresses gzip responses and reads JSON with gjson-style selectors', async () => {
    const { vu } = newVu();
    const res = await runInVu(vu, () => http.get(`${srv.url}/gzip`));
    assert.deepEqual(res.json(), TEST_JSON);
    assert.equal(res.json('id'), 42);
    assert.equal(res.json('items.1.id'), 2);
    assert.equal(res.json('items.#'), 2);
    assert.deepEqual(res.json('items.#.id'), [1, 2]);
    assert.equal(res.json('nested.dotted\\.key'), true);
    assert.equal(res.json('nested.deep.value'), 'x');
    assert.equal(res.json('missing.path'), undefined);
  });

  it('parses HTML with res.html()', async () => {
    const { vu } = newVu();
    const res = await runInVu(vu, () => http.get(`${srv.url}/html`));
    assert.equal(res.html('title').text(), 'Test page');
    assert.equal(res.html().find('li').size(), 3);
    assert.equal(res.html('a').attr('href'), '/echo?from=link');
  });

  it('follows links and submits forms (clickLink, submitForm)', async () => {
    const { vu } = newVu();
    await runInVu(vu, async () => {
      const page = await http.get(`${srv.url}/html`);
      const link = (await page.clickLink()).json() as { url: string };
      assert.equal(link.url, '/echo?from=link');
      const sub = (await page.submitForm({ fields: { pw: 'secret' } })).json() as { method: string; body: string };
      assert.equal(sub.method, 'POST');
      assert.equal(sub.body, 'pw=secret&s=2&t=txt&user=bob');
      assert.throws(() => page.clickLink({ selector: 'a.none' }), { code: 'E_HTTP_NO_LINK' });
    });
  });

  it('returns bodies as ArrayBuffer or not at all, per responseType / discardResponseBodies', async () => {
    const { vu } = newVu();
    const bin = await runInVu(vu, () => http.get(`${srv.url}/bytes/5`, { responseType: 'binary' }));
    assert.ok(bin.body instanceof ArrayBuffer);
    assert.equal((bin.body as ArrayBuffer).byteLength, 5);
    const none = await runInVu(vu, () => http.get(`${srv.url}/bytes/5`, { responseType: 'none' }));
    assert.equal(none.body, null);
    const d = newVu({ discardResponseBodies: true });
    const disc = await runInVu(d.vu, () => http.get(`${srv.url}/bytes/5`));
    assert.equal(disc.body, null);
    assert.ok(d.recorder.values('data_received')[0]! >= 5);
  });

  it('tags: http.url templates, params.tags, the name override and the VU tags', async () => {
    const { vu, recorder } = newVu({}, { scenario: 'browse', group: '::g' });
    await runInVu(vu, async () => {
      const id = 7;
      await http.get(http.url`${srv.url}/echo?id=${id}`);
      await http.get(`${srv.url}/echo?id=8`, { tags: { route: '/echo', name: 'echo-by-id' } });
    });
    const [a, b] = recorder.of('http_reqs');
    assert.equal(a!.tags.name, '${}/echo?id=${}');
    // A named request's url tag is its name: unique ids under one name stay one tag set.
    assert.equal(a!.tags.url, '${}/echo?id=${}');
    assert.equal(a!.tags.group, '::g');
    assert.equal(a!.tags.scenario, 'browse');
    assert.equal(b!.tags.name, 'echo-by-id');
    assert.equal(b!.tags.route, '/echo');
    assert.equal(b!.tags.url, 'echo-by-id');
  });
});

describe('http client: statuses and errors', () => {
  it('4xx/5xx are responses with k6 error codes and count as failed', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.get(`${srv.url}/status/404`));
    assert.equal(res.status, 404);
    assert.equal(res.error_code, 1404);
    assert.equal(res.error, '');
    assert.equal(recorder.values('http_req_failed')[0], 1);
    const tags = recorder.of('http_reqs')[0]!.tags;
    assert.equal(tags.expected_response, 'false');
    assert.equal(tags.error_code, '1404');
  });

  it('expectedStatuses and responseCallback decide http_req_failed', async () => {
    const { vu, recorder } = newVu();
    await runInVu(vu, async () => {
      await http.get(`${srv.url}/status/404`, { responseCallback: http.expectedStatuses(404, { min: 200, max: 299 }) });
      await http.get(`${srv.url}/status/200`, { responseCallback: null });
      http.setResponseCallback(http.expectedStatuses(201));
      await http.get(`${srv.url}/status/200`);
    });
    assert.deepEqual(recorder.values('http_req_failed'), [0, 1]);
    assert.equal(recorder.of('http_reqs')[1]!.tags.expected_response, undefined);
    assert.throws(() => http.expectedStatuses('200' as unknown as number), { code: 'E_HTTP_EXPECTED_STATUSES' });
  });

  it('connection refused: status 0, error code 1212, counted as failed, no throw', async () => {
    const port = await closedPort();
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.get(`http://127.0.0.1:${port}/x`));
    assert.equal(res.status, 0);
    assert.equal(res.error_code, ErrorCode.TcpDialRefused);
    assert.equal(res.error, 'dial: connection refused');
    assert.equal(res.body, null);
    assert.equal(recorder.values('http_req_failed')[0], 1);
    const tags = recorder.of('http_reqs')[0]!.tags;
    assert.equal(tags.status, '0');
    assert.equal(tags.error_code, '1212');
    assert.equal(tags.error, 'dial: connection refused');
    assert.equal(tags.expected_response, 'false');
  });

  it('with the throw option, network errors reject with a VolleyError', async () => {
    const port = await closedPort();
    const { vu, recorder } = newVu({ throw: true });
    await assert.rejects(
      runInVu(vu, () => http.get(`http://127.0.0.1:${port}/x`)),
      (e: { code?: string; message?: string }) => e.code === 'E_HTTP_REQUEST' && /connection refused/.test(e.message ?? ''),
    );
    assert.equal(recorder.values('http_reqs').length, 1, 'still recorded');
  });

  it('times out with error code 1050', async () => {
    const { vu, recorder } = newVu();
    const t0 = performance.now();
    const res = await runInVu(vu, () => http.get(`${srv.url}/delay/3000`, { timeout: '200ms' }));
    const elapsed = performance.now() - t0;
    assert.equal(res.status, 0);
    assert.equal(res.error_code, ErrorCode.RequestTimeout);
    assert.equal(res.error, 'request timeout');
    assert.ok(elapsed >= 190 && elapsed < 2500, `elapsed ${elapsed}`);
    assert.ok(res.timings.waiting >= 150, `waiting ${res.timings.waiting}`);
    assert.equal(recorder.values('http_req_failed')[0], 1);
    // The VU's transport is still usable afterwards.
    const ok = await runInVu(vu, () => http.get(`${srv.url}/status/200`, { timeout: 5000 }));
    assert.equal(ok.status, 200);
  });

  it('a timeout in the middle of the body is a failed request with status 0', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.get(`${srv.url}/slow-body/3000`, { timeout: 300 }));
    assert.equal(res.status, 0);
    assert.equal(res.error_code, ErrorCode.RequestTimeout);
    assert.equal(res.body, null);
    assert.ok(res.timings.receiving >= 200, `receiving ${res.timings.receiving}`);
    assert.equal(recorder.of('http_reqs')[0]!.tags.status, '0');
    assert.equal(recorder.values('http_req_failed')[0], 1);
  });

  it('an invalid URL throws naming it, without metrics; bad params throw', async () => {
    const { vu, recorder } = newVu();
    await assert.rejects(runInVu(vu, () => http.get('127.0.0.1:8080/health')), {
      code: 'E_HTTP_INVALID_URL',
      message: 'invalid URL "127.0.0.1:8080/health": no scheme (write "http://127.0.0.1:8080/health"; relative URLs are not supported) (error_code 1020)',
    });
    await assert.rejects(runInVu(vu, () => http.get('ftp://127.0.0.1/')), { code: 'E_HTTP_INVALID_URL', message: /only absolute http/ });
    assert.equal(recorder.samples.length, 0);
    await assert.rejects(runInVu(vu, () => http.get(`${srv.url}/`, { timeout: '10x' })), { code: 'E_HTTP_PARAMS' });
    await assert.rejects(runInVu(vu, () => http.get(`${srv.url}/`, { responseType: 'blob' as 'text' })), { code: 'E_HTTP_PARAMS' });
  });

  it('outside a VU, requests throw a clear init-context error', () => {
    assert.throws(() => http.get(`${srv.url}/`), { code: 'E_INIT_CONTEXT' });
  });

  it('a VU hard stop aborts in-flight requests', async () => {
    const t = newVu();
    const p = runInVu(t.vu, () => http.get(`${srv.url}/delay/3000`));
    setTimeout(() => t.abort(), 100);
    await assert.rejects(p, { name: 'AbortError' });
  });
});

describe('http client: redirects', () => {
  it('follows redirects, recording each hop', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.get(`${srv.url}/redirect/3`));
    assert.equal(res.status, 200);
    assert.equal(res.body, 'done');
    assert.equal(res.url, `${srv.url}/redirect/0`);
    assert.deepEqual(
      recorder.of('http_reqs').map((s) => `${s.tags.status} ${s.tags.url}`),
      [`302 ${srv.url}/redirect/3`, `302 ${srv.url}/redirect/2`, `302 ${srv.url}/redirect/1`, `200 ${srv.url}/redirect/0`],
    );
  });

  it('stops at the limit and returns the redirect response', async () => {
    const { vu } = newVu({ maxRedirects: 1 });
    const res = await runInVu(vu, () => http.get(`${srv.url}/redirect/3`));
    assert.equal(res.status, 302);
    assert.equal(res.headers.Location, '/redirect/1');
    const none = await runInVu(vu, () => http.get(`${srv.url}/redirect/3`, { redirects: 0 }));
    assert.equal(none.status, 302);
    assert.equal(none.url, `${srv.url}/redirect/3`);
    const more = await runInVu(vu, () => http.get(`${srv.url}/redirect/3`, { redirects: 5 }));
    assert.equal(more.status, 200);
  });

  it('303 turns a POST into a GET without a body; 307 keeps both', async () => {
    const { vu } = newVu();
    type Echo = { method: string; body: string; headers: Record<string, string> };
    const to = encodeURIComponent('/echo');
    const r303 = (await runInVu(vu, () => http.post(`${srv.url}/redirect-to?status=303&url=${to}`, { a: 1 }))).json() as Echo;
    assert.equal(r303.method, 'GET');
    assert.equal(r303.body, '');
    assert.equal(r303.headers['content-type'], undefined);
    const r307 = (await runInVu(vu, () => http.post(`${srv.url}/redirect-to?status=307&url=${to}`, 'keep'))).json() as Echo;
    assert.equal(r307.method, 'POST');
    assert.equal(r307.body, 'keep');
  });
});

describe('http client: auth', () => {
  it('sends URL credentials as Basic auth', async () => {
    const { vu } = newVu();
    const port = srv.port;
    const r = (await runInVu(vu, () => http.get(`http://al%20ice:s3cr%3At@127.0.0.1:${port}/echo`))).json() as { headers: Record<string, string> };
    assert.equal(r.headers.authorization, `Basic ${Buffer.from('al ice:s3cr:t').toString('base64')}`);
  });

  it("answers a Digest challenge with auth: 'digest', recording both exchanges", async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.get(`http://u:p@127.0.0.1:${srv.port}/digest`, { auth: 'digest' }));
    assert.equal(res.status, 200);
    assert.equal(res.body, 'authenticated');
    assert.deepEqual(recorder.values('http_req_failed'), [0, 0], 'the challenge 401 is not a failure');
    assert.deepEqual(recorder.of('http_reqs').map((s) => s.tags.status), ['401', '200']);
    const wrong = await runInVu(vu, () => http.get(`http://u:bad@127.0.0.1:${srv.port}/digest`, { auth: 'digest' }));
    assert.equal(wrong.status, 401);
    await assert.rejects(runInVu(vu, () => http.get(`${srv.url}/digest`, { auth: 'digest' })), { code: 'E_HTTP_PARAMS' });
    await assert.rejects(runInVu(vu, () => http.get(`${srv.url}/digest`, { auth: 'ntlm' })), { code: 'E_HTTP_PARAMS' });
  });
});

describe('http client: cookies', () => {
  it('keeps cookies per VU within an iteration and resets them at iteration start', async () => {
    const a = newVu();
    const b = newVu();
    type C = { cookie: string };
    await runInVu(a.vu, () => http.get(`${srv.url}/set-cookie?session=abc&theme=dark`));
    const seen = (await runInVu(a.vu, () => http.get(`${srv.url}/cookies`))).json() as C;
    assert.equal(seen.cookie, 'session=abc; theme=dark');
    const other = (await runInVu(b.vu, () => http.get(`${srv.url}/cookies`))).json() as C;
    assert.equal(other.cookie, '', 'another VU has its own jar');
    assert.deepEqual(runInVu(a.vu, () => http.cookieJar().cookiesForURL(srv.url)), { session: ['abc'], theme: ['dark'] });

    onIterationStart(a.vu);
    const afterReset = (await runInVu(a.vu, () => http.get(`${srv.url}/cookies`))).json() as C;
    assert.equal(afterReset.cookie, '');
  });

  it('noCookiesReset keeps the jar across iterations', async () => {
    const { vu } = newVu({ noCookiesReset: true });
    await runInVu(vu, () => http.get(`${srv.url}/set-cookie?keep=1`));
    onIterationStart(vu);
    const r = (await runInVu(vu, () => http.get(`${srv.url}/cookies`))).json() as { cookie: string };
    assert.equal(r.cookie, 'keep=1');
  });

  it('sets cookies from redirects, params.cookies, jar.set and res.cookies', async () => {
    const { vu } = newVu();
    await runInVu(vu, async () => {
      const to = encodeURIComponent('/set-cookie?via=redirect');
      await http.get(`${srv.url}/redirect-to?status=302&url=${to}`);
      const jar = http.cookieJar();
      jar.set(srv.url, 'manual', 'm');
      const r = (await http.get(`${srv.url}/cookies`, { cookies: { extra: 'e', via: { value: 'override', replace: true } } })).json() as { cookie: string };
      assert.equal(r.cookie, 'manual=m; extra=e; via=override');
      const sc = await http.get(`${srv.url}/set-cookie?x=1`);
      assert.equal(sc.cookies.x?.[0]?.value, '1');
      assert.equal(sc.cookies.x?.[0]?.path, '/');
      jar.delete(srv.url, 'manual');
      assert.deepEqual(Object.keys(jar.cookiesForURL(srv.url)).sort(), ['via', 'x']);
      jar.clear(srv.url);
      assert.deepEqual(jar.cookiesForURL(srv.url), {});
      // A separate jar, and no jar at all.
      const own = new http.CookieJar();
      own.set(srv.url, 'own', '1');
      const r2 = (await http.get(`${srv.url}/cookies`, { jar: own })).json() as { cookie: string };
      assert.equal(r2.cookie, 'own=1');
    });
  });
});

describe('http client: connections and timings', () => {
  it('reuses a VU connection (connecting 0 on reuse) and measures waiting', async () => {
    const { vu, recorder } = newVu();
    const r1 = await runInVu(vu, () => http.get(`${srv.url}/port`));
    const r2 = await runInVu(vu, () => http.get(`${srv.url}/delay/150`));
    const r3 = await runInVu(vu, () => http.get(`${srv.url}/port`));
    assert.equal(r1.body, r3.body, 'same source port: same connection');
    assert.ok(r1.timings.connecting > 0, `first connects (${r1.timings.connecting})`);
    assert.equal(r2.timings.connecting, 0);
    assert.equal(r3.timings.connecting, 0);
    assert.ok(r2.timings.waiting >= 140, `waiting ${r2.timings.waiting}`);
    assert.ok(r2.timings.waiting < 2000);
    assert.equal(r1.timings.tls_handshaking, 0);
    for (const r of [r1, r2, r3]) {
      const t = r.timings;
      for (const v of Object.values(t)) assert.ok(v >= 0 && Number.isFinite(v));
      assert.ok(t.blocked < 1000);
    }
    assert.deepEqual(recorder.values('http_req_connecting').map((v) => v > 0), [true, false, false]);
  });

  it('noConnectionReuse opens a connection per request; noVUConnectionReuse one per iteration', async () => {
    const a = newVu({ noConnectionReuse: true });
    const p1 = await runInVu(a.vu, () => http.get(`${srv.url}/port`));
    const p2 = await runInVu(a.vu, () => http.get(`${srv.url}/port`));
    assert.notEqual(p1.body, p2.body);
    assert.ok(p2.timings.connecting > 0);

    const b = newVu({ noVUConnectionReuse: true });
    const q1 = await runInVu(b.vu, () => http.get(`${srv.url}/port`));
    const q2 = await runInVu(b.vu, () => http.get(`${srv.url}/port`));
    assert.equal(q1.body, q2.body, 'reused within the iteration');
    onIterationStart(b.vu);
    const q3 = await runInVu(b.vu, () => http.get(`${srv.url}/port`));
    assert.notEqual(q3.body, q1.body, 'new connection in the next iteration');
  });

  it('reconnects transparently when the server closes the connection', async () => {
    const { vu } = newVu();
    const r1 = await runInVu(vu, () => http.get(`${srv.url}/close`));
    const r2 = await runInVu(vu, () => http.get(`${srv.url}/port`));
    assert.equal(r1.status, 200);
    assert.equal(r2.status, 200);
    assert.ok(r2.timings.connecting > 0);
  });

  it('receiving covers a slow body', async () => {
    const { vu } = newVu();
    const r = await runInVu(vu, () => http.get(`${srv.url}/slow-body/150`));
    assert.equal(r.body, 'first last');
    assert.ok(r.timings.receiving >= 120, `receiving ${r.timings.receiving}`);
  });
});

describe('http.batch', () => {
  it('runs requests in parallel within batchPerHost', async () => {
    srv.reset();
    const { vu, recorder } = newVu({ batchPerHost: 3 });
    const t0 = performance.now();
    const res = await runInVu(vu, () => http.batch(Array.from({ length: 7 }, () => `${srv.url}/delay/150`)));
    const elapsed = performance.now() - t0;
    assert.equal(res.length, 7);
    for (const r of res) assert.equal(r.status, 200);
    assert.ok(srv.maxActive <= 3 && srv.maxActive >= 2, `maxActive ${srv.maxActive}`);
    assert.ok(elapsed >= 400, `3 waves of 150ms, took ${elapsed}`);
    assert.ok(elapsed < 3000, `parallel, took ${elapsed}`);
    assert.equal(recorder.values('http_reqs').length, 7);
  });

  it('respects the overall batch limit and supports all request forms', async () => {
    srv.reset();
    const { vu } = newVu({ batch: 2, batchPerHost: 10 });
    const res = await runInVu(vu, () =>
      http.batch({
        a: `${srv.url}/delay/100`,
        b: ['POST', `${srv.url}/echo`, 'body-b'],
        c: { method: 'PUT', url: `${srv.url}/echo`, body: 'body-c', params: { headers: { 'X-C': '1' } } },
        d: `${srv.url}/delay/100`,
      }),
    );
    assert.deepEqual(Object.keys(res), ['a', 'b', 'c', 'd']);
    assert.equal((res.b!.json() as { body: string }).body, 'body-b');
    const c = res.c!.json() as { method: string; headers: Record<string, string> };
    assert.equal(c.method, 'PUT');
    assert.equal(c.headers['x-c'], '1');
    assert.ok(srv.maxActive <= 2);
  });
});
