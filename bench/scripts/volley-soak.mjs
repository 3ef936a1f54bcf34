// Soak for bench/soak-memory.mjs: a constant arrival rate against the target for DURATION, over a
// few hundred distinct URLs (names folded by a tag) so that tag and route tables see variety.
import http from 'volley/http';
import { check } from 'volley';

export const options = {
  scenarios: { soak: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 1000), timeUnit: '1s', duration: __ENV.DURATION ?? '1h', preAllocatedVUs: 50, maxVUs: 200 } },
  thresholds: { http_req_failed: ['rate<0.01'], 'http_req_duration': ['p(95)<500'] },
};

export default async function () {
  const res = await http.get(`${__ENV.BASE_URL}/api/flags/flag_${(__ITER % 2) + 1}?u=${__ITER % 500}`, { tags: { name: 'GET /api/flags/:id' } });
  check(res, { 'status 200': (r) => r.status === 200 });
}
