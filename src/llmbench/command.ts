/**
 * `volley llm-bench`: benchmark an OpenAI-compatible (or Anthropic) endpoint: steps of a load
 * profile, token latencies per step, goodput against SLOs, a sweep for the highest rate that meets
 * them, a table per step, vLLM-named JSON and an HTML report with throughput-latency curves.
 */
import { Agent } from 'undici';
import { configError, ExitCode } from '../errors/index.js';
import type { ChatMessage, Endpoint, LlmCall } from '../protocols/llm/dialect.js';
import { dataset, syntheticPrompts } from '../modules/dataset.js';
import { parseDurationMs } from '../util/duration.js';
import { writeFileAtomic } from '../report/write-file.js';
import { benchHtml } from './html.js';
import { runStep, type StepContext, type StepSpec } from './run.js';
import { parseSlo, type Slo } from './slo.js';
import { stepResult, type BenchResult, type StepResult } from './stats.js';
import { stepTable } from './table.js';

import { PROFILES, type Profile } from './stats.js';

export { PROFILES, type Profile };

export interface LlmBenchFlags {
  baseUrl: string;
  model?: string | undefined;
  endpoint?: string | undefined;
  dialect?: string | undefined;
  apiKey?: string | undefined;
  dataset?: string | undefined;
  inputTokens?: string | undefined;
  outputTokens?: string | undefined;
  numPrompts?: string | undefined;
  profile?: string | undefined;
  rates?: string | undefined;
  concurrency?: string | undefined;
  maxConcurrency?: string | undefined;
  duration?: string | undefined;
  maxRequests?: string | undefined;
  timeout?: string | undefined;
  goodput?: string[] | undefined;
  maxErrorRate?: string | undefined;
  sweep?: boolean | undefined;
  seed?: string | undefined;
  json?: string | undefined;
  report?: string | undefined;
}

/** `min` of POSITIVE: any number above 0 (a rate). */
const POSITIVE = 1e-9;

function num(flag: string, v: string | undefined, dflt: number, min: number, int = false, example = String(dflt)): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || (int && !Number.isInteger(n))) throw configError('E_LLMBENCH_OPTION', `${flag} '${v}' must be a${int ? ' whole' : ''} number ${min === POSITIVE ? 'above 0' : `≥ ${min}`}`, `e.g. ${flag} ${example}`);
  return n;
}

function list(flag: string, v: string, int: boolean): number[] {
  const xs = v.split(',').map((x) => x.trim()).filter(Boolean).map((x) => num(flag, x, 0, int ? 1 : POSITIVE, int, int ? '1,8,32' : '1,2,4'));
  if (xs.length === 0) throw configError('E_LLMBENCH_OPTION', `${flag} '${v}' lists no values`, `e.g. ${flag} 1,2,4`);
  return xs;
}

/** Prompts: rows of --dataset (prompt / text / messages fields, or a plain string), else synthetic. */
function prompts(f: LlmBenchFlags, seed: number): Array<{ prompt: string; messages?: ChatMessage[]; maxTokens?: number }> {
  if (f.dataset !== undefined) {
    const rows = dataset(f.dataset);
    if (rows.length === 0) throw configError('E_LLMBENCH_DATASET', `--dataset ${f.dataset} has no rows`, 'give it one prompt a row');
    return rows.map((row, i) => {
      if (typeof row === 'string') return { prompt: row };
      const o = (row ?? {}) as Record<string, unknown>;
      const maxTokens = o['max_tokens'] ?? o['output_tokens'];
      const mt = maxTokens === undefined || maxTokens === '' ? undefined : Number(maxTokens);
      if (Array.isArray(o['messages'])) return { prompt: '', messages: o['messages'] as ChatMessage[], ...(mt ? { maxTokens: mt } : {}) };
      const p = o['prompt'] ?? o['text'] ?? o['question'] ?? o['input'];
      if (typeof p !== 'string') throw configError('E_LLMBENCH_DATASET', `--dataset ${f.dataset}: row ${i + 1} has no prompt (a "prompt", "text", "question", "input" or "messages" field)`, 'name the prompt column "prompt"');
      return { prompt: p, ...(mt ? { maxTokens: mt } : {}) };
    });
  }
  const [mean, sd] = (f.inputTokens ?? '128').split(',').map((x) => num('--input-tokens', x, 128, 1));
  return syntheticPrompts({ count: num('--num-prompts', f.numPrompts, 1000, 1, true), mean: mean!, stddev: sd ?? 0, seed }).map((prompt) => ({ prompt }));
}

