// Plan 001 §4.1 "Assistant Query Soak & Spike" with the SLI of §1.1: assistant time-to-first-token
// P50 ≤ 3 s, P95 ≤ 8 s ("includes retrieval + LLM stream start"). The plan's k6 script
// (001-4.1-k6-assistant-query.js) can only time the whole answer; volley/llm reads the stream and
// times its first token, so the SLO is a threshold. Each VU has its own API key (the route allows
// 5/s per key); the 429s the plan expects by design are counted in `rate_limited` (< 5 %), and the
// check (> 99 %) fails any other error.
// Full scale (SCALE=1): warm-up 2 min at 10 VUs, ramp to 500 over 5 min, spike 1,000 for 60 s, soak 200 for 20 min.
//   npx volley run examples/seeds/001-4.1-assistant-soak-spike.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
// The suite runs it at half its usual small scale (the seed file's total time is bounded):
// seed-scale: 0.005
import llm from 'volley/llm';
import { Rate } from 'volley/metrics';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

const rateLimited = new Rate('rate_limited');

export const options: Options = {
  scenarios: {
    traffic: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: dur(120), target: count(10) },
        { duration: dur(300), target: count(500) },
        { duration: dur(60), target: count(1000) },
        { duration: dur(1200), target: count(200) },
        { duration: dur(120), target: 0 },
      ],
      gracefulStop: '30s',
    },
  },
  thresholds: {
    'llm_time_to_first_token{route:/api/assistant/query}': ['p(50)<=3000', 'p(95)<=8000'],
    rate_limited: ['rate<0.05'],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  const r = await llm.chat({
    url: `${BASE}/api/assistant/query`,
    messages: [{ role: 'user', content: 'How do I reset the DB connection?' }],
    maxTokens: 120,
    headers: { 'x-api-key': `vu-${__VU}` },
    tags: { route: '/api/assistant/query' },
    timeout: '30s',
  });
  rateLimited.add(r.status === 429);
  check(r, {
    'answered (or 429 by design)': (x) => x.ok || x.status === 429,
    'streamed to the end': (x) => x.status === 429 || (x.streamed && x.finishReason !== ''),
  });
  sleep(1);
}
