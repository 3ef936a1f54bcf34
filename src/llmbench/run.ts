/**
 * One step of `volley llm-bench`: a load profile for a duration, each request through the same
 * exchange as `volley/llm` (protocols/llm/exchange.ts).
 *
 * Rate steps are an open model: request i is due at start + the sum of i inter-arrival times (1/rate,
 * or exponential draws for Poisson, seeded) and is sent then whatever is in flight; its TTFT and
 * latency count from that intended time, so a late send (a busy client) is not hidden (no coordinated
 * omission). Concurrent steps keep N streams busy (closed model, each request timed from its send).
 *
 * Over-saturation: the step samples requests in flight (every second, or every eighth of a short
 * step); when they exceed `maxConcurrency`, or grow for `growSamples` samples in a row beyond twice
 * what Little's law expects (rate × the fastest latency seen), the server is not keeping up: the step stops
 * sending and says so.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { LlmCall } from '../protocols/llm/dialect.js';
import { exchange, GapBuffer, type LlmOutcome } from '../protocols/llm/exchange.js';
import { meets, type Slo } from './slo.js';
import { StepSamples } from './stats.js';
import { mulberry32 } from '../util/prng.js';

export type StepSpec = { kind: 'rate'; rate: number; poisson: boolean } | { kind: 'concurrent'; streams: number };

export interface StepContext {
  dispatcher: Dispatcher;
  /** The i-th request of the run. */
  call(i: number): LlmCall;
  durationMs: number;
  /** Stop sending after this many requests (0: no cap). */
  maxRequests: number;
  timeoutMs: number;
  slos: readonly Slo[];
  seed: number;
  maxConcurrency: number;
  /** Consecutive growing samples of requests in flight that mean over-saturation. */
  growSamples: number;
  /** Requests sent so far in the run (datasets advance across steps). */
  sent: number;
}

export interface StepRun {
  samples: StepSamples;
  /** From the first send to the last completion, s. */
  durationS: number;
  maxConcurrent: number;
  overSaturated: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runStep(ctx: StepContext, spec: StepSpec): Promise<StepRun> {
  const s = new StepSamples();
  const start = performance.now();
  const end = start + ctx.durationMs;
  let inFlight = 0;
  let maxConcurrent = 0;
  let lastDone = start;
  let overSaturated: string | null = null;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  // Over-saturated: the requests still queued are cut (counted as 'aborted'), not waited for.
  const stop = new AbortController();
  // Every request in flight listens to it: their number is bounded by --max-concurrency, not by 10.
  setMaxListeners(0, stop.signal);

  const one = async (t0: number, gaps: GapBuffer): Promise<void> => {
    inFlight++;
    if (inFlight > maxConcurrent) maxConcurrent = inFlight;
    const call = ctx.call(ctx.sent++);
    const o = await exchange(ctx.dispatcher, call, { t0, timeoutMs: ctx.timeoutMs, gaps, signal: stop.signal });
    inFlight--;
    lastDone = performance.now();
    collect(s, o, gaps, ctx.slos);
  };
  const canSend = (): boolean => overSaturated === null && (ctx.maxRequests === 0 || sent < ctx.maxRequests);

  // The saturation watch.
  const every = Math.min(1000, Math.max(50, ctx.durationMs / 8));
  const inFlightSeen: number[] = [];
  const watch = setInterval(() => {
    if (spec.kind !== 'rate') return;
    inFlightSeen.push(inFlight);
    if (inFlight >= ctx.maxConcurrency) {
      overSaturated = `${inFlight} requests in flight reached --max-concurrency ${ctx.maxConcurrency}`;
      stop.abort();
      return;
    }
    const k = ctx.growSamples;
    if (inFlightSeen.length <= k) return;
    const tail = inFlightSeen.slice(-k - 1);
    const growing = tail.every((v, i) => i === 0 || v > tail[i - 1]!);
    // Little's law with the fastest latency seen (the service time without a queue): with the
    // observed latency it would hold by definition, queue included.
    let minE2e = Infinity;
    for (let i = 0; i < s.e2el.n; i++) if (s.e2el.values[i]! < minE2e) minE2e = s.e2el.values[i]!;
    const expected = spec.rate * (Number.isFinite(minE2e) ? minE2e / 1000 : 0);
    if (growing && inFlight > 2 * expected + 2) {
      overSaturated = `requests in flight grew ${k} samples (${((k * every) / 1000).toFixed(1)} s) in a row to ${inFlight} (Little's law expects about ${expected.toFixed(1)} at ${spec.rate}/s with the fastest latency seen): the server does not keep up`;
      stop.abort();
    }
  }, every);
  watch.unref();

  try {
    if (spec.kind === 'rate') {
      const rand = mulberry32(ctx.seed >>> 0 || 1);
      let due = start;
      while (canSend()) {
        const now = performance.now();
        if (due > now) await sleep(due - now);
        if (due >= end || !canSend()) break;
        const p = one(due, new GapBuffer());
        pending.add(p);
        void p.finally(() => pending.delete(p));
        sent++;
        due += spec.poisson ? -Math.log(1 - rand()) * (1000 / spec.rate) : 1000 / spec.rate;
      }
    } else {
      await Promise.all(
        Array.from({ length: spec.streams }, async () => {
          const gaps = new GapBuffer();
          while (performance.now() < end && canSend()) {
            sent++;
            await one(performance.now(), gaps);
          }
        }),
      );
    }
    await Promise.all(pending);
  } finally {
    clearInterval(watch);
  }
  return { samples: s, durationS: Math.max(1e-3, (lastDone - start) / 1000), maxConcurrent, overSaturated };
}

function collect(s: StepSamples, o: LlmOutcome, gaps: GapBuffer, slos: readonly Slo[]): void {
  if (!o.ok) {
    s.failed++;
    const k = o.error!.kind;
    s.errors[k] = (s.errors[k] ?? 0) + 1;
    if (!s.firstError) s.firstError = `${k}: ${o.error!.message}`;
    return;
  }
  s.completed++;
  s.inputTokens += o.inputTokens;
  s.outputTokens += o.outputTokens;
  if (o.tokenSource === 'tokenizer') s.tokenizerCounted++;
  if (!Number.isNaN(o.ttft)) s.ttft.push(o.ttft);
  if (!Number.isNaN(o.ttfAny)) s.ttftAny.push(o.ttfAny);
  if (!Number.isNaN(o.tpot)) s.tpot.push(o.tpot);
  if (!Number.isNaN(o.itlMean)) s.itlMean.push(o.itlMean);
  if (!Number.isNaN(o.tokensPerSecond)) s.tps.push(o.tokensPerSecond);
  s.e2el.push(o.duration);
  for (let i = 0; i < gaps.n; i++) s.itl.push(gaps.values[i]!);
  let good = true;
  for (const slo of slos) {
    const v = slo.metric === 'ttft' ? o.ttft : slo.metric === 'tpot' ? o.tpot : slo.metric === 'itl' ? o.itlMean : o.duration;
    // A request with a single token has no TPOT/ITL: it cannot miss those bounds.
    if (Number.isNaN(v) ? slo.metric === 'ttft' || slo.metric === 'e2el' : !meets(slo, v)) good = false;
  }
  if (good) s.good++;
}
