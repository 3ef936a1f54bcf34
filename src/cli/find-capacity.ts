import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { searchCapacity, fmtRate, type SearchResult, type SearchSettings, type StepOutcome, type StopReason } from '../capacity/search.js';
import { fmtInterval, sloInterval, stepVerdict, type SloData, type SloInterval } from '../capacity/confidence.js';
import { percentileMs, UNITS_PER_MS } from '../metrics/hdr.js';
import type { RateSink, TrendSink } from '../metrics/sinks.js';
import type { ResolvedOptions, ConstantArrivalRateConfig, ThresholdSpec } from '../config/types.js';
import { ExitCode, VolleyError, configError } from '../errors/index.js';
import { tryParseThresholdExpression, describeInvalid, validateThresholds, checkThresholdMetricsExist, parseThresholdExpression, selectorParts } from '../metrics/thresholds/index.js';
import { Controller, type RunResult } from '../scheduler/controller.js';
import { chooseWorkers } from '../scheduler/plan.js';
import { threadRegistry } from '../vu/thread.js';
import { prepareRun } from './run/prepare.js';
import type { CliOptionFlags } from '../config/resolve.js';
import { renderCapacityReport } from '../report/capacity-section.js';

export interface FindCapacityFlags {
  slo?: string[] | undefined;
  startRate?: string | undefined;
  maxRate?: string | undefined;
  growth?: string | undefined;
  precision?: string | undefined;
  stepDuration?: string | undefined;
  maxSteps?: string | undefined;
  uncertain?: string | undefined;
  maxVus?: string | undefined;
  cooldown?: string | undefined;
  exec?: string | undefined;
  json?: boolean | undefined;
  out?: string | undefined;
  report?: string | undefined;
  quiet?: boolean | undefined;
  env?: Record<string, string> | undefined;
}

/** The result as `--json` prints it and `--out` writes it. */
export interface CapacityFinding extends SearchResult {
  script: string;
  slos: Record<string, string[]>;
  settings: SearchSettings & { stepDurationMs: number; cooldownMs: number; maxVUs: number };
  /** What to change when rates stayed uncertain (a longer --step-duration and the interval it would give). */
  hints: string[];
  /** The capacity line as the text output starts: the rate, its SLOs and the range with its confidence. */
  headline: string;
}

/**
 * `volley find-capacity script.ts --slo 'http_req_duration:p(95)<300'`: steady open-model steps of
 * the script's default function (or `--exec`), ramped then bisected (capacity/search.ts), each step
 * a fresh run with the SLOs as thresholds that abort the step once clearly broken. Prints the step
 * table and the capacity with its SLOs. Exit 0 when a capacity was found, 99 when not even the
 * start rate held.
 */
