// The baseline a user writes by hand (bench/llm-stream.mjs): the official `openai` npm client (6.x on
// Node 20) streaming chat completions from C concurrent loops for S seconds, timing each content
// chunk with performance.now(). No loop starts after S seconds; those in flight finish (as Volley's
// constant-vus does). Each loop's first WARM requests are not sampled (as the Volley script's
// phase:warmup). Prints one JSON line: tokens (the usage blocks), requests, errors, TTFT and pooled
// ITL percentiles of the sampled requests. The bench measures this process's CPU from /proc.
// Loop i starts i × STAGGER ms late (as the Volley script's VUs).
//   node bench/scripts/openai-stream.mjs BASE_URL CONCURRENCY SECONDS TOKENS [WARM=2] [STAGGER=0]
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';

const [baseURL, c, s, n, warm = '2', stagger = '0'] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'none', maxRetries: 0, timeout: 30_000 });
const ttfts = [];
const gaps = [];
let tokens = 0;
let requests = 0;
let errors = 0;

async function user(until, i) {
  await new Promise((r) => setTimeout(r, i * Number(stagger)));
  for (let iter = 0; performance.now() < until; iter++) {
    const sample = iter >= Number(warm);
    const t0 = performance.now();
    let last = 0;
    try {
      const stream = await client.chat.completions.create({
        model: 'm', stream: true, stream_options: { include_usage: true }, max_tokens: Number(n),
        messages: [{ role: 'user', content: 'How do I reset the DB connection?' }],
      });
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) {
          const now = performance.now();
          if (sample) {
            if (last === 0) ttfts.push(now - t0);
            else gaps.push(now - last);
          }
          last = now;
        }
        if (chunk.usage) tokens += chunk.usage.completion_tokens;
      }
      requests++;
    } catch {
      errors++;
    }
  }
}

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const start = performance.now();
await Promise.all(Array.from({ length: Number(c) }, (_, i) => user(start + Number(s) * 1000, i)));
const wallS = (performance.now() - start) / 1000;
console.log(JSON.stringify({
  tokens, requests, errors, wallS,
  ttft: { p50: pct(ttfts, 50), p95: pct(ttfts, 95) }, itl: { p50: pct(gaps, 50), p95: pct(gaps, 95) },
}));
