/**
 * Streams against real servers on loopback: `http.stream`, `volley/sse` and `volley/ws`.
 * Truth: time to first chunk / first event against `volley target`'s configured delay (within
 * 2 ms + 2 %, plus the event loop's measured lag on a loaded machine); cut streams, malformed SSE,
 * timeouts: counted failures with their codes, never a hang; WebSocket echo round trips and
 * reconnects with Last-Event-ID.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { lagProbe } from '../src/target/testing/timed-client.js';
import { makeTestVu, runInVu, type TestVu } from '../src/vu/testing/test-support.js';
import http, { ErrorCode } from '../src/protocols/http/index.js';
import sse, { SseParser, type SseEvent } from '../src/protocols/sse/module.js';
import ws, { WebSocket } from '../src/protocols/ws/module.js';

const FIRST = 120; // ms: the target's fixed interval before the first event / chunk
let target: RunningTarget;
let raw: Server;
let rawUrl = '';
const vus: TestVu[] = [];
const lag = lagProbe();

function newVu(): TestVu {
  const t = makeTestVu({});
  vus.push(t);
  return t;
}

/**
 * |measured − truth| ≤ 2 ms + 2 %, plus what a loaded machine adds: client and server share this
 * process, and each measurement crosses three turns of its event loop (the request written, the
 * server's timer, the answer read), each of which can be late by the loop's worst lag.
 */
function assertTrue(measured: number, truth: number, what: string, gap = false): void {
  const tol = 2 + 0.02 * truth + 3 * lag.maxMs();
  // Nothing arrives before the server sends it; but a gap between two arrivals shrinks when the
  // first one was read late (the event loop's lag), so gaps get the tolerance on both sides.
  assert.ok(measured >= truth - (gap ? tol : 1), `${what}: ${measured.toFixed(2)} ms < configured ${truth} ms`);
  assert.ok(measured - truth <= tol, `${what}: ${measured.toFixed(2)} ms vs configured ${truth} ms (tolerance ${tol.toFixed(1)} ms)`);
}

