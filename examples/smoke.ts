// A smoke test: one VU checks that the service answers, as the first step before any load test.
// Run: npx volley run examples/smoke.ts -e BASE_URL=http://127.0.0.1:8080   (start `npx volley target` first)
import http from 'volley/http';
import { check, sleep } from 'volley';
import type { Options } from 'volley';

export const options: Options = {
  vus: 1,
  iterations: 5,
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500'],
    checks: ['rate==1'],
  },
};

const BASE = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';

export default async function () {
  const health = await http.get(`${BASE}/health`);
  check(health, { 'health is 200': (r) => r.status === 200 });
  const a = await http.get(`${BASE}/api/assignments/user-${__VU}-${__ITER}`, { tags: { name: 'GET /api/assignments/:user' } });
  check(a, {
    'assignment is 200': (r) => r.status === 200,
    'assignment is JSON': (r) => r.headers['content-type']?.includes('json') ?? false,
  });
  await sleep(0.1);
}
