// Plan 002 "ML platform performance plan", Performance Budgets: api_response_time p95 300ms and
// p99 500ms are thresholds (exit 99 when exceeded); degradation_threshold 10% is a regression
// budget against the stored baseline (exit 98 only when the slowdown is significant, noise of the
// run and of earlier runs accounted for, and beyond 10 %); error_rate max 1% is a threshold.
// Full scale (SCALE=1): 50 requests/s for 5 min (the plan's quick test on every PR).
//   npx volley run examples/seeds/002-budgets-degradation.ts -e BASE_URL=http://127.0.0.1:8080 \
//     --save --baseline main --max-regression 'http_req_duration:p(95)=+10%' --max-regression 'http_req_duration:p(99)=+10%'
// seed-gate: --max-regression http_req_duration:p(95)=+25% --max-regression http_req_duration:p(99)=+25%
import http from 'volley/http';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    standard: { executor: 'constant-arrival-rate', rate: count(50, 20), timeUnit: '1s', duration: dur(300), preAllocatedVUs: count(20, 10), maxVUs: count(100, 20) },
  },
  thresholds: {
    http_req_duration: ['p(95)<300', 'p(99)<500'],
    http_req_failed: ['rate<0.01'],
  },
};

export default async function () {
  await http.get(`${BASE}/api/experiments`, { tags: { name: '/api/experiments' } });
}
