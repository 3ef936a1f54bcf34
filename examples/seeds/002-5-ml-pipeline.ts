// Plan 002 §5 "ML Pipeline Test": intent classification and prompt generation, success criterion
// < 3 s end-to-end. The plan runs it with Locust (locust-ml-pipeline.py); here a VU classifies the
// user's request (a short, non-streamed completion), then generates the enhanced prompt (streamed
// chat); `ml_pipeline_duration` times both, and the model's own latencies show which stage costs.
// The model is the target's OpenAI-compatible API (LLM_URL).
// Full scale (SCALE=1): 20 users for 5 minutes, 1–2 s think time.
//   npx volley run examples/seeds/002-5-ml-pipeline.ts -e LLM_URL=http://127.0.0.1:8080/v1 -e SCALE=0.1
import llm from 'volley/llm';
import { Trend } from 'volley/metrics';
import { check, sleep } from 'volley';
import type { Options } from 'volley';
import { count, dur } from './lib/scale.js';

const LLM = __ENV.LLM_URL ?? 'http://127.0.0.1:8080/v1';
const pipeline = new Trend('ml_pipeline_duration', true);
const REQUESTS = ['write a cover letter for a data engineer', 'explain vector databases to a PM', 'fix this SQL: selct * form users'];

export const options: Options = {
  scenarios: { pipeline: { executor: 'constant-vus', vus: count(20, 2), duration: dur(300) } },
  thresholds: {
    ml_pipeline_duration: ['p(95)<3000'],
    'llm_request_duration{stage:classify}': ['p(95)<1500'],
    'llm_time_to_first_token{stage:generate}': ['p(95)<1500'],
    llm_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  const input = REQUESTS[__ITER % REQUESTS.length]!;
  const t0 = Date.now();
  const intent = await llm.complete({ baseUrl: LLM, prompt: `Classify the intent of: ${input}\nIntent:`, maxTokens: 3, stream: false, tags: { stage: 'classify' } });
  const prompt = await llm.chat({
    baseUrl: LLM,
    messages: [
      { role: 'system', content: `Rewrite the request as a detailed prompt. Intent: ${intent.text.trim()}` },
      { role: 'user', content: input },
    ],
    maxTokens: 48,
    tags: { stage: 'generate' },
  });
  pipeline.add(Date.now() - t0);
  check(prompt, { 'intent classified': () => intent.ok && intent.text !== '', 'prompt generated': (x) => x.ok && x.text.length > 0 });
  sleep(1 + Math.random());
}
