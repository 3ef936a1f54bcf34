/**
 * A step's numbers, named as vLLM's `bench serve` result file names them where they mean the same
 * (request_throughput, output_throughput, mean_ttft_ms, median_ttft_ms, p99_ttft_ms, …), so existing
 * notebooks read Volley's JSON. Percentiles interpolate linearly between ranks (numpy's default, as
 * vLLM computes them).
 */
import type { Endpoint } from '../protocols/llm/dialect.js';
import { GapBuffer } from '../protocols/llm/exchange.js';
import { meets, type Slo, type SloMetric } from './slo.js';

export const PROFILES = ['synchronous', 'concurrent', 'throughput', 'constant', 'poisson'] as const;
export type Profile = (typeof PROFILES)[number];

/** Growable list of doubles (the LLM client's gap buffer), sortable. */
export class Samples extends GapBuffer {
  sorted(): Float64Array {
    return this.values.slice(0, this.n).sort();
  }
}

/** Linear-interpolation percentile of sorted `xs` (p in 0–100); NaN when empty. */
export function percentile(xs: Float64Array, p: number): number {
  if (xs.length === 0) return NaN;
  const r = (p / 100) * (xs.length - 1);
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (r - lo);
}

export interface Dist {
  mean: number;
  median: number;
  std: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export function dist(s: Samples): Dist {
  const xs = s.sorted();
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = xs.length ? sum / xs.length : NaN;
  let sq = 0;
  for (const x of xs) sq += (x - mean) ** 2;
  return {
    mean,
    median: percentile(xs, 50),
    std: xs.length ? Math.sqrt(sq / xs.length) : NaN,
    p50: percentile(xs, 50),
    p90: percentile(xs, 90),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    max: xs.length ? xs[xs.length - 1]! : NaN,
  };
}

/** What one step collected. */
export class StepSamples {
  readonly ttft = new Samples();
  readonly ttftAny = new Samples();
  readonly tpot = new Samples();
  /** Every gap between token events, pooled (vLLM's ITL). */
  readonly itl = new Samples();
  /** Each request's mean gap (guidellm's ITL). */
  readonly itlMean = new Samples();
  readonly e2el = new Samples();
  /** Output tokens / e2e per request. */
  readonly tps = new Samples();
  completed = 0;
  failed = 0;
  good = 0;
  inputTokens = 0;
  outputTokens = 0;
  tokenizerCounted = 0;
  errors: Record<string, number> = {};
  firstError = '';
}

export function statOf(d: Dist, slo: Slo): number {
  return slo.stat === 'avg' ? d.mean : slo.stat === 'med' ? d.median : slo.stat === 50 ? d.p50 : slo.stat === 90 ? d.p90 : slo.stat === 95 ? d.p95 : slo.stat === 99 ? d.p99 : NaN;
}

/** The step's result, vLLM's field names first, then Volley's own. */
type LatencyFields = { [K in `${'mean' | 'median' | 'std' | 'p50' | 'p90' | 'p95' | 'p99'}_${SloMetric}_ms`]: number | null };

export interface StepResult extends LatencyFields {
  // vLLM bench serve
  duration: number;
  completed: number;
  failed: number;
  total_input_tokens: number;
  total_output_tokens: number;
  request_throughput: number;
  request_goodput: number | null;
  output_throughput: number;
  total_token_throughput: number;
  max_concurrent_requests: number;
  request_rate: number | 'inf';
  burstiness: number | null;
  max_concurrency: number | null;
  // Volley
  profile: string;
  /** Streams, for concurrent profiles. */
  concurrency: number | null;
  mean_ttft_any_ms: number | null;
  median_ttft_any_ms: number | null;
  p95_ttft_any_ms: number | null;
  mean_itl_per_request_ms: number | null;
  median_itl_per_request_ms: number | null;
  p95_itl_per_request_ms: number | null;
  median_output_tokens_per_second_per_request: number | null;
  tokens_counted_by: 'usage' | 'tokenizer' | 'both' | 'none';
  errors_by_kind: Record<string, number>;
  first_error: string | null;
  over_saturated: string | null;
  slos: Array<{ slo: string; value: number | null; pass: boolean }>;
  pass: boolean | null;
}

const fin = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null);

