// Plan 001 §4.1 "Assistant Query Soak & Spike": the plan's k6 script (tests/k6/assistant-query.js),
// run by Volley as written. The plan runs it with BASE_URL and TEST_TOKEN in the environment.
// The suite shortens its 30 minutes and 1000 VUs with --stages, as a k6 user would:
// seed-args: --stages 1s:3,2s:10,1s:0
// The target's assistant answers like an LLM (first token p50 300 ms, then 30-120 tokens at about
// 40/s: 1-3 s), so the plan's p95 < 900 ms fails against it, and Volley says so with k6's exit code:
// seed-exit: 99
import http from 'k6/http'
import { sleep, check } from 'k6'
export const options = {
  scenarios: {
    traffic: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '2m', target: 10 },
        { duration: '5m', target: 500 },
        { duration: '1m', target: 1000 },
        { duration: '20m', target: 200 },
        { duration: '2m', target: 0 },
      ],
      gracefulStop: '120s',
    },
  },
  thresholds: {
    'http_req_duration{route:/api/assistant/query}': ['p(95)<900'],
    'http_req_failed': ['rate<0.01'],
    checks: ['rate>0.99'],
  },
}

export default function () {
  const payload = JSON.stringify({ query: 'How do I reset the DB connection?', scope: {} })
  const res = http.post(`${__ENV.BASE_URL}/api/assistant/query`, payload, {
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${__ENV.TEST_TOKEN}` },
    tags: { route: '/api/assistant/query' },
  })
  const ok = check(res, {
    'status 200/429': r => [200, 429].includes(r.status),
    'has request id': r => !!r.headers['x-request-id'],
  })
  sleep(1)
}