export async function findCapacityCommand(script: string, flags: FindCapacityFlags): Promise<number> {
  const scriptPath = resolve(script);
  if (!existsSync(scriptPath)) throw new VolleyError('E_SCRIPT_NOT_FOUND', `script not found: ${script}`, { hint: 'give the path of a .ts or .js test script', exitCode: ExitCode.ScriptException });
  const stepMs = duration('--step-duration', flags.stepDuration ?? '10s');
  const settings: SearchSettings = {
    startRate: num('--start-rate', flags.startRate ?? '10', 0),
    maxRate: num('--max-rate', flags.maxRate ?? '10000', 0),
    growth: num('--growth', flags.growth ?? '2', 1),
    precision: num('--precision', flags.precision ?? '0.1', 0),
    maxSteps: Math.floor(num('--max-steps', flags.maxSteps ?? '12', 0)),
    uncertain: uncertainPolicy(flags.uncertain ?? 'extend'),
    extendFactor: EXTEND_FACTOR,
  };
  if (settings.maxRate < settings.startRate) throw configError('E_FIND_CAPACITY_OPTION', `--max-rate ${settings.maxRate} is below --start-rate ${settings.startRate}`, 'raise --max-rate');
  const cliFlags: CliOptionFlags = { env: flags.env ?? {} } as CliOptionFlags;
  const { bundle, options, catalog } = await prepareRun(scriptPath, cliFlags);
  try {
    const slos = flags.slo && flags.slo.length > 0 ? parseSlos(flags.slo) : Object.fromEntries(Object.entries(options.thresholds).map(([k, l]) => [k, l.map((t) => t.threshold)]));
    if (Object.keys(slos).length === 0) throw configError('E_FIND_CAPACITY_SLO', 'no SLO to search against', "give --slo 'http_req_duration:p(95)<300' (repeatable) or thresholds in the script's options");
    const typeOf = (name: string) => threadRegistry.get(name)?.type;
    const asSpecs = (delay: number): Record<string, ThresholdSpec[]> => Object.fromEntries(Object.entries(slos).map(([k, l]) => [k, l.map((threshold) => ({ threshold, abortOnFail: true, delayAbortEvalMs: delay }))]));
    validateThresholds(asSpecs(0), typeOf);
    checkThresholdMetricsExist(asSpecs(0), typeOf, threadRegistry.all().map((m) => m.name));
    const cooldownMs = flags.cooldown === undefined ? Math.min(5000, stepMs) : flags.cooldown === '0' ? 0 : duration('--cooldown', flags.cooldown, 0);
    const exec = flags.exec ?? options.scenarios[0]?.exec ?? 'default';
    const maxVUs = flags.maxVus !== undefined ? Math.ceil(num('--max-vus', flags.maxVus, 0)) : 0;
    const say = (l: string): void => {
      if (!flags.quiet) process.stderr.write(`${l}\n`);
    };
    say(`volley: finding the capacity of ${script} (${exec}) against ${describeSlos(slos)}: steps of ${stepMs / 1000}s from ${fmtRate(settings.startRate)}/s, ×${settings.growth}, then bisection to ${Math.round(settings.precision * 100)} %`);

    let first = true;
    const runStep = async (rate: number, factor: number): Promise<StepOutcome> => {
      // Between steps the system drains what the last one queued (a broken step leaves a backlog).
      if (!first && cooldownMs > 0) await sleep(cooldownMs);
      first = false;
      const vus = maxVUs || Math.max(20, Math.ceil(rate * 2));
      const scenario: ConstantArrivalRateConfig = {
        executor: 'constant-arrival-rate',
        name: 'find-capacity',
        startTimeMs: 0,
        gracefulStopMs: Math.min(5000, stepMs),
        exec,
        env: {},
        tags: { rate: String(rate) },
        rate,
        timeUnitMs: 1000,
        durationMs: stepMs * factor,
        preAllocatedVUs: Math.min(vus, Math.ceil(rate / 10) + 5),
        maxVUs: vus,
        whenBusy: 'drop',
        maxQueue: 0,
      };
      const thisMs = stepMs * factor;
      const planned = (rate * thisMs) / 1000;
      // An SLO clearly broken after a third of the step stops it; so does a rate the VUs cannot hold.
      const thresholds: Record<string, ThresholdSpec[]> = {
        ...asSpecs(Math.max(1000, thisMs / 3)),
        dropped_iterations: [{ threshold: `count<${Math.max(1, Math.ceil(planned * 0.02))}`, abortOnFail: true, delayAbortEvalMs: Math.max(1000, thisMs / 3) }],
      };
      // Proxies and faults are not started between steps: a step is the script's traffic alone.
      const stepOptions: ResolvedOptions = { ...options, scenarios: [scenario], thresholds, noThresholds: false, thresholdsPassWithoutSamples: false, proxies: [], faults: [] };
      const workers = chooseWorkers(options.workers, cpus().length, stepOptions.scenarios);
      const result = await new Controller({ bundleUrl: bundle.url, scriptPath, options: stepOptions, workers, collectSamples: false, catalog }).run();
      const o = outcome(rate, thisMs, result, slos, factor > 1);
      say(`  ${fmtRate(rate).padStart(7)}/s  ${o.verdict.padEnd(9)}  ${o.achievedRps.toFixed(1)} req/s, ${o.slos.map((x) => `${x.metric} ${aggOf(x.expr)} ${fmtInterval(x)}`).join(', ')}${o.extended ? `, re-run ${factor}× as long` : ''}${o.stoppedEarly ? ', stopped early' : ''}${o.broken.length > 0 ? ` (${o.broken.join('; ')})` : ''}`);
      return o;
    };
    const found = await searchCapacity(runStep, settings);
    const base = { script, slos, settings: { ...settings, stepDurationMs: stepMs, cooldownMs, maxVUs }, ...found, hints: uncertaintyHints(found, stepMs, settings.extendFactor) };
    const finding: CapacityFinding = { ...base, headline: headlineOf(base) };
    if (flags.out) writeFileSync(flags.out, `${JSON.stringify(finding, null, 2)}\n`);
    if (flags.report) writeFileSync(flags.report, renderCapacityReport(finding));
    process.stdout.write(flags.json ? `${JSON.stringify(finding, null, 2)}\n` : findingText(finding));
    return found.capacity === null ? ExitCode.ThresholdsHaveFailed : 0;
  } finally {
    await bundle.dispose();
  }
}

