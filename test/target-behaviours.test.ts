/**
 * Route behaviours over real sockets: capacity (concurrency + queue → 503), injected errors (status,
 * reset, hang, slow drip), SSE and chunked streams, templates and headers, request ids, 404/405/HEAD,
 * and the ground-truth endpoints (stats JSON, Prometheus, reset).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { startTarget } from '../src/target/index.js';
import { hit, lagProbe, sleep } from '../src/target/testing/timed-client.js';

test('concurrency: max in service, FIFO queue, 503 when the queue is full; latency climbs past the knee', async () => {
  // 400 ms of work: all 8 requests arrive well within it even on a starved machine.
  const t = await startTarget({ routes: [{ path: '/work', latency: '400ms', concurrency: { max: 2, queue: 3 } }] });
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const lag = lagProbe();
  try {
    const rs = await Promise.all(Array.from({ length: 8 }, () => hit(`${t.url}/work`, { agent })));
    const ok = rs.filter((r) => r.status === 200).sort((a, b) => a.ms - b.ms);
    const full = rs.filter((r) => r.status === 503);
    assert.equal(ok.length, 5);
    assert.equal(full.length, 3);
    // Refused at once: before any request could be served (≥ 400 ms).
    for (const r of full) assert.ok(r.endMs < ok[0]!.endMs, `503 after ${r.ms.toFixed(0)} ms, first 200 after ${ok[0]!.ms.toFixed(0)} ms`);
    // Served two at a time, FIFO: ≈400, 400, 800, 800, 1200 ms (never earlier; later only by loop lag).
    // Upper bounds are relative to the first answer: on a starved machine requests may reach the target late.
    const when = `answers at ${ok.map((x) => x.ms.toFixed(0)).join(', ')} ms`;
    ok.forEach((r, i) => {
      const wave = Math.floor(i / 2);
      assert.ok(r.ms >= (wave + 1) * 400 - 2, when);
      assert.ok(r.endMs - ok[0]!.endMs < wave * 400 + 150 + lag.maxMs(), when);
    });
    const s = t.stats();
    assert.equal(s.inFlight, 0);
    assert.equal(s.queued, 0);
    assert.deepEqual(s.routes['GET /work']!.statuses, { '200': 5, '503': 3 });
  } finally {
    lag.stop();
    agent.destroy();
    await t.close();
  }
});

test('service-wide concurrency applies across routes', async () => {
  const t = await startTarget({ config: { routes: [{ path: '/a', latency: '80ms' }, { path: '/b', latency: '80ms' }], concurrency: { max: 1, queue: 0 } } });
  try {
    const [a, b] = await Promise.all([hit(`${t.url}/a`), hit(`${t.url}/b`)]);
    assert.deepEqual([a.status, b.status].sort(), [200, 503]);
  } finally {
    await t.close();
  }
});

test('errors: status rate with a list of codes and a custom body', async () => {
  const t = await startTarget({ routes: [{ path: '/e', errors: { rate: 1, status: [502, 504], body: { json: { oops: '{{requestId}}' } } } }] });
  try {
    const rs = await Promise.all(Array.from({ length: 30 }, () => hit(`${t.url}/e`)));
    const seen = new Set(rs.map((r) => r.status));
    assert.deepEqual([...seen].sort(), [502, 504]);
    for (const r of rs) assert.deepEqual(JSON.parse(r.body), { oops: r.headers['x-request-id'] });
  } finally {
    await t.close();
  }
});

test('errors: a configured fraction, seeded', async () => {
  const t = await startTarget({ config: { seed: 3, routes: [{ path: '/p', errors: { rate: 0.2, status: 503 } }] } });
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  try {
    const rs = await Promise.all(Array.from({ length: 1000 }, () => hit(`${t.url}/p`, { agent })));
    const bad = rs.filter((r) => r.status === 503).length;
    assert.ok(bad > 150 && bad < 250, `${bad} errors out of 1000 at rate 0.2`);
    assert.equal(JSON.parse(rs.find((r) => r.status === 503)!.body).error.type, 'service_unavailable');
  } finally {
    agent.destroy();
    await t.close();
  }
});

test('seed: each route has its own stream, so its decisions do not depend on other routes’ traffic', async () => {
  const routes = [
    { path: '/a', errors: { rate: 0.5, status: 503 } },
    { path: '/b', latency: { uniform: ['1ms', '3ms'] }, errors: { rate: 0.5, status: 500 } },
  ];
  const sequence = async (interleave: boolean, seed: number): Promise<string> => {
    const t = await startTarget({ config: { seed, routes } });
    try {
      let s = '';
      for (let i = 0; i < 40; i++) {
        if (interleave && i % 3 === 0) await hit(`${t.url}/b`);
        s += (await hit(`${t.url}/a`)).status === 503 ? 'x' : '.';
      }
      return s;
    } finally {
      await t.close();
    }
  };
  const alone = await sequence(false, 7);
  assert.equal(await sequence(true, 7), alone);
  assert.ok(alone.includes('x') && alone.includes('.'), alone);
  assert.notEqual(await sequence(false, 8), alone);
});

test('errors: connection reset, hung request, slow drip', async () => {
  const t = await startTarget({
    routes: [
      { path: '/reset', errors: { reset: 1 } },
      { path: '/hang', errors: { hang: 1 } },
      { path: '/slow', body: { text: 'x'.repeat(100) }, errors: { slow: { rate: 1, for: '400ms' } } },
    ],
  });
  const lag = lagProbe();
  try {
    await assert.rejects(hit(`${t.url}/reset`), (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET');
    await assert.rejects(hit(`${t.url}/hang`, { timeoutMs: 200 }), (e: NodeJS.ErrnoException) => e.code === 'ETIMEDOUT');
    const chunks: number[] = [];
    const slow = await hit(`${t.url}/slow`, { onChunk: (at) => chunks.push(at) });
    assert.equal(slow.body, 'x'.repeat(100));
    assert.ok(slow.ms >= 370 && slow.ms < 800 + lag.maxMs(), `drip over 400 ms took ${slow.ms.toFixed(0)} ms`);
    assert.ok(chunks.length >= 5, `${chunks.length} chunks`);
    await sleep(50); // the hung request's close reaches the target
    const s = t.stats().routes;
    assert.equal(s['GET /reset']!.resets, 1);
    assert.equal(s['GET /hang']!.hung, 1);
    assert.equal(s['GET /hang']!.count, 0);
    assert.equal(s['GET /slow']!.statuses['200'], 1);
    assert.ok(s['GET /slow']!.serviceTimeMs.max >= 380, 'service time includes the drip');
    assert.equal(t.stats().inFlight, 0);
  } finally {
    lag.stop();
    await t.close();
  }
});

test('close() ends hung and streaming requests', async () => {
  const t = await startTarget({ routes: [{ path: '/hang', errors: { hang: 1 } }, { kind: 'sse', path: '/sse', sse: { events: 1000, interval: '50ms' } }] });
  const pending = [hit(`${t.url}/hang`).catch((e: Error) => e), hit(`${t.url}/sse`).catch((e: Error) => e)];
  await sleep(100);
  await t.close();
  const outcomes = await Promise.all(pending);
  for (const o of outcomes) assert.ok(o instanceof Error || typeof o === 'object');
});

test('SSE: events, ids, event names, templated data, retry; chunked transfer', async () => {
  const t = await startTarget({
    routes: [
      { kind: 'sse', path: '/sse', sse: { events: 5, interval: '20ms', event: 'tick', data: '{"n":{{seq}},"q":"{{query.q}}"}', retry: '3s' } },
      { kind: 'chunked', path: '/chunked', chunked: { chunks: 4, size: 1000, interval: '30ms' } },
    ],
  });
  try {
    const s = await hit(`${t.url}/sse?q=hello`);
    assert.match(String(s.headers['content-type']), /^text\/event-stream/);
    const events = s.body.split('\n\n').filter(Boolean);
    assert.equal(events[0], 'retry: 3000');
    assert.equal(events.length, 6);
    events.slice(1).forEach((e, i) => assert.equal(e, `id: ${i + 1}\nevent: tick\ndata: {"n":${i + 1},"q":"hello"}`));
    assert.ok(s.ms >= 95, `5 events 20 ms apart took ${s.ms.toFixed(0)} ms`);

    const times: number[] = [];
    const c = await hit(`${t.url}/chunked`, { onChunk: (at) => times.push(at) });
    assert.equal(c.headers['transfer-encoding'], 'chunked');
    assert.equal(c.body.length, 4000);
    assert.ok(c.ms >= 110, `4 chunks 30 ms apart took ${c.ms.toFixed(0)} ms`);
    assert.ok(times.length >= 3);
  } finally {
    await t.close();
  }
});

test('templates, headers, generated bodies, echo, HEAD, 404/405, request ids', async () => {
  const t = await startTarget({
    routes: [
      { path: '/users/:id', headers: { 'Cache-Control': 'max-age=60', 'x-n': 7 }, body: { json: { id: '{{params.id}}', q: '{{query.q}}', agent: '{{headers.user-agent}}', n: '{{seq}}' } } },
      { path: '/big', body: { json: { size: '64kb' } } },
      { path: '/text', status: 201, body: 'hello {{method}} {{path}}' },
      { method: 'POST', path: '/reports', requestBody: { json: true }, body: { json: { title: '{{body.title}}' } } },
      { kind: 'echo', path: '/echo' },
      { path: '/empty', status: 204 },
    ],
  });
  try {
    const u = await hit(`${t.url}/users/a%22b?q=x`, { headers: { 'user-agent': 'volley-test' } });
    assert.deepEqual(JSON.parse(u.body), { id: 'a"b', q: 'x', agent: 'volley-test', n: '1' });
    assert.equal(u.headers['cache-control'], 'max-age=60');
    assert.equal(u.headers['x-n'], '7');
    assert.match(String(u.headers['x-request-id']), /^[0-9a-f]{8}-[0-9a-z]+$/);
    assert.equal(Number(u.headers['content-length']), Buffer.byteLength(u.body));

    const big = await hit(`${t.url}/big`);
    assert.equal(big.body.length, 64 * 1024);
    JSON.parse(big.body);

    const text = await hit(`${t.url}/text`);
    assert.equal(text.status, 201);
    assert.equal(text.body, 'hello GET /text');
    assert.match(String(text.headers['content-type']), /^text\/plain/);

    const rep = await hit(`${t.url}/reports`, { method: 'POST', body: JSON.stringify({ title: 'Q3 "final"' }) });
    assert.deepEqual(JSON.parse(rep.body), { title: 'Q3 "final"' });
    assert.equal((await hit(`${t.url}/reports`, { method: 'POST', body: '{"title": oops}' })).status, 400);

    const echo = JSON.parse((await hit(`${t.url}/echo/?a=1`, { method: 'PUT', headers: { 'x-request-id': 'mine-123' }, body: 'payload' })).body);
    assert.deepEqual([echo.method, echo.path, echo.query.a, echo.body, echo.requestId], ['PUT', '/echo/', '1', 'payload', 'mine-123']);

    const head = await hit(`${t.url}/text`, { method: 'HEAD' });
    assert.equal(head.status, 201);
    assert.equal(head.body, '');
    assert.equal((await hit(`${t.url}/empty`)).status, 204);

    const nf = await hit(`${t.url}/nothing`, { headers: { 'x-request-id': 'client-id-1' } });
    assert.equal(nf.status, 404);
    assert.equal(nf.headers['x-request-id'], 'client-id-1', 'a client-supplied x-request-id is echoed');
    const na = await hit(`${t.url}/text`, { method: 'DELETE' });
    assert.equal(na.status, 405);
    assert.equal(na.headers['allow'], 'GET');
    assert.equal(t.stats().routes['(unmatched)']!.count, 2);
  } finally {
    await t.close();
  }
});

test('ground truth endpoints: stats JSON, Prometheus metrics, reset; internal requests are not counted', async () => {
  const t = await startTarget({ routes: [{ path: '/x', latency: '10ms' }] });
  try {
    await Promise.all(Array.from({ length: 20 }, () => hit(`${t.url}/x`)));
    const st = await hit(`${t.url}/__volley/stats`);
    assert.equal(st.status, 200);
    assert.ok(st.headers['x-request-id']);
    const s = JSON.parse(st.body);
    const r = s.routes['GET /x'];
    assert.equal(r.count, 20);
    assert.deepEqual(r.statuses, { '200': 20 });
    for (const k of ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max']) assert.equal(typeof r.serviceTimeMs[k], 'number', k);
    assert.ok(r.serviceTimeMs.p50 >= 10 && r.serviceTimeMs.p50 < 40, String(r.serviceTimeMs.p50));
    assert.equal(s.totals.count, 20);
    assert.equal(typeof s.startedAt, 'string');
    const withH = JSON.parse((await hit(`${t.url}/__volley/stats?histogram=1`)).body);
    assert.equal(typeof withH.routes['GET /x'].histogram, 'string');

    const m = await hit(`${t.url}/metrics`);
    assert.match(String(m.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(m.body, /^volley_target_requests_total\{route="GET \/x",status="200"\} 20$/m);
    assert.match(m.body, /^volley_target_service_time_seconds_count\{route="GET \/x"\} 20$/m);
    assert.equal((await hit(`${t.url}/__volley/metrics`)).body.split('\n')[0], m.body.split('\n')[0]);
    const routes = JSON.parse((await hit(`${t.url}/__volley/routes`)).body).routes;
    assert.deepEqual(routes, [{ name: 'GET /x', method: 'GET', path: '/x', kind: 'static' }]);

    assert.equal((await hit(`${t.url}/__volley/reset`)).status, 405);
    const reset = await hit(`${t.url}/__volley/reset`, { method: 'POST' });
    assert.deepEqual(JSON.parse(reset.body), { reset: true, state: false });
    const after = t.stats();
    assert.equal(after.totals.count, 0);
    assert.equal(after.routes['GET /x']!.count, 0);
  } finally {
    await t.close();
  }
});

test('demo profile plus user routes: a user route replaces the demo route on its path', async () => {
  const t = await startTarget({ profile: 'demo', routes: [{ path: '/health', body: 'mine' }] });
  try {
    assert.equal((await hit(`${t.url}/health`)).body, 'mine');
    assert.equal(t.routes.filter((r) => r.path === '/health').length, 1);
    assert.equal((await hit(`${t.url}/fast`)).body, 'ok');
  } finally {
    await t.close();
  }
});

test('demo profile: every route answers', async () => {
  const t = await startTarget();
  assert.equal(t.profile, 'demo');
  try {
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 });
    const calls: [string, string, string?, Record<string, string>?][] = [
      ['GET', '/health'],
      ['GET', '/fast'],
      ['GET', '/api/assignments/user-1'],
      ['GET', '/api/experiments'],
      ['GET', '/api/experiments/exp_1'],
      ['GET', '/api/flags/flag_1'],
      ['POST', '/api/events', '{"type":"click"}'],
      ['POST', '/api/assistant/query', '{"query":"what is p99?","max_tokens":3}', { 'x-api-key': 'k' }],
      ['POST', '/v1/chat/completions', body],
      ['POST', '/v1/completions', '{"prompt":"x","max_tokens":2}'],
      ['POST', '/api/uploads'],
      ['GET', '/api/stream'],
      ['GET', '/api/chunked'],
      ['POST', '/echo', 'x'],
    ];
    const rs = await Promise.all(calls.map(([method, path, b, headers]) => hit(`${t.url}${path}`, { method, ...(b ? { body: b } : {}), ...(headers ? { headers } : {}) })));
    rs.forEach((r, i) => assert.ok(r.status >= 200 && r.status < 300, `${calls[i]![0]} ${calls[i]![1]} → ${r.status} ${r.body.slice(0, 200)}`));
    assert.deepEqual(JSON.parse(rs[2]!.body).user, 'user-1');
    assert.equal((await hit(`${t.url}/api/events`, { method: 'POST', body: '{"type":' })).status, 400);
    // Results: 1% errors by design; answer 200 or 503.
    const res = await hit(`${t.url}/api/results/exp_1`);
    assert.ok(res.status === 200 || res.status === 503);
    // The assistant streams when asked.
    const stream = await hit(`${t.url}/api/assistant/query?stream=true`, { method: 'POST', headers: { 'x-api-key': 'k2' }, body: '{"query":"hi","max_tokens":2}' });
    assert.ok(stream.body.endsWith('data: [DONE]\n\n'));
  } finally {
    await t.close();
  }
});
