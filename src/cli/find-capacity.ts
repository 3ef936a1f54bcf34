import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { searchCapacity, fmtRate, type SearchResult, type SearchSettings, type StepOutcome } from '../capacity/search.js';
import type { ResolvedOptions, ConstantArrivalRateConfig, ThresholdSpec } from '../config/types.js';
import { ExitCode, VolleyError, configError } from '../errors/index.js';
import { tryParseThresholdExpression, describeInvalid, validateThresholds, checkThresholdMetricsExist } from '../metrics/thresholds/index.js';
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
    const runStep = async (rate: number): Promise<StepOutcome> => {
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
        durationMs: stepMs,
        preAllocatedVUs: Math.min(vus, Math.ceil(rate / 10) + 5),
        maxVUs: vus,
        whenBusy: 'drop',
        maxQueue: 0,
      };
      const planned = (rate * stepMs) / 1000;
      // An SLO clearly broken after a third of the step stops it; so does a rate the VUs cannot hold.
      const thresholds: Record<string, ThresholdSpec[]> = {
        ...asSpecs(Math.max(1000, stepMs / 3)),
        dropped_iterations: [{ threshold: `count<${Math.max(1, Math.ceil(planned * 0.02))}`, abortOnFail: true, delayAbortEvalMs: Math.max(1000, stepMs / 3) }],
      };
      // Proxies and faults are not started between steps: a step is the script's traffic alone.
      const stepOptions: ResolvedOptions = { ...options, scenarios: [scenario], thresholds, noThresholds: false, thresholdsPassWithoutSamples: false, proxies: [], faults: [] };
      const workers = chooseWorkers(options.workers, cpus().length, stepOptions.scenarios);
      const result = await new Controller({ bundleUrl: bundle.url, scriptPath, options: stepOptions, workers, collectSamples: false, catalog }).run();
      const o = outcome(rate, stepMs, result);
      say(`  ${fmtRate(rate).padStart(7)}/s  ${o.ok ? 'held ' : 'broke'}  ${o.achievedRps.toFixed(1)} req/s, p95 ${o.p95Ms === null ? '-' : o.p95Ms.toFixed(1)} ms, errors ${o.errorRate === null ? '-' : `${(o.errorRate * 100).toFixed(2)} %`}${o.stoppedEarly ? ', stopped early' : ''}${o.broken.length > 0 ? ` (${o.broken.join('; ')})` : ''}`);
      return o;
    };
    const found = await searchCapacity(runStep, settings);
    const finding: CapacityFinding = { script, slos, settings: { ...settings, stepDurationMs: stepMs, cooldownMs, maxVUs }, ...found };
    if (flags.out) writeFileSync(flags.out, `${JSON.stringify(finding, null, 2)}\n`);
    if (flags.report) writeFileSync(flags.report, renderCapacityReport(finding));
    process.stdout.write(flags.json ? `${JSON.stringify(finding, null, 2)}\n` : findingText(finding));
    return found.capacity === null ? ExitCode.ThresholdsHaveFailed : 0;
  } finally {
    await bundle.dispose();
  }
}

/** One step's figures from its run. */
function outcome(rate: number, stepMs: number, r: RunResult): StepOutcome {
  const a = r.aggregator;
  const durationMs = r.endEpochMs - r.startEpochMs;
  const reqs = a.find('http_reqs')?.sink.get('count') ?? 0;
  const dur = a.find('http_req_duration')?.sink;
  // Per second of the step itself (the graceful stop at its end only finishes what started).
  const activeMs = Math.min(durationMs, stepMs);
  const achievedRps = activeMs > 0 ? reqs / (activeMs / 1000) : 0;
  const avgMs = dur?.get('avg');
  const broken = r.thresholds.filter((t) => !t.ok).map((t) => (t.metric === 'dropped_iterations' ? `the rate could not be held: ${t.value} iterations dropped (every VU busy)` : `${t.metric}: ${t.expr} (${t.value === null ? 'no data' : Number(t.value.toPrecision(4))})`));
  return {
    rate,
    achievedRps,
    p95Ms: dur?.percentile(95) ?? null,
    errorRate: a.find('http_req_failed')?.sink.get('rate') ?? null,
    dropped: a.find('dropped_iterations')?.sink.get('count') ?? 0,
    inFlight: avgMs === undefined ? null : achievedRps * (avgMs / 1000),
    ok: broken.length === 0,
    broken,
    stoppedEarly: r.aborted?.by === 'threshold',
    // Saturated for at least half the step: what broke may be Volley, not the system.
    generatorLimited: r.health.saturatedSeconds >= Math.max(2, stepMs / 2000),
    durationMs,
  };
}

/** The finding as text: the capacity with its SLOs, then the step table. */
export function findingText(f: CapacityFinding): string {
  const lines: string[] = [];
  const slo = describeSlos(f.slos);
  if (f.capacity === null) lines.push(`Capacity: below ${fmtRate(f.settings.startRate)}/s — ${slo} broke at the first step`);
  else if (f.breaksAt === null) lines.push(`Capacity: at least ${fmtRate(f.capacity)}/s meeting ${slo} (nothing broke up to --max-rate)`);
  else lines.push(`Capacity: ${fmtRate(f.capacity)}/s meeting ${slo} (breaks at ${fmtRate(f.breaksAt)}/s; ± ${fmtRate(f.uncertainty ?? 0)}/s)`);
  lines.push(`  ${f.explanation}`);
  if (f.knee !== null) lines.push(`  latency knee: p95 doubled from its low-load value by ${fmtRate(f.knee)}/s`);
  if (f.saturation) lines.push(`  at ${fmtRate(f.breaksAt!)}/s: ${f.saturation}`);
  lines.push('');
  const head = ['rate/s', 'achieved req/s', 'p95 ms', 'errors', 'dropped', 'in flight', 'time', 'verdict'];
  const rows = f.steps.map((s) => [
    fmtRate(s.rate),
    s.achievedRps.toFixed(1),
    s.p95Ms === null ? '-' : s.p95Ms.toFixed(1),
    s.errorRate === null ? '-' : `${(s.errorRate * 100).toFixed(2)} %`,
    String(s.dropped),
    s.inFlight === null ? '-' : s.inFlight.toFixed(1),
    `${(s.durationMs / 1000).toFixed(1)}s${s.stoppedEarly ? ' (stopped)' : ''}`,
    s.ok ? 'held' : `broke: ${s.broken.join('; ')}`,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padStart(w[i]!))).join('  ')}`;
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
