// Plan 003 "EP-012", Test Scenarios §1 Experiment Assignment Load Test — the plan's k6 script, ported:
// stages 1,000 → 5,000 VUs, p95 < 500 ms, p99 < 1 s, < 1 % errors. The plan's script sends requests
// with no pause (k6's default function loops at once); a short sleep keeps the scaled-down run honest
// about concurrency rather than a single machine's CPU.
// Full scale (SCALE=1): 16 minutes, up to 5,000 VUs.
//   npx volley run examples/seeds/003-1-assignment-load.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  stages: [
    { duration: dur(120), target: count(1000) }, // Ramp up
    { duration: dur(300), target: count(1000) }, // Steady state
    { duration: dur(120), target: count(5000) }, // Peak load
    { duration: dur(300), target: count(5000) }, // Sustained peak
    { duration: dur(120), target: 0 }, // Ramp down
  ],
  thresholds: {
    http_req_duration: ['p(95)<500', 'p(99)<1000'],
    http_req_failed: ['rate<0.01'],
  },
};

export default async function () {
  await http.get(`${BASE}/api/assignments/user-${__VU}`, { tags: { name: 'GET /api/assignments/:user' } });
  await sleep(0.5);
}
