// Plan 002 "BetterPrompts", Test Scenarios §4 Stress Test: "gradual increase until failure … graceful
// degradation". An open model (arrival rate), so the offered load keeps rising when the service slows
// down; the test stops itself at the SLO's breaking point (abortOnFail) and the summary says at which
// rate. Graceful degradation: errors stay below 5 % even past the SLO.
// Full scale (SCALE=1): 10 → 1,000 requests/s over 20 minutes.
//   npx volley run examples/seeds/002-4-stress.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    stress: {
      executor: 'ramping-arrival-rate',
      startRate: count(10),
      timeUnit: '1s',
      preAllocatedVUs: count(50, 5),
      maxVUs: count(1000, 20),
      stages: [
        { duration: dur(600), target: count(500) },
        { duration: dur(600), target: count(1000) },
      ],
    },
  },
  thresholds: {
    // The breaking point: stop the test when p95 crosses 1 s (after 10 s of data).
    http_req_duration: [{ threshold: 'p(95)<1000', abortOnFail: true, delayAbortEval: '10s' }],
    http_req_failed: ['rate<0.05'],
  },
};

export default async function () {
  const res = await http.get(`${BASE}/api/experiments`, { tags: { name: 'GET /api/experiments' } });
  check(res, { 'status 200': (r) => r.status === 200 });
}
