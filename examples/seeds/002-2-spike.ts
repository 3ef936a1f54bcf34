// Plan 002 "BetterPrompts", Test Scenarios §2 Spike Test: 0 → 500 users in 2 minutes, 10 minutes in
// all; "System recovers within 30s". The spike rises from normal traffic (50 users) and falls back
// to it, so there is a before to recover to: after the spike Volley measures how long p95 and the
// error rate took to return to their pre-spike values (`recovery_time{fault:spike:spike}`, the
// same metric as after a fault window; docs/faults.md) and the threshold holds it to 30 s. The SLO
// at the peak (P95 < 300 ms, < 1 % errors) holds too.
// Full scale (SCALE=1): 2 min at 50 VUs, 2 min ramp to 500, 2 min hold, 30 s back to 50, 3.5 min
// more to watch the recovery.
//   npx volley run examples/seeds/002-2-spike.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
// seed-scale: 0.04
import http from 'volley/http';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    spike: {
      executor: 'ramping-vus',
      startVUs: count(50),
      stages: [
        { duration: dur(120), target: count(50) },
        { duration: dur(120), target: count(500) },
        { duration: dur(120), target: count(500) },
        { duration: dur(30), target: count(50) },
        { duration: dur(210), target: count(50) },
      ],
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<300'],
    http_req_failed: ['rate<0.01'],
    // The SLO itself, not scaled: recovery is measured to the second.
    recovery_time: ['max<30000'],
  },
};

export default async function () {
  const res = await http.get(`${BASE}/api/assignments/user-${__VU}`, { tags: { name: 'GET /api/assignments/:user' } });
  check(res, { 'status 200': (r) => r.status === 200 });
  await sleep(1);
}
