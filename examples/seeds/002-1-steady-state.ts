// Plan 002 "BetterPrompts", Test Scenarios §1 Steady State Load Test, with the guide's overview SLOs:
// 100 concurrent users for 30 minutes; P95 < 300 ms, P99 < 500 ms, < 1 % errors.
// Full scale (SCALE=1): 30 min at 100 VUs after a 1 min warm-up. The suite runs it at a smaller scale:
// seed-scale: 0.005
//   npx volley run examples/seeds/002-1-steady-state.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    steady: {
      executor: 'ramping-vus',
      stages: [
        { duration: dur(60), target: count(100) }, // warm-up
        { duration: dur(1800), target: count(100) },
      ],
      gracefulRampDown: '5s',
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<300', 'p(99)<500'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  const res = await http.post(`${BASE}/api/events`, JSON.stringify({ type: 'prompt_enhanced', user: `u-${__VU}` }), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /api/events' },
  });
  check(res, { 'accepted 202': (r) => r.status === 202 });
  const flags = await http.get(`${BASE}/api/flags`, { tags: { name: 'GET /api/flags' } });
  check(flags, { 'flags 200': (r) => r.status === 200 });
  await sleep(1);
}
