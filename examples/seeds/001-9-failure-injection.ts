// Plan 001 §9 "Failure Injection": a 429 storm, a provider returning 5xx one time in five, and
// connection churn, each on the test's timeline through a proxy Volley starts in front of the LLM
// provider. The client retries with backoff (honouring Retry-After); thresholds are per phase
// (samples carry `fault`), and recovery after each window is a metric with a threshold.
// Full scale (SCALE=1): 32 min of steady load; storm at 5 min (2 min), 5xx at 15 min (5 min),
// churn at 25 min (1 min).
//   npx volley run examples/seeds/001-9-failure-injection.ts -e LLM_URL=http://127.0.0.1:8080/v1 -e SCALE=0.1
// seed-env: LLM_URL
import http from 'volley/http';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { count, dur } from './lib/scale.js';

const LLM = __ENV.LLM_URL ?? 'http://127.0.0.1:8080/v1';

export const options: Options = {
  scenarios: {
    assistant: { executor: 'constant-vus', vus: count(800), duration: dur(1920) },
  },
  proxies: {
    llm: { upstream: new URL(LLM).origin },
  },
  faults: [
    { proxy: 'llm', name: 'storm', startTime: dur(300), duration: dur(120), status: 429, rate: 1, headers: { 'retry-after': '1' } },
    { proxy: 'llm', name: 'provider-5xx', startTime: dur(900), duration: dur(300), status: 500, rate: 0.2 },
    { proxy: 'llm', name: 'churn', startTime: dur(1500), duration: dur(60), kind: 'reset', rate: 0.1 },
  ],
  thresholds: {
    // Outside the faults the provider path is clean.
    'http_req_failed{fault:none}': ['rate<0.01'],
    // With retries, 20 % provider errors and connection resets barely reach the user.
    'http_req_final_failed{fault:provider-5xx}': ['rate<0.02'],
    'http_req_final_failed{fault:churn}': ['rate<0.02'],
    // The storm did happen (the proxy answered 429s).
    'faults_injected{kind:status}': ['count>0'],
    // Back to the pre-fault p95 and error rate within 30 s of each window.
    recovery_time: ['max<30000'],
  },
};

const body = JSON.stringify({ model: 'volley-small', messages: [{ role: 'user', content: 'summarise my notes' }], max_tokens: 8 });

export default async function () {
  const res = await http.post(`${__ENV.VOLLEY_PROXY_LLM}${new URL(LLM).pathname}/chat/completions`, body, {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /v1/chat/completions' },
    retry: { attempts: 4, baseMs: 100, maxMs: 2000 },
  });
  check(res, { 'answered or rate limited': (r) => r.status === 200 || r.status === 429 });
  await sleep(0.2);
}