export function stepResult(
  s: StepSamples,
  meta: { profile: string; rate: number | null; poisson: boolean; concurrency: number | null; durationS: number; maxConcurrent: number; overSaturated: string | null },
  slos: readonly Slo[],
  maxErrorRate: number,
): StepResult {
  const d = meta.durationS;
  const dists: Record<SloMetric, Dist> = { ttft: dist(s.ttft), tpot: dist(s.tpot), itl: dist(s.itl), e2el: dist(s.e2el) };
  const any = dist(s.ttftAny);
  const perReq = dist(s.itlMean);
  const r: Record<string, unknown> = {
    duration: fin(d),
    completed: s.completed,
    failed: s.failed,
    total_input_tokens: s.inputTokens,
    total_output_tokens: s.outputTokens,
    request_throughput: fin(s.completed / d),
    request_goodput: slos.length ? fin(s.good / d) : null,
    output_throughput: fin(s.outputTokens / d),
    total_token_throughput: fin((s.inputTokens + s.outputTokens) / d),
    max_concurrent_requests: meta.maxConcurrent,
    request_rate: meta.rate === null ? 'inf' : meta.rate,
    burstiness: meta.rate === null ? null : meta.poisson ? 1 : null,
    max_concurrency: meta.concurrency,
  };
  for (const m of ['ttft', 'tpot', 'itl', 'e2el'] as const) {
    const x = dists[m];
    r[`mean_${m}_ms`] = fin(x.mean);
    r[`median_${m}_ms`] = fin(x.median);
    r[`std_${m}_ms`] = fin(x.std);
    r[`p50_${m}_ms`] = fin(x.p50);
    r[`p90_${m}_ms`] = fin(x.p90);
    r[`p95_${m}_ms`] = fin(x.p95);
    r[`p99_${m}_ms`] = fin(x.p99);
  }
  const verdicts = slos.map((slo) => {
    const v = statOf(dists[slo.metric], slo);
    return { slo: slo.text, value: fin(v), pass: Number.isFinite(v) && meets(slo, v) };
  });
  const total = s.completed + s.failed;
  const errorsOk = total > 0 && s.failed / total <= maxErrorRate;
  Object.assign(r, {
    profile: meta.profile,
    concurrency: meta.concurrency,
    mean_ttft_any_ms: fin(any.mean),
    median_ttft_any_ms: fin(any.median),
    p95_ttft_any_ms: fin(any.p95),
    mean_itl_per_request_ms: fin(perReq.mean),
    median_itl_per_request_ms: fin(perReq.median),
    p95_itl_per_request_ms: fin(perReq.p95),
    median_output_tokens_per_second_per_request: fin(dist(s.tps).median),
    tokens_counted_by: s.completed === 0 ? 'none' : s.tokenizerCounted === 0 ? 'usage' : s.tokenizerCounted === s.completed ? 'tokenizer' : 'both',
    errors_by_kind: s.errors,
    first_error: s.firstError || null,
    over_saturated: meta.overSaturated,
    slos: verdicts,
    pass: slos.length === 0 && maxErrorRate >= 1 ? null : errorsOk && meta.overSaturated === null && verdicts.every((v) => v.pass),
  });
  return r as unknown as StepResult;
}

/** The run's result file: settings, each step, the knee. */
export interface BenchResult {
  date: string;
  backend: string;
  base_url: string;
  model_id: string;
  endpoint: Endpoint;
  profile: Profile;
  goodput_slos: string[];
  steps: StepResult[];
  /** The highest offered rate (or concurrency) whose step met every SLO; null when none did. */
  knee: number | null;
  /** True when no step missed: the real knee is at or above `knee`, beyond the loads tried. */
  knee_is_lower_bound?: boolean;
}

