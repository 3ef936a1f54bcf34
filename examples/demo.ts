// The demo: browsing users (closed model, ramping VUs) and event ingestion (open model, constant
// arrival rate) against the built-in target's demo API, with SLO thresholds.
// Run: npm run demo   (starts the target, runs this, stops the target)
import http from 'volley/http';
import { check, group, sleep } from 'volley';
import { Trend } from 'volley/metrics';
import type { Options } from 'volley';

const BASE = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
const DURATION = __ENV.DEMO_DURATION ?? '20s';
const assignmentLatency = new Trend('assignment_latency', true);

function seconds(d: string): number {
  const m = /^(\d+)s$/.exec(d);
  return m ? Number(m[1]) : 20;
}
const total = seconds(DURATION);

export const options: Options = {
  scenarios: {
    browse: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        // In milliseconds, so that the stages add up to the duration asked for (3s: 0.9 + 1.5 + 0.6).
        { duration: `${Math.round(total * 300)}ms`, target: 10 },
        { duration: `${total * 1000 - Math.round(total * 300) - Math.round(total * 200)}ms`, target: 10 },
        { duration: `${Math.round(total * 200)}ms`, target: 0 },
      ],
      gracefulRampDown: '2s',
    },
    ingest: {
      executor: 'constant-arrival-rate',
      rate: 50,
      timeUnit: '1s',
      duration: `${total}s`,
      preAllocatedVUs: 5,
      maxVUs: 50,
      exec: 'ingest',
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<300', 'p(99)<800'],
    'http_req_duration{name:GET /api/assignments/:user}': ['p(95)<100'],
    http_req_failed: ['rate<0.05'],
    checks: ['rate>0.95'],
  },
};

export default async function () {
  await group('assignments', async () => {
    const res = await http.get(`${BASE}/api/assignments/user-${__VU}`, { tags: { name: 'GET /api/assignments/:user' } });
    check(res, { 'assignment 200': (r) => r.status === 200 });
    assignmentLatency.add(res.timings.duration);
  });
  await group('experiments', async () => {
    const list = await http.get(`${BASE}/api/experiments`, { tags: { name: 'GET /api/experiments' } });
    check(list, { 'experiments 200': (r) => r.status === 200 });
  });
  await sleep(0.5);
}

export async function ingest() {
  const res = await http.post(`${BASE}/api/events`, JSON.stringify({ type: 'page_view', user: `u${__VU}`, ts: Date.now() }), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /api/events' },
  });
  check(res, { 'event accepted': (r) => r.status >= 200 && r.status < 300 });
}