/** A raw server for what `volley target` does not misbehave with on purpose. */
function rawHandler(req: { url?: string; headers: Record<string, string | string[] | undefined> }, res: ServerResponse): void {
  const u = new URL(req.url ?? '/', 'http://x');
  switch (u.pathname) {
    case '/cut': // headers, one chunk, then the connection dies mid-body
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part');
      setTimeout(() => res.socket?.destroy(), 30);
      return;
    case '/hang': // headers, then nothing
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      return;
    case '/sse-cut': // an event, then half an event, then the connection dies
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('id: 1\ndata: one\n\n');
      setTimeout(() => {
        res.write('data: half');
        setTimeout(() => res.socket?.destroy(), 20);
      }, 20);
      return;
    case '/sse-bad-utf8':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: ok\n\n');
      res.end(Buffer.from([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a, 0x0a]));
      return;
    case '/503':
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('busy');
      return;
    case '/not-sse':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    case '/resume': {
      // Reconnect: the first connection sends ids 1-2 then ends; the next one resumes after Last-Event-ID.
      const last = Number(req.headers['last-event-id'] ?? 0);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 10\n\n');
      res.end(`id: ${last + 1}\ndata: e${last + 1}\n\nid: ${last + 2}\ndata: e${last + 2}\n\n`);
      return;
    }
    case '/post-echo': {
      let body = '';
      (req as unknown as NodeJS.ReadableStream).on('data', (d: Buffer) => (body += d.toString()));
      (req as unknown as NodeJS.ReadableStream).on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify({ method: (req as { method?: string }).method, body, auth: req.headers.authorization })}\n\n`);
      });
      return;
    }
    default:
      res.writeHead(404).end();
  }
}

before(async () => {
  target = await startTarget({
    routes: [
      { kind: 'sse', path: '/sse', sse: { events: 4, interval: `${FIRST}ms` } },
      { kind: 'chunked', path: '/chunked', chunked: { chunks: 3, size: 100, interval: `${FIRST}ms` } },
      { kind: 'llm-chat', path: '/v1/chat/completions', llm: { ttft: `${FIRST}ms`, tokensPerSecond: 200, outputTokens: 5 } },
    ],
  });
  raw = createServer(rawHandler);
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});
after(async () => {
  for (const t of vus) await t.close();
  await target.close();
  raw.closeAllConnections();
  await new Promise<void>((r) => raw.close(() => r()));
  lag.stop();
});

describe('http.stream', () => {
  test('time to first chunk is the configured delay, waiting is only the head; the request stays in http_*', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.stream('GET', `${target.url}/chunked`, null, { tags: { name: 'chunked' } }));
    assert.equal(res.status, 200);
    const sizes: number[] = [];
    for await (const c of res) sizes.push(c.byteLength);
    await res.done();
    assert.equal(sizes.reduce((a, b) => a + b, 0), 300);
    assertTrue(res.timings.firstChunk, FIRST, 'firstChunk');
    assert.ok(res.timings.waiting < FIRST / 2, `waiting ${res.timings.waiting} is the head, not the first chunk`);
    assertTrue(res.timings.duration, 3 * FIRST, 'duration (last byte)');
    assert.equal(recorder.values('http_req_first_chunk', { name: 'chunked' })[0], res.timings.firstChunk);
    assert.equal(recorder.values('http_reqs', { name: 'chunked' }).length, 1);
    assert.deepEqual(recorder.values('http_req_failed', { name: 'chunked' }), [0]);
    assert.equal(recorder.values('http_req_chunks')[0], res.chunks);
  });

  test('connections: kept alive between streams, new per iteration with noVUConnectionReuse', async () => {
    const reuse = newVu();
    const a = await runInVu(reuse.vu, () => http.stream('GET', `${target.url}/chunked`));
    await a.done();
    const b = await runInVu(reuse.vu, () => http.stream('GET', `${target.url}/chunked`));
    await b.done();
    assert.ok(a.timings.connecting > 0);
    assert.equal(b.timings.connecting, 0);
    const fresh = makeTestVu({ options: { noVUConnectionReuse: true } });
    vus.push(fresh);
    const nextIteration = (): void => {
      for (const slot of fresh.vu.slots.values()) (slot as { onIterationStart?: () => void }).onIterationStart?.();
    };
    const c = await runInVu(fresh.vu, () => http.stream('GET', `${target.url}/chunked`));
    await c.done();
    nextIteration();
    const d = await runInVu(fresh.vu, () => http.stream('GET', `${target.url}/chunked`));
    await d.done();
    assert.ok(d.timings.connecting > 0, `connecting ${d.timings.connecting}`);
  });

  test('onChunk gets every chunk with its time; a POST body goes out', async () => {
    const { vu } = newVu();
    const times: number[] = [];
    const res = await runInVu(vu, () =>
      http.stream('POST', `${target.url}/v1/chat/completions`, JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }), {
        headers: { 'content-type': 'application/json' },
        onChunk: (_c, ms) => times.push(ms),
      }),
    );
    await res.done();
    assert.equal(res.status, 200);
    assert.ok(times.length >= 2, `${times.length} chunks`);
    assertTrue(times[0]!, FIRST, 'first chunk (onChunk)');
  });

  test('a stream cut mid-body is a counted failure with code 1066, not a hang', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.stream('GET', `${rawUrl}/cut`));
    const text = await res.text();
    assert.equal(text, 'first part');
    assert.equal(res.error_code, ErrorCode.StreamCut);
    assert.deepEqual(recorder.values('http_req_failed'), [1]);
    assert.equal(recorder.of('http_reqs')[0]!.tags.error_code, '1066');
  });

  test('a 503 and a refused connection are failed requests (1503, 1212) with a response, not a throw', async () => {
    const { vu, recorder } = newVu();
    const busy = await runInVu(vu, () => http.stream('GET', `${rawUrl}/503`));
    assert.equal(busy.status, 503);
    assert.equal(busy.error_code, 1503);
    assert.equal(await busy.text(), 'busy');
    const refused = await runInVu(vu, () => http.stream('GET', 'http://127.0.0.1:1/'));
    assert.equal(refused.status, 0);
    assert.equal(refused.error_code, ErrorCode.TcpDialRefused);
    await refused.done();
    assert.deepEqual(recorder.values('http_req_failed'), [1, 1]);
    assert.deepEqual(recorder.of('http_reqs').map((x) => x.tags.status), ['503', '0']);
  });

  test('the timeout covers the whole stream (1050)', async () => {
    const { vu, recorder } = newVu();
    const t0 = performance.now();
    const res = await runInVu(vu, () => http.stream('GET', `${rawUrl}/hang`, null, { timeout: 150 }));
    assert.equal(res.status, 200);
    await res.done();
    const took = performance.now() - t0;
    assert.equal(res.error_code, ErrorCode.RequestTimeout);
    assert.ok(took >= 140 && took < 1000, `ended after ${took} ms`);
    assert.deepEqual(recorder.values('http_req_failed'), [1]);
  });

  test('a VU hard stop ends a stream at once: the iteration sees an AbortError, the request is recorded as interrupted (1070)', async () => {
    const t = newVu();
    const res = await runInVu(t.vu, () => http.stream('GET', `${rawUrl}/hang`, null, { timeout: 10_000 }));
    const t0 = performance.now();
    setTimeout(() => t.abort(), 50);
    await assert.rejects(res.done(), { name: 'AbortError' });
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(t.recorder.of('http_reqs')[0]!.tags.error_code, '1070');
    // SSE and WebSocket sessions end too.
    const s = newVu();
    setTimeout(() => s.abort(), 50);
    await assert.rejects(runInVu(s.vu, () => sse.open(`${rawUrl}/hang`, { timeout: 10_000 })), { name: 'AbortError' });
    const w = newVu();
    const wsUrl = target.url.replace(/^http/, 'ws') + '/ws/echo';
    setTimeout(() => w.abort(), 50);
    await assert.rejects(runInVu(w.vu, () => ws.connect(wsUrl, {}, () => undefined)), { name: 'AbortError' });
    assert.deepEqual(w.recorder.values('ws_failed'), [1]);
  });

  test('a stream does not outlive its iteration: the next one ends it (cancelled, not failed), and so for SSE and WebSocket', async () => {
    const { vu, recorder } = newVu();
    const nextIteration = (): void => {
      for (const slot of vu.slots.values()) (slot as { onIterationStart?: () => void }).onIterationStart?.();
    };
    const res = await runInVu(vu, () => http.stream('GET', `${rawUrl}/hang`, null, { timeout: 10_000 }));
    const events = runInVu(vu, () => sse.open(`${rawUrl}/hang`, { timeout: 10_000 }));
    const socket = runInVu(vu, () => new WebSocket(target.url.replace(/^http/, 'ws') + '/ws/echo'));
    await new Promise((r) => setTimeout(r, 100));
    nextIteration();
    await res.done();
    assert.equal(res.cancelled, true);
    assert.equal((await events).error, '');
    await socket.closed;
    assert.deepEqual(recorder.values('http_req_failed'), [0]);
    assert.deepEqual(recorder.values('sse_failed'), [0]);
    assert.deepEqual(recorder.values('ws_failed'), [0]);
  });

  test('breaking out of the loop cancels the stream without a failure', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => http.stream('GET', `${target.url}/sse`));
    for await (const _c of res) break;
    await res.done();
    assert.equal(res.cancelled, true);
    assert.deepEqual(recorder.values('http_req_failed'), [0]);
  });
});

describe('volley/sse', () => {
  test('time to first event and between events match the target; ids, events counted', async () => {
    const { vu, recorder } = newVu();
    const seen: string[] = [];
    const r = await runInVu(vu, () => sse.open(`${target.url}/sse`, { tags: { name: 'sse' } }, (c) => c.on('event', (e: { id: string }) => seen.push(e.id))));
    assert.deepEqual(seen, ['1', '2', '3', '4']);
    assert.equal(r.events, 4);
    assert.equal(r.error, '');
    assertTrue(recorder.values('sse_time_to_first_event')[0]!, FIRST, 'sse_time_to_first_event');
    const gaps = recorder.values('sse_time_between_events');
    assert.equal(gaps.length, 3);
    for (const g of gaps) assertTrue(g, FIRST, 'sse_time_between_events', true);
    assert.equal(recorder.values('sse_events').length, 4);
    assert.deepEqual(recorder.values('sse_failed'), [0]);
    assertTrue(recorder.values('sse_stream_duration')[0]!, 4 * FIRST, 'sse_stream_duration');
  });

  test('at 20 concurrent streams, the median and p95 time to first event still match the configured delay', async () => {
    const shared = newVu().recorder;
    const runs = Array.from({ length: 20 }, (_, i) => {
      const t = makeTestVu({ id: i + 1, recorder: shared });
      vus.push(t);
      return runInVu(t.vu, () => sse.open(`${target.url}/sse`, { maxEvents: 2 }));
    });
    await Promise.all(runs);
    const v = shared.values('sse_time_to_first_event').sort((a, b) => a - b);
    assert.equal(v.length, 20);
    assertTrue(v[9]!, FIRST, 'median sse_time_to_first_event');
    assertTrue(v[Math.ceil(0.95 * 20) - 1]!, FIRST, 'p95 sse_time_to_first_event');
  });

  test('POST with a JSON body and custom headers', async () => {
    const { vu } = newVu();
    let data = '';
    await runInVu(vu, () => sse.open(`${rawUrl}/post-echo`, { body: { prompt: 'hi' }, headers: { authorization: 'Bearer k' } }, (c) => c.on('event', (e: { data: string }) => (data = e.data))));
    assert.deepEqual(JSON.parse(data), { method: 'POST', body: '{"prompt":"hi"}', auth: 'Bearer k' });
  });

  test('reconnects after the server ends, sending Last-Event-ID, waiting retry:', async () => {
    const { vu, recorder } = newVu();
    const ids: string[] = [];
    const r = await runInVu(vu, () => sse.open(`${rawUrl}/resume`, { reconnect: 2 }, (c) => c.on('event', (e: { id: string }) => ids.push(e.id))));
    assert.deepEqual(ids, ['1', '2', '3', '4', '5', '6']);
    assert.equal(r.connections, 3);
    assert.equal(r.lastEventId, '6');
    assert.equal(recorder.values('sse_streams').length, 3);
  });

  test('a stream cut mid-event is a failure of kind cut; malformed bytes of kind malformed; JSON is content-type', async () => {
    const { vu, recorder } = newVu();
    const cut = await runInVu(vu, () => sse.open(`${rawUrl}/sse-cut`));
    assert.equal(cut.events, 1);
    assert.equal(cut.error_kind, 'cut');
    assert.equal(cut.error_code, ErrorCode.StreamCut);
    const bad = await runInVu(vu, () => sse.open(`${rawUrl}/sse-bad-utf8`));
    assert.equal(bad.error_kind, 'malformed');
    assert.equal(bad.error_code, ErrorCode.SseMalformed);
    const json = await runInVu(vu, () => sse.open(`${rawUrl}/not-sse`));
    assert.equal(json.error_kind, 'content-type');
    const hang = await runInVu(vu, () => sse.open(`${rawUrl}/hang`, { timeout: 100 }));
    assert.equal(hang.error_kind, 'timeout');
    assert.deepEqual(recorder.values('sse_failed'), [1, 1, 1, 1]);
    assert.deepEqual(recorder.of('sse_failed').map((s) => s.tags.error_kind), ['cut', 'malformed', 'content-type', 'timeout']);
  });

  test('the parser takes any split: CRLF across chunks, multi-byte characters, comments, retry', () => {
    const text = ':hello\r\nretry: 250\r\nid: 7\r\nevent: tok\r\ndata: é1\r\ndata: 2\r\n\r\ndata: x\n\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const events: SseEvent[] = [];
      let retry = 0;
      const p = new SseParser({ onEvent: (e) => events.push(e), onRetry: (ms) => (retry = ms) });
      p.push(bytes.subarray(0, cut));
      p.push(bytes.subarray(cut));
      assert.deepEqual(events, [
        { type: 'tok', data: 'é1\n2', id: '7' },
        { type: 'message', data: 'x', id: '7' },
      ], `split at ${cut}`);
      assert.equal(retry, 250);
    }
  });
});

describe('volley/ws', () => {
  const wsUrl = (path: string) => target.url.replace(/^http/, 'ws') + path;

  test('k6/ws connect: echo round trips with request(), k6 metric names, timers on the socket', async () => {
    const { vu, recorder } = newVu();
    const replies: unknown[] = [];
    const res = await runInVu(vu, () =>
      ws.connect(wsUrl('/ws/echo?delay=40'), { tags: { name: 'echo' } }, (socket) => {
        socket.on('open', () => {
          socket.ping();
          void (async () => {
            for (let i = 0; i < 3; i++) replies.push(await socket.request(`m${i}`, { match: (d) => d === `m${i}` }));
            socket.setTimeout(() => socket.close(), 10);
          })();
        });
      }),
    );
    assert.equal(res.status, 101);
    assert.deepEqual(replies, ['m0', 'm1', 'm2']);
    const rt = recorder.values('ws_round_trip');
    assert.equal(rt.length, 3);
    for (const v of rt) assertTrue(v, 40, 'ws_round_trip');
    assert.equal(recorder.values('ws_msgs_sent').length, 3);
    assert.equal(recorder.values('ws_msgs_received').length, 3);
    assert.equal(recorder.values('ws_ping').length, 1);
    assert.equal(recorder.values('ws_sessions').length, 1);
    assert.equal(recorder.values('ws_connecting').length, 1);
    assert.ok(recorder.values('ws_session_duration')[0]! >= 120);
    assert.deepEqual(recorder.values('ws_failed'), [0, 0, 0, 0]);
  });

  test('the WebSocket class (k6/websockets shape) and its closed promise', async () => {
    const { vu } = newVu();
    const got: unknown[] = [];
    await runInVu(vu, async () => {
      const s = new WebSocket(wsUrl('/ws/echo'));
      s.onopen = () => s.send('hello');
      s.addEventListener('message', (e) => {
        got.push(e.data);
        s.close();
      });
      await s.closed;
    });
    assert.deepEqual(got, ['hello']);
  });

  test("an unanswered request() fails (ws_failed) and an async handler's rejection rejects ws.connect", async () => {
    const { vu, recorder } = newVu();
    const wsUrl = target.url.replace(/^http/, 'ws') + '/ws/echo';
    await assert.rejects(
      runInVu(vu, () => ws.connect(wsUrl, {}, (socket) => socket.on('open', async () => void (await socket.request('x', { match: () => false, timeout: 50 }))))),
      { code: 'E_WS_TIMEOUT' },
    );
    // the round trip that never came, then the session (closed cleanly by us after the script error)
    assert.deepEqual(recorder.values('ws_failed'), [1, 0]);
  });

  test('a refused handshake is a failed session with its status', async () => {
    const { vu, recorder } = newVu();
    const res = await runInVu(vu, () => ws.connect(wsUrl('/nope'), {}, () => undefined));
    assert.equal(res.status, 404);
    assert.match(res.error, /404/);
    assert.deepEqual(recorder.values('ws_failed'), [1]);
  });
});
