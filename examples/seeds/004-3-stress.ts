// Plan 004 "Performance Testing Framework", §3 Stress Testing and the k6 profile of its tools section
// (100 → 200 VUs), pushed past it: the load doubles twice beyond the peak to find where the service
// degrades. Success criteria: graceful degradation (it stays functional: errors < 5 %) and p95 ≤ 3 s
// at the plan's own peak, told apart by a `stage` tag.
// Full scale (SCALE=1): 2 min ramp, 5 min at 100, 2 min to 200, then 400 and 800 VUs, 2 min down.
//   npx volley run examples/seeds/004-3-stress.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, sleep } from 'volley';
import exec from 'volley/execution';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

const stages = [
  { duration: dur(120), target: count(100) },
  { duration: dur(300), target: count(100) },
  { duration: dur(120), target: count(200) },
  { duration: dur(120), target: count(400) },
  { duration: dur(120), target: count(800) },
  { duration: dur(120), target: 0 },
];
const planEndS = stages.slice(0, 3).reduce((s, st) => s + Number.parseInt(st.duration, 10), 0);

export const options: Options = {
  stages,
  thresholds: {
    'http_req_duration{stage:plan}': ['p(95)<3000'],
    http_req_failed: ['rate<0.05'],
    checks: ['rate>0.95'],
  },
};

export default async function () {
  const stage = (exec.instance.currentTestRunDuration ?? 0) / 1000 <= planEndS ? 'plan' : 'beyond';
  const r = await http.post(`${BASE}/api/experiments`, JSON.stringify({ name: `p-${__VU}`, variants: ['a'] }), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /api/experiments', stage },
  });
  check(r, { 'status 2xx': (x) => x.status >= 200 && x.status < 300 });
  await sleep(1);
}
