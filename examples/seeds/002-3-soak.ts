// Plan 002 "BetterPrompts", Test Scenarios §3 Soak Test: 200 concurrent users for 2 hours, "no
// performance degradation". The degradation gate here is that the last part of the soak keeps the
// SLO of the whole run (P95 < 300 ms, < 1 % errors in each third of the test, told apart by a tag).
// Full scale (SCALE=1): 2 h at 200 VUs. The suite runs it at a smaller scale (seed-scale below).
// seed-scale: 0.002
//   npx volley run examples/seeds/002-3-soak.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.05
import http from 'volley/http';
import { check, sleep } from 'volley';
import exec from 'volley/execution';
import type { Options } from 'volley';
import { BASE, count, dur, SCALE } from './lib/scale.js';

const SOAK_S = 7200;

export const options: Options = {
  scenarios: {
    soak: { executor: 'constant-vus', vus: count(200), duration: dur(SOAK_S) },
  },
  thresholds: {
    'http_req_duration{phase:first}': ['p(95)<300'],
    'http_req_duration{phase:last}': ['p(95)<300'],
    http_req_failed: ['rate<0.01'],
  },
};

/** Which third of the soak this iteration runs in (the degradation check compares them). */
function phase(): string {
  const third = (exec.scenario.progress ?? 0) * 3;
  return third < 1 ? 'first' : third < 2 ? 'middle' : 'last';
}

export default async function () {
  const tags = { name: 'GET /api/experiments/:id', phase: phase() };
  const res = await http.get(`${BASE}/api/experiments/exp_${1 + (__ITER % 3)}`, { tags });
  check(res, { 'status 200': (r) => r.status === 200 });
  await sleep(Math.max(0.1, SCALE < 0.01 ? 0.2 : 1));
}
