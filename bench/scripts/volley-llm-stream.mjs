// One streamed chat completion per iteration with volley/llm (bench/llm-stream.mjs). Each VU's first
// WARM iterations are tagged phase:warmup (connections, JIT, the start burst); the bench reads the
// steady ones, whose submetrics the thresholds below put in the summary export.
import llm from 'volley/llm';
import { sleep } from 'volley';
const TOKENS = Number(__ENV.TOKENS || 64);
const WARM = Number(__ENV.WARM || 2);
// VU v starts (v − 1) × STAGGER ms late, so the streams are spread over one answer's duration as
// independent users are, not synchronised bursts of requests.
const STAGGER = Number(__ENV.STAGGER || 0);
export const options = {
  thresholds: {
    'llm_time_to_first_token{phase:steady}': ['max>=0'],
    'llm_inter_token_latency{phase:steady}': ['max>=0'],
  },
};
export default async function () {
  if (__ITER === 0 && STAGGER > 0) await sleep(((__VU - 1) * STAGGER) / 1000);
  await llm.chat({ baseUrl: __ENV.LLM_URL, model: 'm', maxTokens: TOKENS, stream: true, timeout: '30s',
    messages: [{ role: 'user', content: 'How do I reset the DB connection?' }], tags: { phase: __ITER >= WARM ? 'steady' : 'warmup' } });
}
