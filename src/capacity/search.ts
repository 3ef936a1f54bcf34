/**
 * Breakpoint search (`volley find-capacity`): the highest arrival rate at which every SLO holds, in
 * an open model (arrivals do not wait for responses, as real users don't).
 *
 * 1. Ramp: steady steps at start, start × growth, start × growth², … until a step breaks an SLO (or
 *    the maximum rate holds).
 * 2. Bisect between the last rate that held and the first that broke, until they are within
 *    `precision` of each other (relative), each probe a fresh steady step.
 *
 * A step's verdict is statistical (capacity/confidence.ts): it held when every SLO's 95 % interval
 * lies on the good side of its limit, broke when one SLO's lies wholly on the bad side, and is
 * uncertain when an interval straddles its limit (too few requests to tell). An uncertain step is
 * run once more, `extendFactor` times as long (policy 'extend'); a verdict still uncertain then, or
 * any uncertain verdict under policy 'broke', counts as broke: the capacity is conservative, the
 * highest rate shown to hold with 95 % confidence. The result says which rates stayed uncertain
 * and the lowest rate shown to break, so the range between is reported as not resolved. A step that broke while the load generator itself was saturated says nothing about
 * the system: the search stops there and says so. Each step may end early (the driver aborts it
 * when an SLO clearly broke), so an overloaded system is not pushed for a whole step.
 *
 * The search runs the steps through a callback, so it is tested without a network.
 */

import type { SloInterval, Verdict } from './confidence.js';

/** What one steady step at one arrival rate measured. */
export interface StepOutcome {
  /** Target arrival rate (iterations per second). */
  rate: number;
  /** Requests per second the system answered during the step. */
  achievedRps: number;
  /** p95 of http_req_duration (ms), null without requests. */
  p95Ms: number | null;
  /** Share of failed requests (0..1), null without requests. */
  errorRate: number | null;
  /** Iterations not started because every VU was busy (the rate could not be held). */
  dropped: number;
  /** In flight by Little's law: achieved rps × mean latency (s). */
  inFlight: number | null;
  /** Every SLO held with 95 % confidence (verdict 'held'). */
  ok: boolean;
  /** held: every SLO's interval on its good side; broke: one SLO's wholly on its bad side (or the rate could not be held); uncertain: else. */
  verdict: Verdict;
  /** Each SLO's measured value, 95 % interval and verdict. */
  slos: SloInterval[];
  /** The SLOs whose measured value broke them (the point estimate), as `metric: expr (value)`. */
  broken: string[];
  /** This step re-ran an uncertain one, longer. */
  extended: boolean;
  /** The step was stopped before its planned end (an SLO broke clearly); requests it cut off count as failed. */
  stoppedEarly: boolean;
  /** The load generator was saturated (CPU or event loop): the step measured the generator, not the system. */
  generatorLimited: boolean;
  durationMs: number;
}

export interface SearchSettings {
  /** First rate (per second). */
  startRate: number;
  /** Highest rate to try. */
  maxRate: number;
  /** Ramp factor between steps (> 1). */
  growth: number;
  /** Bisect until (broke − held) / held ≤ precision. */
  precision: number;
  /** Most steps in all (ramp and bisection): the search is bounded in time. */
  maxSteps: number;
  /** An uncertain step: 'extend' runs it once more `extendFactor` times as long, then counts it as broke if still uncertain; 'broke' counts it as broke at once. */
  uncertain: 'extend' | 'broke';
  extendFactor: number;
}

/** The capacity as a range: what the search showed with 95 % confidence, and what it could not decide. */
export interface CapacityRange {
  confidence: 0.95;
  /** Highest rate at which every SLO held with 95 % confidence (= capacity). */
  holds: number | null;
  /** Lowest rate above it at which an SLO broke with 95 % confidence (null: none did). */
  breaks: number | null;
  /** Rates above `holds` whose verdict stayed uncertain (counted as broke), ascending. */
  uncertain: number[];
  /** How uncertain steps were treated. */
  policy: 'extend' | 'broke';
}

export type StopReason = 'found' | 'max-rate' | 'below-start' | 'generator' | 'max-steps';

export interface SearchResult {
  /** Highest rate at which every SLO held with 95 % confidence (null: not even the start rate). */
  capacity: number | null;
  /** Lowest rate above `capacity` not shown to hold: it broke, or stayed uncertain and counted as broke (null: none). */
  breaksAt: number | null;
  /** breaksAt − capacity (null when either is unknown). */
  uncertainty: number | null;
  steps: StepOutcome[];
  stoppedBecause: StopReason;
  /** One sentence for people. */
  explanation: string;
  /** The knee of the latency curve: the lowest rate tried whose p95 was over twice the p95 at the lowest rate (null: none). */
  knee: number | null;
  /** How the first broken rate above the capacity failed, in words (null: nothing broke). */
  saturation: string | null;
  /** The capacity as a range with its confidence. */
  range: CapacityRange;
}

/**
 * Runs the search; `runStep(rate, factor)` runs one steady step at that rate, `factor` times the
 * step duration (1, or `extendFactor` for the re-run of an uncertain step).
 */
