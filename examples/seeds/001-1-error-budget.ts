// Plan 001 §1: "Error budget: 28,800 seconds/month (≈ 8 hours) for SLO breaches across all critical
// SLIs. Exceeding consumes error budget and triggers a feature freeze." Counted in seconds of SLO
// breach: the run is cut into 1-minute windows, a minute whose own p95 is over 350 ms (§1.2, CRUD
// routes) or whose own error rate is 1 % or more (§4.1) is breached, and the two SLIs share one
// budget (same `budget … over …`): the seconds in which at least one was breached count once.
// The run may have its share of the month's 28,800 s: 20 s in 30 minutes, so a single bad minute
// already fails it; the summary shows the breached seconds, the burn rate and how long the
// month's budget would last at that rate.
// Full scale (SCALE=1): 30 minutes at 20 requests/s. The suite runs it at a smaller scale:
// seed-scale: 0.002
//   npx volley run examples/seeds/001-1-error-budget.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import type { Options } from 'volley';
import { BASE, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    steady: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: dur(1800), preAllocatedVUs: 10, maxVUs: 50 },
  },
  thresholds: {
    // The critical SLIs, each judged per minute, sharing 28,800 s of breach per 30 days.
    http_req_duration: ['p(95)<350 per 1m budget 28800s over 30d'],
    http_req_failed: ['rate<0.01 per 1m budget 28800s over 30d'],
  },
};

export default async function () {
  await http.get(`${BASE}/api/experiments/exp_${1 + (__ITER % 3)}`, { tags: { name: "GET /api/experiments/:id" } });
}
