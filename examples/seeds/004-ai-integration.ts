// Plan 004 "Performance Testing Framework", AI Integration Workloads — Claude API performance:
// 100+ requests per minute, 50+ simultaneous requests, response time ≤ 5 s for complex requests,
// ≤ 2 % API failures. The target's Anthropic-compatible messages API stands in for Claude
// (LLM_URL/messages; time to first token lognormal p50 250 ms, p99 1 s, about 60 tokens/s), called
// with volley/llm's Anthropic dialect, streamed: the response time and its first token are both measured.
// Full scale (SCALE=1): 120 requests/min for 10 minutes, up to 60 in flight.
//   npx volley run examples/seeds/004-ai-integration.ts -e LLM_URL=http://127.0.0.1:8080/v1 -e SCALE=0.1
import llm from 'volley/llm';
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
    'llm_request_duration{name:claude messages}': ['p(95)<=5000'],
    'llm_req_failed{name:claude messages}': ['rate<=0.02'],
    checks: ['rate>=0.98'],
  },
};

export default async function () {
  const r = await llm.messages({
    baseUrl: LLM,
    model: 'claude-sim',
    system: 'You optimise software projects.',
    messages: [{ role: 'user', content: `Suggest optimisations for project ${__ITER}: 40 files, 8 dependencies, slow build.` }],
    maxTokens: 120,
    tags: { name: 'claude messages' },
    timeout: '30s',
  });
  check(r, {
    'answered 200': (x) => x.status === 200,
    'has a completion': (x) => x.ok && x.text.length > 0 && x.finishReason !== '',
  });
}
