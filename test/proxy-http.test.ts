/**
 * `volley proxy` in front of `volley target` over HTTP: passthrough, unbuffered streams, and each
 * HTTP fault kind, with rates checked within statistical tolerance and windows on the proxy's clock.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { hit, lagProbe, pool } from '../src/target/testing/timed-client.js';
import { ProxyCollection, parseHttpFault, type Proxy } from '../src/proxy/index.js';

let target: RunningTarget;
const proxies = new ProxyCollection();
let lagMs = () => 0;
let stopLag = () => {};

before(async () => {
  target = await startTarget({
    routes: [
      { path: '/v1/items', body: { json: { size: '2kb' } } },
      { path: '/health' },
      { path: '/big', body: { json: { size: '20kb' } } },
      { path: '/echo', method: 'POST', kind: 'echo' },
      { path: '/sse', kind: 'sse', sse: { events: 8, interval: '60ms' } },
    ],
  });
  const lag = lagProbe();
  lagMs = () => lag.maxMs();
  stopLag = () => lag.stop();
});
after(async () => {
  stopLag();
  await proxies.close();
  await target.close();
});

let n = 0;
async function proxyWith(faults: Record<string, unknown>[] = []): Promise<{ p: Proxy; url: string }> {
  const p = await proxies.add({ name: `p${++n}`, listen: '127.0.0.1:0', upstream: target.url });
  faults.forEach((f, i) => {
    const r = parseHttpFault(f, `fault${i}`, `f${i}`);
    assert.deepEqual(r.problems, []);
    p.addFault(r.fault!);
  });
  return { p, url: `http://${p.listen}` };
}

test('passes requests and bodies through, status and headers intact', async () => {
  const { url } = await proxyWith();
  const r = await hit(`${url}/v1/items?x=1`);
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).constructor, Object);
  const e = await hit(`${url}/echo`, { method: 'POST', body: 'hello proxy', headers: { 'content-type': 'text/plain' } });
  assert.equal(e.status, 200);
  assert.match(e.body, /hello proxy/);
});

test('SSE streams pass through unbuffered: each event arrives when the direct stream gets it', async () => {
  const { url } = await proxyWith();
  const times = (u: string) => {
    const at: number[] = [];
    return hit(`${u}/sse`, { onChunk: (t) => at.push(t) }).then((r) => ({ r, at }));
  };
  const [direct, proxied] = await Promise.all([times(target.url), times(url)]);
  assert.equal(proxied.r.status, 200);
  assert.equal(proxied.r.body.match(/^data:/gm)?.length, 8);
  // Unbuffered: the first event arrives long before the stream ends (8 events, 60 ms apart).
  assert.ok(proxied.at[0]! - proxied.r.startMs < proxied.r.endMs - proxied.r.startMs - 300, 'first event came with the end: buffered');
  assert.ok(proxied.at.length >= 6, `events arrived in ${proxied.at.length} chunks`);
  // Time to first event through the proxy within a few ms of direct (plus how late the loop ran).
  const ttftDirect = direct.at[0]! - direct.r.startMs;
  const ttftProxy = proxied.at[0]! - proxied.r.startMs;
  assert.ok(Math.abs(ttftProxy - ttftDirect) < 10 + lagMs(), `ttft direct ${ttftDirect.toFixed(1)} ms, proxied ${ttftProxy.toFixed(1)} ms`);
});

test('status fault: injected at its rate (±5σ), only on matching paths, with headers and body', async () => {
  const { p, url } = await proxyWith([{ status: 503, rate: 0.3, path: '/v1/*', headers: { 'retry-after': '2' } }]);
  const N = 400;
  const rs = await pool(N, 16, () => hit(`${url}/v1/items`));
  const failed = rs.filter((r) => r.status === 503);
  const sd = Math.sqrt(N * 0.3 * 0.7);
  assert.ok(Math.abs(failed.length - N * 0.3) < 5 * sd, `${failed.length} of ${N} got 503`);
  assert.equal(failed[0]!.headers['retry-after'], '2');
  assert.equal(JSON.parse(failed[0]!.body).fault, 'f0');
  assert.equal(rs.filter((r) => r.status !== 503 && r.status !== 200).length, 0);
  const other = await pool(50, 8, () => hit(`${url}/health`));
  assert.ok(other.every((r) => r.status === 200), 'a path outside the glob was hit');
  assert.equal(p.injectedByKind().status, failed.length);
  assert.equal(p.faultJson(p.faults[0]!).matched, N);
});

test('latency fault adds its delay; method and header matches select requests', async () => {
  const { url } = await proxyWith([{ latency: '150ms', method: 'GET', ifHeader: 'x-slow: y*' }]);
  const t0 = performance.now();
  await hit(`${url}/health`, { headers: { 'x-slow': 'yes' } });
  const slow = performance.now() - t0;
  const t1 = performance.now();
  await hit(`${url}/health`, { headers: { 'x-slow': 'no' } });
  const fast = performance.now() - t1;
  assert.ok(slow >= 148, `slow ${slow}`);
  assert.ok(fast < 100 + lagMs(), `fast ${fast}`);
});

test('reset before: the client sees ECONNRESET; reset after: the headers arrived first', async () => {
  const { url } = await proxyWith([{ kind: 'reset', path: '/v1/*' }, { kind: 'reset', when: 'after', path: '/big' }]);
  await assert.rejects(hit(`${url}/v1/items`), (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET');
  // A raw socket sees the status line, then the connection cut: ECONNRESET (usually), or, on a
  // loaded machine where the RST races the read, at least an end before the 20 KB body came.
  const seen = await new Promise<{ how: string; got: string }>((resolve) => {
    const s = connect(Number(url.split(':')[2]), '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ how: e.code ?? 'error', got }));
    s.on('end', () => resolve({ how: 'end', got }));
    s.write('GET /big HTTP/1.1\r\nhost: x\r\n\r\n');
  });
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(seen.got)?.[1] ?? 0);
  assert.ok(seen.how === 'ECONNRESET' || seen.got.length < 20 * 1024, `connection ended by ${seen.how} after ${seen.got.length} bytes`);
  assert.equal(status, 200, 'the status line should have arrived before the reset');
});

test('truncate cuts the body and closes; stall pauses a stream once; hang holds then closes', async () => {
  const { url } = await proxyWith([
    { truncate: '1kb', path: '/big' },
    { stall: '400ms', after: 2, path: '/sse' },
    { hang: '300ms', path: '/health' },
  ]);
  await assert.rejects(hit(`${url}/big`), /aborted|ECONNRESET|socket hang up|premature/i);
  const at: number[] = [];
  const r = await hit(`${url}/sse`, { onChunk: (t) => at.push(t) });
  assert.equal(r.body.match(/^data:/gm)?.length, 8);
  const gaps = at.slice(1).map((t, i) => t - at[i]!);
  assert.ok(Math.max(...gaps) >= 390, `largest gap ${Math.max(...gaps)} ms`);
  const t0 = performance.now();
  await assert.rejects(hit(`${url}/health`));
  const held = performance.now() - t0;
  assert.ok(held >= 290 && held < 1000 + lagMs(), `held ${held} ms`);
});

test('bandwidth fault throttles the response body', async () => {
  const { url } = await proxyWith([{ bandwidth: '40kb', path: '/big' }]);
  const r = await hit(`${url}/big`);
  assert.equal(r.status, 200);
  // 20 KiB at 40 KiB/s: about 500 ms.
  assert.ok(r.ms >= 400, `took ${r.ms} ms`);
});

test('windows follow the proxy clock: the fault is active from start to start+duration only', async () => {
  const { p, url } = await proxyWith([{ status: 500, start: '300ms', duration: '300ms' }]);
  p.setClockStart();
  const t0 = performance.now();
  const seen: { at: number; status: number }[] = [];
  while (performance.now() - t0 < 900) {
    const r = await hit(`${url}/health`);
    seen.push({ at: r.startMs - t0, status: r.status });
  }
  const late = 25 + lagMs();
  for (const s of seen) {
    if (s.at < 300 - late || (s.at > 600 + late && s.at < 900)) assert.equal(s.status, 200, `at ${s.at.toFixed(0)} ms`);
    if (s.at > 300 + late && s.at < 600 - late) assert.equal(s.status, 500, `at ${s.at.toFixed(0)} ms`);
  }
  assert.ok(seen.some((s) => s.status === 500));
});

test('never crashes: malformed requests get 400, vanished clients are cleaned up, an upstream down gives 502', async () => {
  const { url, p } = await proxyWith();
  const port = Number(url.split(':')[2]);
  const answer = await new Promise<string>((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('close', () => resolve(got));
    s.on('error', () => {});
    s.write('NOT HTTP AT ALL\r\n\r\n');
  });
  assert.match(answer, /^HTTP\/1\.1 400/);
  // A client that leaves in the middle of a stream.
  await new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('data', () => {
      s.destroy();
      resolve();
    });
    s.on('error', () => {});
    s.write('GET /sse HTTP/1.1\r\nhost: x\r\n\r\n');
  });
  assert.equal((await hit(`${url}/health`)).status, 200);
  // Upstream gone: 502 with a JSON reason.
  const dead = await proxies.add({ name: 'dead', listen: '127.0.0.1:0', upstream: 'http://127.0.0.1:1' });
  const r = await hit(`http://${dead.listen}/x`);
  assert.equal(r.status, 502);
  assert.match(r.body, /ECONNREFUSED/);
  assert.ok(p.enabled);
});
