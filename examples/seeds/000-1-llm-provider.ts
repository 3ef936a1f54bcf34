// Plan 000 §1 "Identify bottlenecks in LLM provider integrations" with §4's "LLM provider mocks or
// sandbox APIs to simulate response times": the provider mock is the target's OpenAI-compatible API
// (LLM_URL; first token lognormal p50 250 ms, p99 1 s, about 60 tokens/s). The experiment platform
// calls the provider at a steady rate, streamed; the KPIs of §2 become thresholds on the provider's
// share: error rate < 0.1 %, and where the time goes — waiting for the first token, or generating.
// Full scale (SCALE=1): 10 calls/s for 10 minutes, up to 100 in flight.
//   npx volley run examples/seeds/000-1-llm-provider.ts -e LLM_URL=http://127.0.0.1:8080/v1 -e SCALE=0.1
import llm from 'volley/llm';
import { check } from 'volley';
import type { Options } from 'volley';
import { count, dur } from './lib/scale.js';

const LLM = __ENV.LLM_URL ?? 'http://127.0.0.1:8080/v1';
const VARIANTS = ['control', 'treatment'];

export const options: Options = {
  scenarios: {
    provider: {
      executor: 'constant-arrival-rate',
      rate: count(10, 3),
      timeUnit: '1s',
      duration: dur(600),
      preAllocatedVUs: count(50, 5),
      maxVUs: count(100, 10),
    },
  },
  thresholds: {
    llm_req_failed: ['rate<0.001'],
    // The mock's p95 is about 700 ms; 2 s leaves room for a busy CI machine, not for a slow provider.
    llm_time_to_first_token: ['p(95)<2000'],
    llm_time_per_output_token: ['p(95)<50'],
    llm_output_tokens_per_second: ['p(5)>10'],
    checks: ['rate>0.999'],
  },
};

export default async function () {
  const variant = VARIANTS[__ITER % VARIANTS.length]!;
  const r = await llm.chat({
    baseUrl: LLM,
    model: 'volley-sim-1',
    messages: [
      { role: 'system', content: `Experiment arm: ${variant}.` },
      { role: 'user', content: 'Summarise the attribution of conversions to the last three prompts.' },
    ],
    maxTokens: 64,
    tags: { name: 'provider chat', variant },
    timeout: '20s',
  });
  check(r, { 'complete answer': (x) => x.ok && x.usage.outputTokens === 64 });
}
