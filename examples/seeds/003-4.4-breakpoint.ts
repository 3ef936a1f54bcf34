// Plan 003 "Experimentation platform", Phase 4 Task 4.4: "Break-point test (find limits)", and the
// capacity the plan's Task 5.5 documents. Two ways in, both against the target's /api/reports/:id
// (a route of known capacity: 4 slots × 50 ms = 80 requests/s):
//  1. the breakpoint search: steady open-model steps, ramped then bisected, to the highest rate that
//     meets the SLO (the suite runs the `seed-find-capacity` line below):
//       npx volley find-capacity examples/seeds/003-4.4-breakpoint.ts -e BASE_URL=http://127.0.0.1:8080 \
//         --slo 'http_req_duration:p(95)<200' --step-duration 1m --report capacity.html --out capacity.json
//       npx volley capacity --measured capacity.json --traffic 'rps=300, peak=3x' --headroom 50%
//  2. `volley run`: one ramp past the limit that stops itself once the SLO breaks (abortOnFail), so
//     the run fails (exit 99) and its summary says where.
// Full scale (SCALE=1): 10 → 160 requests/s over 10 minutes.
// seed-exit: 99
// seed-find-capacity: --slo http_req_duration:p(95)<200 --start-rate 40 --step-duration 2s --precision 0.25 --cooldown 500ms --max-steps 10
import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
import { BASE, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    breakpoint: {
      executor: 'ramping-arrival-rate',
      // Rates are the system's, not the plan's scale: the knee is at 80/s whatever SCALE is.
      startRate: 10,
      timeUnit: '1s',
      preAllocatedVUs: 20,
      maxVUs: 400,
      stages: [{ duration: dur(600), target: 160 }],
    },
  },
  thresholds: {
    http_req_duration: [{ threshold: 'p(95)<200 for ' + dur(60), abortOnFail: true }],
  },
};

export default async function () {
  const res = await http.get(`${BASE}/api/reports/r_${__ITER % 10}`, { tags: { name: 'GET /api/reports/:id' } });
  check(res, { 'status 200': (r) => r.status === 200 });
}
