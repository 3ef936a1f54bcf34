// Plan 002 "BetterPrompts", Monitoring: its alerting rules as windowed thresholds, so a load test
// fails when an alert would have gone off during it:
//   APIHighLatency   p95(api_response_time) > 350ms for 5m   →  'p(95)<350 for 5m' on the API routes
//   MLPipelineSlow   p95(ml_pipeline_time) > 3500ms for 10m  →  'p(95)<3500 for 10m' on the ML step (intent
//                    classification: a short completion from the LLM API, LLM_URL)
//   HighErrorRate    error_rate > 2% for 2m                  →  'rate<0.02 for 2m'
// Each must hold in every sliding window of its length (docs/thresholds.md), not only over the run.
// Full scale (SCALE=1): 20 minutes at 20 API requests/s and 1 classification/s. The suite runs it at:
// seed-scale: 0.004
//   npx volley run examples/seeds/002-alerting-rules.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
import { BASE, dur } from './lib/scale.js';

const LLM = __ENV.LLM_URL ?? 'http://127.0.0.1:8080/v1';

export const options: Options = {
  scenarios: {
    api: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: dur(1200), preAllocatedVUs: 10, maxVUs: 50, exec: 'api' },
    ml: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '1s', duration: dur(1200), preAllocatedVUs: 3, maxVUs: 10, exec: 'ml' },
  },
  thresholds: {
    'http_req_duration{scenario:api}': [`p(95)<350 for ${dur(300)}`],
    'http_req_duration{scenario:ml}': [`p(95)<3500 for ${dur(600)}`],
    http_req_failed: [`rate<0.02 for ${dur(120)}`],
  },
};

export async function api() {
  const res = await http.get(`${BASE}/api/experiments/exp_${1 + (__ITER % 3)}`, { tags: { name: 'GET /api/experiments/:id' } });
  check(res, { 'status 200': (r) => r.status === 200 });
}

export async function ml() {
  const body = { model: 'intent-classifier', prompt: 'Classify the intent: "make this prompt shorter"', max_tokens: 16 };
  const res = await http.post(`${LLM}/completions`, JSON.stringify(body), { headers: { 'content-type': 'application/json' }, tags: { name: 'POST /v1/completions' } });
  check(res, { 'status 200': (r) => r.status === 200 });
}
