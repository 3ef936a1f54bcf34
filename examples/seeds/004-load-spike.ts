// Plan 004 "Performance Testing Framework", §2 Load Testing and §4 Spike Testing.
// §2: p95 ≤ 3 s under load, error rate ≤ 1 %; §4: p95 ≤ 5 s during the spike and its recovery.
// The spike runs after the steady load, so its samples are told apart by scenario.
// Full scale (SCALE=1): 5 min ramp, 10 min at 100 VUs; spike 100 → 1,000 VUs in 30 s.
//   npx volley run examples/seeds/004-load-spike.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

const loadSeconds = 300 + 600 + 60;

export const options: Options = {
  scenarios: {
    load: {
      executor: 'ramping-vus',
      stages: [
        { duration: dur(300), target: count(100) },
        { duration: dur(600), target: count(100) },
        { duration: dur(60), target: 0 },
      ],
    },
    spike: {
      executor: 'ramping-vus',
      startTime: dur(loadSeconds),
      stages: [
        { duration: dur(60), target: count(100) },
        { duration: dur(30), target: count(1000) },
        { duration: dur(120), target: count(1000) },
        { duration: dur(30), target: count(100) },
        { duration: dur(120), target: count(100) },
      ],
    },
  },
  thresholds: {
    'http_req_duration{scenario:load}': ['p(95)<3000'],
    'http_req_duration{scenario:spike}': ['p(95)<5000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  const a = await http.get(`${BASE}/api/assignments/user-${__VU}`, { tags: { name: 'GET /api/assignments/:user' } });
  check(a, { 'assignment 200': (r) => r.status === 200 });
  const e = await http.get(`${BASE}/api/experiments/exp_1`, { tags: { name: 'GET /api/experiments/:id' } });
  check(e, { 'experiment 200': (r) => r.status === 200 });
  await sleep(1);
}
