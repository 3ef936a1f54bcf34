// Plan 004 "Performance Testing Framework", §1 Baseline Testing — single-user performance:
// response time ≤ 2 s for 95 % of requests, API endpoints ≤ 1 s for 95 % of calls. One VU walks the
// main endpoints; the per-endpoint p95 is the baseline later runs are compared against.
// Full scale (SCALE=1): one user for 5 minutes.
//   npx volley run examples/seeds/004-1-baseline.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, group, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: { baseline: { executor: 'constant-vus', vus: 1, duration: dur(300) } },
  thresholds: {
    http_req_duration: ['p(95)<2000'],
    'http_req_duration{group:::api}': ['p(95)<1000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  await group('api', async () => {
    for (const [name, path] of [
      ['GET /api/experiments', '/api/experiments'],
      ['GET /api/experiments/:id', '/api/experiments/exp_1'],
      ['GET /api/flags', '/api/flags'],
      ['GET /api/assignments/:user', `/api/assignments/user-${__ITER}`],
    ] as const) {
      const r = await http.get(`${BASE}${path}`, { tags: { name } });
      check(r, { [`${name} 200`]: (x) => x.status === 200 });
    }
  });
  await sleep(0.5);
}