export async function llmBenchCommand(f: LlmBenchFlags, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  if (!/^https?:\/\//.test(f.baseUrl ?? '')) throw configError('E_LLMBENCH_OPTION', `--base-url '${f.baseUrl ?? ''}' must be an http(s) URL up to /v1`, 'e.g. --base-url http://127.0.0.1:8000/v1');
  const profile = (f.profile ?? 'constant') as Profile;
  if (!PROFILES.includes(profile)) throw configError('E_LLMBENCH_OPTION', `--profile '${f.profile}' is not a profile`, `use one of ${PROFILES.join(', ')}`);
  const endpoint: Endpoint = f.dialect === 'anthropic' ? 'messages' : ((f.endpoint ?? 'chat') as Endpoint);
  if (!['chat', 'completions', 'messages'].includes(endpoint)) throw configError('E_LLMBENCH_OPTION', `--endpoint '${f.endpoint}' is not an endpoint`, 'use chat, completions or messages');
  if (f.dialect !== undefined && f.dialect !== 'openai' && f.dialect !== 'anthropic') throw configError('E_LLMBENCH_OPTION', `--dialect '${f.dialect}' is not a dialect`, 'use openai or anthropic');
  const durationMs = parseDurationMs(f.duration ?? '30s');
  if (durationMs === undefined || durationMs <= 0) throw configError('E_LLMBENCH_OPTION', `--duration '${f.duration}' ${durationMs === undefined ? 'is not a duration' : 'must be longer than 0'}`, 'e.g. --duration 60s');
  const timeoutMs = parseDurationMs(f.timeout ?? '120s');
  if (timeoutMs === undefined || timeoutMs <= 0) throw configError('E_LLMBENCH_OPTION', `--timeout '${f.timeout}' is not a duration`, 'e.g. --timeout 60s');
  const slos: Slo[] = (f.goodput ?? []).map(parseSlo);
  if (f.sweep && slos.length === 0) throw configError('E_LLMBENCH_OPTION', '--sweep searches for the highest rate that meets the SLOs: give at least one --goodput', "e.g. --goodput 'ttft:p(95)<2s'");
  const seed = num('--seed', f.seed, 1, 0, true);
  const outputTokens = num('--output-tokens', f.outputTokens, 128, 1, true);
  const maxConcurrency = num('--max-concurrency', f.maxConcurrency, 256, 1, true);
  const maxErrorRate = num('--max-error-rate', f.maxErrorRate, 0.01, 0);
  const rows = prompts(f, seed);
  const model = f.model ?? '';
  const base: Omit<LlmCall, 'messages' | 'prompt' | 'maxTokens'> = { endpoint, baseUrl: f.baseUrl, model, stream: true, apiKey: f.apiKey ?? process.env['LLM_API_KEY'] };
  const calls = rows.map((r): LlmCall => ({
    ...base,
    maxTokens: r.maxTokens ?? outputTokens,
    ...(endpoint === 'completions' ? { prompt: r.prompt } : { messages: r.messages ?? [{ role: 'user', content: r.prompt }] }),
  }));

  // Steps: rates, stream counts, or one step.
  const isRate = profile === 'constant' || profile === 'poisson';
  let values: number[];
  if (isRate) values = f.rates !== undefined ? list('--rates', f.rates, false) : f.sweep ? [1, 2, 4, 8, 16, 32, 64] : [1];
  else if (profile === 'concurrent') values = f.concurrency !== undefined ? list('--concurrency', f.concurrency, true) : f.sweep ? [1, 2, 4, 8, 16, 32, 64] : [8];
  else values = [profile === 'synchronous' ? 1 : maxConcurrency];
  values.sort((a, b) => a - b);
  const specOf = (v: number): StepSpec => (isRate ? { kind: 'rate', rate: v, poisson: profile === 'poisson' } : { kind: 'concurrent', streams: v });

  const agent = new Agent({ connections: null, keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });
  const ctx: StepContext = {
    dispatcher: agent,
    call: (i) => calls[i % calls.length]!,
    durationMs,
    maxRequests: num('--max-requests', f.maxRequests, 0, 0, true),
    timeoutMs,
    slos,
    seed,
    maxConcurrency,
    growSamples: 5,
    sent: 0,
  };
  const steps: StepResult[] = [];
  let knee: number | null = null;
  const runOne = async (v: number): Promise<StepResult> => {
    const r = await runStep(ctx, specOf(v));
    const res = stepResult(r.samples, { profile, rate: isRate ? v : null, poisson: profile === 'poisson', concurrency: isRate ? null : v, durationS: r.durationS, maxConcurrent: r.maxConcurrent, overSaturated: r.overSaturated }, slos, maxErrorRate);
    steps.push(res);
    out(stepTable(res, steps.length, isRate ? `${v}/s` : `${v} stream${v === 1 ? '' : 's'}`));
    return res;
  };
  try {
    let lastPass: number | null = null;
    let firstFail: number | null = null;
    for (const v of values) {
      const res = await runOne(v);
      if (res.pass) lastPass = v;
      else if (f.sweep && res.pass === false) {
        firstFail = v;
        break;
      }
      if (res.over_saturated !== null && !f.sweep) {
        out(`  stopping: over-saturated at ${v}${isRate ? '/s' : ' streams'}\n`);
        break;
      }
    }
    // Sweep: narrow the knee between the last passing and the first failing value (3 bisections).
    if (f.sweep && firstFail !== null && lastPass !== null) {
      let lo = lastPass;
      let hi = firstFail;
      for (let i = 0; i < 3 && hi - lo > (isRate ? 0.05 * lo : 1); i++) {
        const mid = isRate ? Math.round(((lo + hi) / 2) * 100) / 100 : Math.floor((lo + hi) / 2);
        const res = await runOne(mid);
        if (res.pass) lo = mid;
        else hi = mid;
      }
      lastPass = lo;
    }
    knee = slos.length > 0 ? lastPass : null;
  } finally {
    await agent.close();
  }
  const result: BenchResult = {
    date: new Date().toISOString(),
    backend: endpoint === 'messages' ? 'anthropic' : 'openai-compatible',
    base_url: f.baseUrl,
    model_id: model,
    endpoint,
    profile,
    goodput_slos: slos.map((s) => s.text),
    steps: steps.sort((a, b) => (Number(a.request_rate === 'inf' ? a.concurrency : a.request_rate) || 0) - (Number(b.request_rate === 'inf' ? b.concurrency : b.request_rate) || 0)),
    knee,
    ...(knee !== null ? { knee_is_lower_bound: steps.every((s) => s.pass !== false) } : {}),
  };
  const load = `${knee}${isRate ? ' requests/s' : ' streams'}`;
  if (slos.length > 0) {
    if (knee === null) out(`\n✗ no step met every SLO (${result.goodput_slos.join(', ')})\n`);
    // No step missed: the knee lies beyond the loads tried, not at the last of them.
    else if (result.knee_is_lower_bound) out(`\n✓ every step met every SLO (${result.goodput_slos.join(', ')}), up to ${load}: the knee is higher than that; try higher ${isRate ? '--rates' : '--concurrency'}\n`);
    else out(`\n✓ highest ${isRate ? 'rate' : 'concurrency'} meeting every SLO (${result.goodput_slos.join(', ')}): ${load}\n`);
  }
  if (f.json !== undefined) {
    const text = `${JSON.stringify(result, null, 2)}\n`;
    if (f.json === '-') out(text);
    else await writeFileAtomic(f.json, text, 'the benchmark JSON', '--json');
  }
  if (f.report !== undefined) {
    await writeFileAtomic(f.report, benchHtml(result), 'the benchmark report', '--report');
    out(`report: ${f.report}\n`);
  }
  const anyFail = steps.some((s) => s.pass === false);
  if (slos.length === 0) return steps.every((s) => s.completed > 0) ? 0 : ExitCode.ThresholdsHaveFailed;
  return f.sweep ? (knee === null ? ExitCode.ThresholdsHaveFailed : 0) : anyFail ? ExitCode.ThresholdsHaveFailed : 0;
}