/** An uncertain step is re-run once this many times as long: a quantile's or a rate's interval narrows about as 1/√n, so to half its width. */
export const EXTEND_FACTOR = 4;

function uncertainPolicy(v: string): 'extend' | 'broke' {
  if (v === 'extend' || v === 'broke') return v;
  throw configError('E_FIND_CAPACITY_OPTION', `--uncertain '${v}' is not a policy`, `--uncertain extend (re-run an uncertain step ${EXTEND_FACTOR}× as long once, then count it as broke) or --uncertain broke (count it as broke at once)`);
}

/** 'p(95)<300' → 'p(95)'. */
function aggOf(expr: string): string {
  return /^[^<>=!]+/.exec(expr)?.[0]?.trim() ?? expr;
}

/**
 * Each SLO's interval at one step, from exact counts: a trend's HDR histogram (order statistics at
 * binomial ranks), a rate's trues and total (Wilson). See capacity/confidence.ts for the methods.
 */
export function sloIntervals(r: Pick<RunResult, 'aggregator' | 'thresholds'>, slos: Record<string, string[]>, stepMs: number): SloInterval[] {
  const out: SloInterval[] = [];
  for (const [key, exprs] of Object.entries(slos)) {
    const { metric, filter } = selectorParts(key);
    const a = filter !== '' ? r.aggregator.find(metric, 'sub', key) : r.aggregator.find(metric);
    for (const expr of exprs) {
      const t = parseThresholdExpression(expr);
      const evaluated = r.thresholds.find((x) => x.metric === key && x.expr === expr);
      const unit = a?.type === 'rate' ? 'ratio' : a?.contains === 'time' ? 'ms' : '';
      if (t.windowMs !== undefined || t.budget !== undefined || t.timeBudget !== undefined || t.aggregation === 'drift') {
        // Windowed, budget and drift SLOs judge the whole step their own way: their verdict as evaluated.
        const value = evaluated?.value ?? null;
        out.push({ metric: key, expr, value, lower: value, upper: value, n: value === null ? 0 : 1, method: 'observed', unit, verdict: evaluated?.ok ? 'held' : 'broke' });
        continue;
      }
      let d: SloData = { kind: 'observed', value: evaluated?.value ?? null };
      // p(0) and p(100) are the min and max: observed, no interval.
      const quantile = t.aggregation === 'med' || (t.aggregation === 'p' && t.percentile! > 0 && t.percentile! < 100);
      if (a && a.sink.type === 'trend' && (quantile || t.aggregation === 'avg')) {
        const sink = a.sink as TrendSink;
        if (sink.count > 0 && t.aggregation === 'avg') {
          d = { kind: 'mean', n: sink.count, mean: sink.sum / sink.count, sd: sink.hist.stdDeviation / UNITS_PER_MS };
        } else if (sink.count > 0) {
          const p = t.aggregation === 'med' ? 50 : t.percentile!;
          const at = (f: number): number => Math.min(percentileMs(sink.hist, 100 * f), sink.max);
          d = { kind: 'quantile', q: p / 100, n: sink.count, point: t.aggregation === 'med' ? sink.get('med')! : sink.percentile(p)!, at };
        }
      } else if (a && a.sink.type === 'rate' && t.aggregation === 'rate') {
        const sink = a.sink as RateSink;
        d = { kind: 'proportion', k: sink.trues, n: sink.total };
      }
      out.push(sloInterval(key, expr, d, t.op, t.value, unit, stepMs));
    }
  }
  return out;
}

