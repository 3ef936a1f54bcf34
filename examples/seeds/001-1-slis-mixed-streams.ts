// Plan 001 "Performance & Load Testing", §1 SLIs & SLOs, in one mixed test with a threshold on each:
// - §1.1 Assistant first token: time-to-first-token P50 ≤ 3 s, P95 ≤ 8 s. The assistant answers as a
//   stream; `http.stream` times its first body byte (`http_req_first_chunk`), which the plain
//   `http_req_waiting` cannot (it ends at the headers, sent before the first token).
// - §1.2 API p95 ≤ 350 ms for standard CRUD (experiments, flags), < 1 % errors.
// - The live side of the app: a WebSocket channel (request/reply round trip, `ws_round_trip`) and a
//   server-sent event feed (`sse_time_to_first_event`, `sse_time_between_events`). Their limits are
//   ours (the plan names no real-time SLO): replies p95 < 250 ms, events at least every 3 s.
// Full scale (SCALE=1): 10 min, 20 CRUD users, 10 assistant users, 5 live users.
//   npx volley run examples/seeds/001-1-slis-mixed-streams.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import sse from 'volley/sse';
import ws from 'volley/ws';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

const ASSISTANT = 'POST /api/assistant/query';
const WS_BASE = BASE.replace(/^http/, 'ws');

export const options: Options = {
  scenarios: {
    crud: { executor: 'constant-vus', exec: 'crud', vus: count(20), duration: dur(600) },
    assistant: { executor: 'constant-vus', exec: 'assistant', vus: count(10), duration: dur(600) },
    live: { executor: 'constant-vus', exec: 'live', vus: count(5), duration: dur(600) },
  },
  thresholds: {
    // §1.1: time to first token of the streamed answer.
    [`http_req_first_chunk{name:${ASSISTANT}}`]: ['p(50)<3000', 'p(95)<8000'],
    // §1.2: standard CRUD routes.
    'http_req_duration{scenario:crud}': ['p(95)<350'],
    'http_req_failed{scenario:crud}': ['rate<0.01'],
    [`http_req_failed{name:${ASSISTANT}}`]: ['rate<0.01'],
    // The live channel.
    ws_round_trip: ['p(95)<250'],
    ws_failed: ['rate<0.01'],
    sse_time_between_events: ['max<3000'],
    sse_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export async function crud() {
  const list = await http.get(`${BASE}/api/experiments`, { tags: { name: 'GET /api/experiments' } });
  check(list, { 'experiments 200': (r) => r.status === 200 });
  const created = await http.post(`${BASE}/api/flags`, JSON.stringify({ key: `flag-${__VU}-${__ITER}`, enabled: false }), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /api/flags' },
  });
  check(created, { 'flag created': (r) => r.status === 201 });
  const id = (created.json() as { id?: string }).id;
  if (id !== undefined) {
    const patched = await http.patch(`${BASE}/api/flags/${id}`, JSON.stringify({ enabled: true }), {
      headers: { 'content-type': 'application/json' },
      tags: { name: 'PATCH /api/flags/:id' },
    });
    check(patched, { 'flag updated': (r) => r.status === 200 });
    await http.del(`${BASE}/api/flags/${id}`, null, { tags: { name: 'DELETE /api/flags/:id' } });
  }
  await sleep(0.5);
}

export async function assistant() {
  const res = await http.stream('POST', `${BASE}/api/assistant/query`, JSON.stringify({ query: 'How do I reset the DB connection?', stream: true }), {
    headers: { 'content-type': 'application/json', 'x-api-key': `key-${__VU}` },
    tags: { name: ASSISTANT },
    timeout: '30s',
  });
  const body = await res.text();
  check(res, {
    'assistant 200': (r) => r.status === 200,
    'stream complete': (r) => r.error_code === 0 && body.includes('[DONE]'),
  });
  await sleep(1);
}

export async function live() {
  // A request/reply channel: each message answered by the server (the target echoes).
  const res = await ws.connect(`${WS_BASE}/ws/echo`, { tags: { name: 'ws /ws/echo' } }, (socket) => {
    socket.on('open', async () => {
      for (let i = 0; i < 5; i++) {
        const reply = await socket.request(JSON.stringify({ op: 'ping', seq: i }));
        check(reply, { 'ws reply': (r) => typeof r === 'string' && r.includes(`"seq":${i}`) });
      }
      socket.close();
    });
  });
  check(res, { 'ws handshake 101': (r) => r.status === 101 });
  // The event feed a dashboard listens to.
  const feed = await sse.open(`${BASE}/api/stream`, { tags: { name: 'GET /api/stream' }, maxEvents: 5 });
  check(feed, { 'feed events': (r) => r.events === 5 && r.error === '' });
}
