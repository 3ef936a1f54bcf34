// Plan 002 "BetterPrompts", Test Scenarios §2 Spike Test: 0 → 500 users in 2 minutes, 10 minutes in
// all. The SLO holds at the peak (P95 < 300 ms, < 1 % errors); "recovers within 30 s" is measured
// after the spike by the fault/recovery work (see docs/seeds.md).
// Full scale (SCALE=1): 2 min ramp to 500 VUs, 6 min hold, 2 min down.
//   npx volley run examples/seeds/002-2-spike.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    spike: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: dur(120), target: count(500) },
        { duration: dur(360), target: count(500) },
        { duration: dur(120), target: 0 },
      ],
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<300'],
    http_req_failed: ['rate<0.01'],
  },
};

export default async function () {
  const res = await http.get(`${BASE}/api/assignments/user-${__VU}`, { tags: { name: 'GET /api/assignments/:user' } });
  check(res, { 'status 200': (r) => r.status === 200 });
  await sleep(1);
}