export async function searchCapacity(runStep: (rate: number, factor: number) => Promise<StepOutcome>, s: SearchSettings): Promise<SearchResult> {
  const steps: StepOutcome[] = [];
  let held: number | null = null;
  let broke: number | null = null;
  const step = async (rate: number): Promise<StepOutcome> => {
    let o = await runStep(rate, 1);
    steps.push(o);
    if (o.verdict === 'uncertain' && !o.generatorLimited && s.uncertain === 'extend' && s.extendFactor > 1 && steps.length < s.maxSteps) {
      o = await runStep(rate, s.extendFactor);
      steps.push(o);
    }
    return o;
  };
  const lastAt = (rate: number): StepOutcome | undefined => steps.filter((x) => x.rate === rate).pop();
  const range = (): CapacityRange => {
    const above = [...new Set(steps.map((x) => x.rate))].filter((r) => held === null || r > held).sort((a, b) => a - b);
    return {
      confidence: 0.95,
      holds: held,
      breaks: above.find((r) => lastAt(r)!.verdict === 'broke') ?? null,
      uncertain: above.filter((r) => lastAt(r)!.verdict === 'uncertain'),
      policy: s.uncertain,
    };
  };
  const done = (stoppedBecause: StopReason, explanation: string): SearchResult => ({
    capacity: held,
    breaksAt: broke,
    uncertainty: held !== null && broke !== null ? broke - held : null,
    steps,
    stoppedBecause,
    explanation,
    knee: kneeOf(steps),
    // An undecided step shows no saturation: its figures are noise around the limit.
    saturation: broke === null || lastAt(broke)?.verdict !== 'broke' ? null : signature(lastAt(broke)),
    range: range(),
  });

  // 1. Ramp.
  let rate = s.startRate;
  for (;;) {
    if (steps.length >= s.maxSteps) return done('max-steps', `stopped after ${s.maxSteps} steps without a breaking rate`);
    const o = await step(rate);
    if (!o.ok && o.generatorLimited) return done('generator', generatorSentence(rate));
    if (!o.ok) {
      broke = rate;
      break;
    }
    held = rate;
    if (rate >= s.maxRate) return done('max-rate', `every SLO held up to the maximum rate tried (${fmtRate(rate)}/s): the capacity is at least that`);
    rate = Math.min(s.maxRate, round(rate * s.growth));
  }
  if (held === null) {
    const o = lastAt(s.startRate);
    if (o?.verdict === 'uncertain') return done('below-start', `at the first rate (${fmtRate(s.startRate)}/s) the steps were too short to show that the SLOs hold with 95 % confidence: lengthen --step-duration`);
    return done('below-start', `the SLOs broke at the first rate (${fmtRate(s.startRate)}/s): start lower`);
  }

  // 2. Bisect.
  while ((broke - held) / held > s.precision) {
    if (steps.length >= s.maxSteps) return done('max-steps', `stopped after ${s.maxSteps} steps: the capacity is between ${fmtRate(held)}/s and ${fmtRate(broke)}/s`);
    const mid = round((held + broke) / 2);
    if (mid <= held || mid >= broke) break;
    const o = await step(mid);
    if (!o.ok && o.generatorLimited) return done('generator', generatorSentence(mid));
    if (o.ok) held = mid;
    else broke = mid;
  }
  const final = lastAt(broke)?.verdict === 'uncertain' ? 'was not shown to hold (uncertain, counted as broke)' : 'broke';
  return done('found', `every SLO held at ${fmtRate(held)}/s and ${final} at ${fmtRate(broke)}/s`);
}

function generatorSentence(rate: number): string {
  return `at ${fmtRate(rate)}/s the load generator itself was saturated (CPU or event loop): that step measured Volley, not the system; run with more workers, on a bigger machine, or distributed`;
}

/** Rates keep 3 significant digits (a step table of 137.5 and 143.75 says no more than 138 and 144). */
function round(r: number): number {
  return Number(r.toPrecision(3));
}

/** 1234.5 → '1,235', 12.34 → '12.3'. */
export function fmtRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : String(Number(r.toPrecision(3)));
}

/** The lowest rate whose p95 is over twice the p95 of the lowest rate tried (a re-run rate: its longer, last step). */
function kneeOf(steps: readonly StepOutcome[]): number | null {
  const last = new Map(steps.map((x) => [x.rate, x]));
  const sorted = [...last.values()].filter((x) => x.p95Ms !== null).sort((a, b) => a.rate - b.rate);
  const base = sorted[0]?.p95Ms;
  if (base === undefined || base === null || base <= 0) return null;
  return sorted.find((x) => x.p95Ms! > 2 * base)?.rate ?? null;
}

/**
 * The saturation signature of a broken step: the achieved rate fell short of the offered one
 * (a queue builds: latency climbs at flat throughput, Little's law), errors, or VUs exhausted.
 */
function signature(o: StepOutcome | undefined): string | null {
  if (!o) return null;
  const parts: string[] = [];
  if (o.achievedRps < o.rate * 0.95) parts.push(`throughput flat at ${fmtRate(o.achievedRps)}/s of ${fmtRate(o.rate)}/s offered`);
  if (o.inFlight !== null) parts.push(`${o.inFlight.toFixed(1)} requests in flight (L = λW)`);
  if (o.p95Ms !== null) parts.push(`p95 ${o.p95Ms.toFixed(0)} ms`);
  if (o.dropped > 0) parts.push(`${o.dropped} iterations dropped (every VU busy)`);
  if (o.errorRate !== null && o.errorRate > 0 && !o.stoppedEarly) parts.push(`${(o.errorRate * 100).toFixed(1)} % errors`);
  return parts.join(', ');
}