/** One step's figures from its run. */
function outcome(rate: number, stepMs: number, r: RunResult, slos: Record<string, string[]>, extended: boolean): StepOutcome {
  const a = r.aggregator;
  const durationMs = r.endEpochMs - r.startEpochMs;
  const reqs = a.find('http_reqs')?.sink.get('count') ?? 0;
  const dur = a.find('http_req_duration')?.sink;
  // Per second of the step itself (the graceful stop at its end only finishes what started).
  const activeMs = Math.min(durationMs, stepMs);
  const achievedRps = activeMs > 0 ? reqs / (activeMs / 1000) : 0;
  const avgMs = dur?.get('avg');
  const broken = r.thresholds.filter((t) => !t.ok).map((t) => (t.metric === 'dropped_iterations' ? `the rate could not be held: ${t.value} iterations dropped (every VU busy)` : `${t.metric}: ${t.expr} (${t.value === null ? 'no data' : Number(t.value.toPrecision(4))})`));
  const intervals = sloIntervals(r, slos, stepMs);
  // VUs exhausted: the rate was not offered, whatever the SLOs' intervals say.
  const notHeld = r.thresholds.some((t) => t.metric === 'dropped_iterations' && !t.ok);
  const verdict = notHeld ? 'broke' : stepVerdict(intervals);
  return {
    rate,
    achievedRps,
    p95Ms: dur?.percentile(95) ?? null,
    errorRate: a.find('http_req_failed')?.sink.get('rate') ?? null,
    dropped: a.find('dropped_iterations')?.sink.get('count') ?? 0,
    inFlight: avgMs === undefined ? null : achievedRps * (avgMs / 1000),
    ok: verdict === 'held',
    verdict,
    slos: intervals,
    broken,
    extended,
    stoppedEarly: r.aborted?.by === 'threshold',
    // Saturated for at least half the step: what broke may be Volley, not the system.
    generatorLimited: r.health.saturatedSeconds >= Math.max(2, stepMs / 2000),
    durationMs,
  };
}

/**
 * The capacity range in one parenthesis an SRE can act on: what held and broke with 95 %
 * confidence, and what the steps could not decide.
 */
export function rangeWords(f: Pick<SearchResult, 'capacity' | 'breaksAt' | 'uncertainty' | 'range'>): string {
  const r = f.range;
  if (f.capacity === null) return '';
  const parts = [`95 % confident every SLO holds at ${fmtRate(f.capacity)}/s`];
  if (r.uncertain.length > 0) parts.push(`${r.uncertain.map((x) => `${fmtRate(x)}/s`).join(', ')} not resolved (the intervals straddled the SLO), counted as broke`);
  if (r.breaks !== null) parts.push(`breaks at ${fmtRate(r.breaks)}/s with 95 % confidence`);
  else if (f.breaksAt !== null) parts.push('no rate shown to break with 95 % confidence');
  if (f.breaksAt !== null) {
    const top = r.breaks ?? f.breaksAt;
    if (r.uncertain.length === 0) parts.push(`between: not resolved, ± ${fmtRate(f.uncertainty ?? top - f.capacity)}/s`);
  }
  return parts.join('; ');
}

/** For every rate whose verdict stayed uncertain: which SLO straddled its limit, and the longer step that would decide it. */
export function uncertaintyHints(f: Pick<SearchResult, 'steps'>, stepMs: number, extendFactor: number): string[] {
  const out: string[] = [];
  const rates = [...new Set(f.steps.map((s) => s.rate))].sort((a, b) => a - b);
  for (const rate of rates) {
    const last = f.steps.filter((s) => s.rate === rate).pop()!;
    if (last.verdict !== 'uncertain') continue;
    for (const slo of last.slos.filter((x) => x.verdict === 'uncertain')) {
      const what = `${slo.metric} ${aggOf(slo.expr)}`;
      const at = `at ${fmtRate(rate)}/s, ${what} was ${fmtInterval(slo)} over ${slo.n.toLocaleString('en-US')} values (95 % interval), straddling ${slo.expr}`;
      const longer = slo.longer;
      out.push(
        longer
          ? `${at}: --step-duration ${fmtDuration(longer.stepMs)} would narrow ${aggOf(slo.expr)}'s interval to about ${fmtInterval({ ...slo, lower: longer.lower, upper: longer.upper })} and decide it`
          : `${at}: the value sits on the limit; even --step-duration 10m would not decide it, so read it as the edge of the capacity`,
      );
    }
  }
  const reruns = f.steps.filter((s) => s.extended && s.verdict !== 'uncertain').length;
  if (reruns > 0) out.push(`${reruns} step${reruns === 1 ? ' was' : 's were'} too short to decide (an SLO's interval straddled its limit) and re-run ${extendFactor}× as long: --step-duration ${fmtDuration(stepMs * extendFactor)} would have decided ${reruns === 1 ? 'it' : 'them'} at once`);
  return out;
}

function fmtDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

/** Why a search that found no breaking rate stopped, for the headline. */
const UNBROKEN: Partial<Record<StopReason, string>> = {
  'max-rate': 'nothing broke up to --max-rate',
  generator: 'nothing broke before the load generator itself saturated: the system may sustain more',
  'max-steps': 'nothing broke within --max-steps steps: the system may sustain more',
};

