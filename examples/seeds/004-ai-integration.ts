// Plan 004 "Performance Testing Framework", AI Integration Workloads — Claude API performance:
// 100+ requests per minute, 50+ simultaneous requests, response time ≤ 5 s for complex requests,
// ≤ 2 % API failures. The target's OpenAI-compatible chat endpoint stands in for the provider
// (LLM_URL; time to first token lognormal p50 250 ms, p99 1 s, about 60 tokens/s).
// Full scale (SCALE=1): 120 requests/min for 10 minutes, up to 60 in flight.
//   npx volley run examples/seeds/004-ai-integration.ts -e LLM_URL=http://127.0.0.1:8080/v1 -e SCALE=0.1
import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
import { count, dur } from './lib/scale.js';

const LLM = __ENV.LLM_URL ?? 'http://127.0.0.1:8080/v1';
const PER_MINUTE = count(120, 60);

export const options: Options = {
  scenarios: {
    claude_api: {
      executor: 'constant-arrival-rate',
      rate: PER_MINUTE,
      timeUnit: '1m',
      duration: dur(600),
      preAllocatedVUs: count(50, 5),
      maxVUs: count(60, 10),
    },
  },
  thresholds: {
    'http_req_duration{name:chat completion}': ['p(95)<=5000'],
    'http_req_failed{name:chat completion}': ['rate<=0.02'],
    checks: ['rate>=0.98'],
  },
};

export default async function () {
  const body = {
    model: 'volley-sim-1',
    max_tokens: 120,
    messages: [
      { role: 'system', content: 'You optimise software projects.' },
      { role: 'user', content: `Suggest optimisations for project ${__ITER}: 40 files, 8 dependencies, slow build.` },
    ],
  };
  const r = await http.post(`${LLM}/chat/completions`, JSON.stringify(body), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'chat completion' },
    timeout: '30s',
  });
  check(r, {
    'answered 200': (x) => x.status === 200,
    'has a completion': (x) => typeof x.json('choices.0.message.content') === 'string',
  });
}
