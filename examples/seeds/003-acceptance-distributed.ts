// Plan 003 "EP-012", Acceptance criteria: "Handle 100K concurrent users" and "Assignment API: P99 <
// 100ms under 10K RPS" — more than one machine gives, so the test runs as segments on N runners
// (docs/distributed.md) and `volley merge` decides the thresholds on the whole test.
// Full scale (SCALE=1), on 4 machines (bench/RESULTS.md: 25,000 sleeping VUs per runner ≈ 310 MB):
//   volley run examples/seeds/003-acceptance-distributed.ts -e BASE_URL=… --execution-segment 0:1/4 \
//     --execution-segment-sequence 0,1/4,1/2,3/4,1 --start-at 2026-12-24T10:00:00Z --summary-export part1.json
//   … 1/4:1/2, 1/2:3/4, 3/4:1 on the three others, then:
//   volley merge part*.json -o merged.json --report report.html
// test/distributed.test.ts runs it as 2 segments at SCALE=0.0002 and merges them.
// seed-scale: 0.0002
import http from 'volley/http';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, SCALE, count, dur } from './lib/scale.js';

// The plan's gate is p99 < 100 ms. At the suite's tiny scale (2 arrivals per second) p99 is the
// slowest request, which a machine shared with other jobs can push past 100 ms: below SCALE 0.01 the
// gate is the 500 ms the other seeds use.
const P99_MS = SCALE < 0.01 ? 500 : 100;

export const options: Options = {
  scenarios: {
    // 100K concurrent users: each reads its assignment, then thinks for a second.
    users: { executor: 'constant-vus', vus: count(100_000), duration: dur(600), exec: 'user' },
    // The assignment API under 10K RPS, open model: arrivals do not wait for slow responses.
    assignment_rps: {
      executor: 'constant-arrival-rate',
      rate: count(10_000),
      timeUnit: '1s',
      duration: dur(600),
      preAllocatedVUs: count(1_500),
      maxVUs: count(3_000),
      exec: 'assignment',
    },
  },
  thresholds: {
    'http_req_duration{scenario:assignment_rps}': [`p(99)<${P99_MS}`],
    'http_req_failed{scenario:assignment_rps}': ['rate<0.001'],
    checks: ['rate>0.99'],
  },
};

export async function user(): Promise<void> {
  const r = await http.get(`${BASE}/api/assignments/user-${__VU}`, { tags: { name: 'GET /api/assignments/:user' } });
  check(r, { 'assignment 200': (x) => x.status === 200 });
  await sleep(1);
}

export async function assignment(): Promise<void> {
  const r = await http.get(`${BASE}/api/assignments/user-${__ITER % 1000}`, { tags: { name: 'GET /api/assignments/:user' } });
  check(r, { 'assignment 200': (x) => x.status === 200 });
}
