import type { ResolvedOptions } from '../../config/types.js';
import { ExitCode } from '../../errors/index.js';
import type { Aggregator } from '../../metrics/aggregator.js';
import type { TimeChart } from '../../metrics/catalog.js';
import type { RunResult } from '../../scheduler/controller.js';
import { buildSummary } from '../../summary/build.js';
import type { RunPartInfo, SummaryData, TimelineWindow } from '../../summary/types.js';

/** Exit code of a finished run (k6's codes). */
export function exitCodeOf(r: RunResult): number {
  if (r.aborted) return r.aborted.exitCode;
  if (r.teardownError) return r.teardownError.exitCode;
  if (r.thresholds.some((t) => !t.ok)) return ExitCode.ThresholdsHaveFailed;
  return ExitCode.OK;
}

export interface SummaryContext {
  options: ResolvedOptions;
  scriptPath: string;
  version: string;
  color: boolean;
  /** This runner's part of a distributed test: its summary then carries what volley merge needs. */
  part?: RunPartInfo;
  /** Fault windows and spikes, with their recovery (set once the run ended). */
  windows?: TimelineWindow[];
  /** The time charts the protocols declare (the run's catalog). */
  charts?: readonly TimeChart[];
}

/** The end-of-test summary of a finished run. */
export function summarizeRun(result: RunResult, ctx: SummaryContext): SummaryData {
  const { options } = ctx;
  return buildSummary({
    aggregator: result.aggregator,
    timeSeries: result.timeSeries,
    thresholds: result.thresholds,
    options,
    scriptPath: ctx.scriptPath,
    version: ctx.version,
    startEpochMs: result.startEpochMs,
    endEpochMs: result.endEpochMs,
    aborted: result.aborted,
    exceptions: result.exceptions,
    warnings: result.warnings,
    ...(ctx.windows ? { windows: ctx.windows } : {}),
    ...(ctx.charts ? { charts: ctx.charts } : {}),
    scenarioVus: Object.fromEntries(Object.entries(result.scenarioStatus).map(([k, v]) => [k, v.allocated])),
    scenarioInterrupted: Object.fromEntries(Object.entries(result.scenarioStatus).map(([k, v]) => [k, v.interrupted ?? 0])),
    // A closed-model rate is VUs / iteration time: when the generator was saturated, its own delay
    // stretched the iterations, so the rate it reached says more about Volley than the target.
    generatorLimited: Object.fromEntries(options.scenarios.filter((s) => !s.executor.endsWith('arrival-rate')).map((s) => [s.name, result.health.saturatedSeconds > 0])),
    exitCode: exitCodeOf(result),
    isStdOutTTY: Boolean(process.stdout.isTTY),
    isStdErrTTY: Boolean(process.stderr.isTTY),
    noColor: !ctx.color,
    ...(ctx.part ? { part: { ...ctx.part, ...(result.startSkewMs !== undefined ? { startSkewMs: result.startSkewMs } : {}) } } : {}),
  });
}

/**
 * What was measured so far, when the run ends abnormally (a second Ctrl-C, a worker that died):
 * totals and checks, no thresholds or time series.
 */
export function summarizePartial(aggregator: Aggregator, startEpochMs: number, ctx: SummaryContext): SummaryData {
  return buildSummary({
    aggregator,
    timeSeries: undefined,
    thresholds: [],
    options: ctx.options,
    scriptPath: ctx.scriptPath,
    version: ctx.version,
    startEpochMs: startEpochMs || Date.now(),
    endEpochMs: Date.now(),
    aborted: { by: 'signal', reason: 'the run did not finish (killed, or a worker failed)' },
    exceptions: [],
    warnings: [],
    exitCode: ExitCode.ExternalAbort,
    isStdOutTTY: Boolean(process.stdout.isTTY),
    isStdErrTTY: Boolean(process.stderr.isTTY),
    noColor: !ctx.color,
    ...(ctx.part ? { part: ctx.part } : {}),
  });
}