/** The first line: the capacity with its SLOs and its confidence. */
export function headlineOf(f: Omit<CapacityFinding, 'headline'>): string {
  const slo = describeSlos(f.slos);
  const firstUncertain = f.capacity === null && f.steps.filter((s) => s.rate === f.settings.startRate).pop()?.verdict === 'uncertain';
  if (f.capacity === null && firstUncertain) return `Capacity: not shown at ${fmtRate(f.settings.startRate)}/s — ${slo} could not be decided at the first step (an interval straddled its SLO)`;
  if (f.capacity === null) return `Capacity: below ${fmtRate(f.settings.startRate)}/s — ${slo} broke at the first step`;
  if (f.breaksAt === null) return `Capacity: at least ${fmtRate(f.capacity)}/s meeting ${slo} (${UNBROKEN[f.stoppedBecause] ?? 'nothing broke'}; 95 % confident every SLO holds at ${fmtRate(f.capacity)}/s)`;
  return `Capacity: ${fmtRate(f.capacity)}/s meeting ${slo} (${rangeWords(f)})`;
}

/** The finding as text: the capacity with its SLOs and confidence, then the step table. */
export function findingText(f: CapacityFinding): string {
  const lines: string[] = [];
  lines.push(headlineOf(f));
  lines.push(`  ${f.explanation}`);
  if (f.knee !== null) lines.push(`  latency knee: p95 doubled from its low-load value by ${fmtRate(f.knee)}/s`);
  if (f.saturation) lines.push(`  at ${fmtRate(f.breaksAt!)}/s: ${f.saturation}`);
  for (const h of f.hints ?? []) lines.push(`  hint: ${h}`);
  lines.push('');
  const head = ['rate/s', 'achieved req/s', 'p95 ms', 'errors', 'dropped', 'in flight', 'time', 'SLO [95 % CI]', 'verdict'];
  const rows = f.steps.map((s) => [
    fmtRate(s.rate),
    s.achievedRps.toFixed(1),
    s.p95Ms === null ? '-' : s.p95Ms.toFixed(1),
    s.errorRate === null ? '-' : `${(s.errorRate * 100).toFixed(2)} %`,
    String(s.dropped),
    s.inFlight === null ? '-' : s.inFlight.toFixed(1),
    `${(s.durationMs / 1000).toFixed(1)}s${s.stoppedEarly ? ' (stopped)' : ''}${s.extended ? ' (re-run)' : ''}`,
    s.slos.map((x) => `${aggOf(x.expr)} ${fmtInterval(x)}`).join('; '),
    s.verdict === 'broke' ? `broke${s.broken.length > 0 ? `: ${s.broken.join('; ')}` : ''}` : s.verdict,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `  ${r.map((c, i) => (i === r.length - 1 ? c : i === r.length - 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')}`;
  lines.push(line(head), ...rows.map(line), '');
  return `${lines.join('\n')}\n`;
}

function describeSlos(slos: Record<string, string[]>): string {
  return Object.entries(slos).flatMap(([k, l]) => l.map((e) => `${k} ${e}`)).join(', ');
}

/** `--slo 'http_req_duration{route:/x}:p(95)<300'`: the metric key before the last ':' that leaves an expression. */
export function parseSlos(list: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const text of list) {
    let found = false;
    for (let i = text.lastIndexOf(':'); i > 0; i = text.lastIndexOf(':', i - 1)) {
      const expr = text.slice(i + 1).trim();
      if (tryParseThresholdExpression(expr)) {
        const key = text.slice(0, i).trim();
        (out[key] ??= []).push(expr);
        found = true;
        break;
      }
    }
    if (!found) {
      const expr = text.slice(text.lastIndexOf(':') + 1).trim();
      throw configError('E_FIND_CAPACITY_SLO', `--slo ${JSON.stringify(text)}: ${text.includes(':') ? describeInvalid(expr) : 'expected METRIC:EXPRESSION'}`, "write it as 'http_req_duration:p(95)<300' or 'http_req_failed:rate<0.01'");
    }
  }
  return out;
}

function num(flag: string, v: string, above: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= above) throw configError('E_FIND_CAPACITY_OPTION', `${flag} '${v}' must be a number above ${above}`, `e.g. ${flag} ${above === 1 ? 2 : 10}`);
  return n;
}

function duration(flag: string, v: string, minMs = 1000): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(v.trim());
  if (!m) throw configError('E_FIND_CAPACITY_OPTION', `${flag} '${v}' is not a duration`, `e.g. ${flag} 30s`);
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  if (ms < minMs) throw configError('E_FIND_CAPACITY_OPTION', `${flag} '${v}' is shorter than 1s`, `e.g. ${flag} 30s`);
  return ms;
}
