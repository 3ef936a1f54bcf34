// Plan 001 §10 Capacity Planning (back-of-envelope), measured: one instance of the API runs at a
// steady arrival rate with the plan's SLO for standard CRUD routes (§1.2: p95 ≤ 350 ms, errors
// < 0.1 %); its summary then feeds the plan's arithmetic ("1,000 assistant queries/day per org,
// peak 10×, for 1,000 orgs", with a 50 % buffer as plan 003 asks):
//   npx volley run examples/seeds/001-10-capacity.ts -e BASE_URL=http://127.0.0.1:8080 --summary-export one-instance.json
//   npx volley capacity --measured one-instance.json --traffic 'orgs=1000, per_org_per_day=1000, peak=10x' --headroom 50%
// Full scale (SCALE=1): 10 minutes at 200 requests/s.
import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    one_instance: {
      executor: 'constant-arrival-rate',
      rate: count(200, 20),
      timeUnit: '1s',
      duration: dur(600),
      preAllocatedVUs: count(20, 4),
      maxVUs: count(200, 20),
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<=350'],
    http_req_failed: ['rate<0.001'],
    dropped_iterations: ['count==0'],
  },
};

export default async function () {
  const r = await http.get(`${BASE}/api/experiments/exp_${1 + (__ITER % 3)}`, { tags: { name: 'GET /api/experiments/:id' } });
  check(r, { 'status 200': (x) => x.status === 200 });
}
