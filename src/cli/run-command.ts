import { existsSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { relative, resolve } from 'node:path';
import type { CliOptionFlags } from '../config/resolve.js';
import type { DashboardOptions } from '../dashboard/index.js';
import { DashboardOutput } from '../dashboard/output.js';
import { ExitCode, VolleyError } from '../errors/index.js';
import { createOutput, type Output } from '../outputs/index.js';
import { registerMonitoringOutputs } from '../outputs/monitoring.js';
import { writeReportsSettled } from '../report/cli.js';
import { Controller, type RunEvents, type RunResult } from '../scheduler/controller.js';
import { chooseWorkers } from '../scheduler/plan.js';
import { chooseHeapMode } from '../scheduler/heap-mode.js';
import { maxVUs } from '../config/describe.js';
import { writeSummaryExport } from '../summary/export.js';
import { renderTextSummary } from '../summary/text.js';
import { threadRegistry } from '../vu/thread.js';
import { renderBanner } from './banner.js';
import { ProgressDisplay } from './progress.js';
import { reportError } from './report-error.js';
import { exitCodeOf, summarizePartial, summarizeRun, type SummaryContext } from './run/finish.js';
import { LiveFeed, type MetricTypes } from './run/live-feed.js';
import { AggregatePusher } from './aggregate/push.js';
import { runScriptSummary } from './run/handle-summary.js';
import { checkOutputPaths, outputPathsOf } from './run/output-paths.js';
import { RunHistory, type RunHistoryFlags } from './run/history.js';
import { prepareRun } from './run/prepare.js';
import { jobIndexSegment, runnerSegment, scriptHash, withRunnerInstance } from './run/segment.js';
import { formatSegment, isWholeTest } from '../util/execution-segment.js';
import { parseStartAt } from './run/start-at.js';
import { handleStopSignals } from './run/signals.js';
import { startFaults, type FaultRuntime } from './run/faults.js';
import { recoveryRuntime } from './run/recovery.js';
import { VERSION } from './version.js';
import { PrometheusMonitor, parseMonitorSpec, type MonitorValues } from '../monitors/monitor.js';

export interface RunCommandOptions extends CliOptionFlags {
  summaryExport?: string | undefined;
  out?: string[] | undefined;
  /** HTML report, JUnit XML and Markdown files to write at the end. */
  report?: string | undefined;
  junit?: string | undefined;
  markdown?: string | undefined;
  /** Serve the live dashboard (undefined: off). */
  dashboard?: DashboardOptions | undefined;
  quiet?: boolean | undefined;
  color?: boolean | undefined;
  /** --save, --store, --label, --baseline, --max-regression (docs/history.md). */
  history?: RunHistoryFlags | undefined;
  /** `--start-at`: RFC 3339 or +duration. */
  startAt?: string | undefined;
  /** `--aggregate`: volley aggregate's URL, and its token. */
  aggregate?: string | undefined;
  aggregateToken?: string | undefined;
}

/**
 * `volley run script.ts`: prepare (bundle, options, thresholds), open the outputs and the
 * dashboard, run the test on worker threads with a live display, then print the summary, write
 * the exports and reports, and return the exit code.
 */
export async function runCommand(script: string, flags: RunCommandOptions): Promise<number> {
  const scriptPath = resolve(script);
  if (!existsSync(scriptPath)) {
    throw new VolleyError('E_SCRIPT_NOT_FOUND', `script not found: ${script}`, { hint: 'give the path of a .ts or .js test script', exitCode: ExitCode.ScriptException });
  }
  const startAtEpochMs = flags.startAt !== undefined ? parseStartAt(flags.startAt) : undefined;
  const stderr = process.stderr;
  const color = flags.color ?? (Boolean(stderr.isTTY) && !process.env.NO_COLOR);
  // Before bundling: a run is never lost to a path that cannot be written.
  checkOutputPaths(outputPathsOf(flags));
  if (flags.aggregate !== undefined) checkAggregateUrl(flags.aggregate);
  const { bundle, options, warnings, exports, catalog } = await prepareRun(scriptPath, withJobSegment(flags, jobIndexSegment(process.env)));
  const segment = runnerSegment(options);
  for (const w of warnings) stderr.write(`volley: warning: ${w}\n`);
  const history = flags.history ? await RunHistory.prepare(flags.history) : undefined;
  const progress = new ProgressDisplay(stderr, { tty: Boolean(stderr.isTTY) && !flags.quiet, color });
  const warn = (m: string): void => progress.log(`volley: warning: ${m}`);
  const types: MetricTypes = new Map(threadRegistry.all().map((m) => [m.name, { type: m.type, contains: m.contains }]));
  let outputs: Output[] = [];
  let dashboard: DashboardOutput | undefined;
  let faults: FaultRuntime | undefined;
  let monitors: PrometheusMonitor[] = [];
  try {
    // Checked before anything starts: a bad monitor is a config error (104) naming the value.
    const monitorSpecs = options.monitors.map(parseMonitorSpec);
    faults = await startFaults(options);
    const recovery = recoveryRuntime(options, catalog.headline);
    registerMonitoringOutputs();
    const outSpecs = isWholeTest(segment) ? (flags.out ?? []) : (flags.out ?? []).map((spec) => withRunnerInstance(spec, `${hostname()}:${formatSegment(segment)}`));
    outputs = outSpecs.map((spec) => createOutput(spec, { metricTypes: types, cwd: process.cwd(), thresholds: options.thresholds, warn }));
    if (flags.dashboard) outputs.push((dashboard = new DashboardOutput({ ...flags.dashboard, warn })));
    await Promise.all(outputs.map((o) => o.start()));
    if (dashboard) stderr.write(`volley: dashboard at ${dashboard.url}\n`);
    // Per-tag tables an output exports (prometheus-rw k6Tags): aggregated by the run too.
    const extra = outputs.flatMap((o) => o.breakdowns ?? []).filter((b, i, all) => all.findIndex((x) => x.name === b.name) === i && !catalog.breakdowns.some((x) => x.name === b.name));
    const runCatalog = extra.length > 0 ? { ...catalog, breakdowns: [...catalog.breakdowns, ...extra] } : catalog;
    const part = {
      segment: formatSegment(segment),
      ...(options.executionSegmentSequence !== undefined ? { sequence: options.executionSegmentSequence } : {}),
      scriptHash: await scriptHash(bundle.url),
      ...(startAtEpochMs !== undefined ? { startAt: new Date(startAtEpochMs).toISOString() } : {}),
      catalog: runCatalog,
    };
    const ctx: SummaryContext = { options, scriptPath, version: VERSION, color, part, charts: runCatalog.charts };
    const feed = new LiveFeed(progress, outputs, types, { script: displayPath(scriptPath), options, version: VERSION, quiet: Boolean(flags.quiet), charts: runCatalog.charts, breakdowns: runCatalog.breakdowns });
    const workers = chooseWorkers(options.workers, cpus().length, options.scenarios);
    chooseHeapMode(options.scenarios.reduce((a, sc) => a + maxVUs(sc), 0));
    if (!flags.quiet) stderr.write(renderBanner(displayPath(scriptPath), options, workers, outputs.map((o) => o.description)));
    const f = faults;
    const mainMetrics: NonNullable<RunEvents['mainMetrics']> = (run) => [...(f?.metrics(run) ?? []), ...(recovery?.metrics(run) ?? [])];
    // Monitors start with the test and hand their values to the controller (created just below).
    let record: (v: MonitorValues, t: number) => void = () => {};
    monitors = monitorSpecs.map((spec) => new PrometheusMonitor(spec, (v, t) => record(v, t), warn));
    const startMonitors = (): void => monitors.forEach((m) => m.start());
    const events = {
      ...feed.events(),
      ...(f || recovery ? { mainMetrics } : {}),
      ...(f || monitors.length > 0
        ? {
            onStart: (t: number) => {
              f?.arm(t);
              startMonitors();
            },
          }
        : {}),
    };
    if (startAtEpochMs !== undefined && !flags.quiet) stderr.write(`volley: starting at ${new Date(startAtEpochMs).toISOString()}\n`);
    const controller = new Controller({ bundleUrl: bundle.url, scriptPath, options, workers, collectSamples: feed.wantsSamples, catalog: runCatalog, segment, ...(startAtEpochMs !== undefined ? { startAtEpochMs } : {}) }, events);
    feed.attach(controller);
    record = (v, t) => controller.recordGauges(v, t);
    if (flags.aggregate) {
      const base = { runner: `${hostname()}:${process.pid}:${formatSegment(segment)}`, segment: part.segment, scriptHash: part.scriptHash, thresholds: options.noThresholds ? {} : options.thresholds, failWithoutSamples: !options.thresholdsPassWithoutSamples, series: runCatalog.series, breakdowns: runCatalog.breakdowns };
      const onAbort = (reason: string): void => controller.stop({ by: 'threshold', reason, exitCode: ExitCode.ThresholdsHaveFailed });
      feed.pushTo(new AggregatePusher(flags.aggregate, flags.aggregateToken, base, onAbort, warn));
    }

    const unhandle = handleStopSignals(controller, (l) => progress.log(l), () => {
      // Synchronous on purpose: the process is about to exit.
      if (flags.summaryExport) writeFileSync(flags.summaryExport, JSON.stringify(summarizePartial(controller.aggregator, controller.startTimeMs, ctx), null, 2));
    });
    let result: RunResult;
    try {
      result = await controller.run();
    } catch (e) {
      // The run broke (a worker died, setup failed...): keep what was measured before passing the error on.
      if (flags.summaryExport && controller.startTimeMs > 0) await writeSummaryExport(flags.summaryExport, summarizePartial(controller.aggregator, controller.startTimeMs, ctx));
      // volley aggregate hears that this runner is over (it would wait for it until it went silent).
      await feed.finishPush();
      throw e;
    } finally {
      unhandle();
      progress.clear();
      await Promise.all(monitors.map((m) => m.stop()));
    }
    feed.finish(result.endEpochMs, result.endEpochMs - result.startEpochMs);
    await feed.finishPush();

    if (recovery) ctx.windows = recovery.timeline();
    const data = summarizeRun(result, ctx);
    // Every output is attempted whatever happens to the others; failures are reported after the
    // summary, and the exit code stays the test's verdict (the results themselves are fine).
    const writeFailures: unknown[] = [];
    if (flags.summaryExport) await writeSummaryExport(flags.summaryExport, data).catch((e: unknown) => writeFailures.push(e));
    feed.endRun(data);
    // Saved and compared before the reports, which show the comparison; a failed save is reported, never fatal.
    const saved = history ? await history.finish(data, scriptPath, (l) => stderr.write(`${l}\n`)) : undefined;
    const reports = await writeReportsSettled(data, { report: flags.report, junit: flags.junit, markdown: flags.markdown, env: process.env, comparison: saved?.report });
    writeFailures.push(...reports.failures);
    // k6: --no-summary turns off handleSummary too; a handleSummary that fails falls back to the default.
    const custom = exports.includes('handleSummary') && !options.noSummary ? await runScriptSummary(data, { bundleUrl: bundle.url, scriptPath, options, cwd: process.cwd() }) : undefined;
    if (!options.noSummary && !custom?.replaced) process.stdout.write(`${renderTextSummary(data, { color: Boolean(process.stdout.isTTY) && color, width: process.stdout.columns })}\n`);
    if (saved?.text) process.stdout.write(saved.text);
    for (const l of [...reports.lines, ...(custom?.lines ?? [])]) stderr.write(`volley: ${l}\n`);
    for (const e of [...writeFailures, ...(custom?.errors ?? [])]) reportError(e);
    for (const l of [...(faults?.describe() ?? []), ...(recovery?.describe() ?? [])]) stderr.write(`volley: ${l}\n`);
    if (result.teardownError) reportError(result.teardownError);
    if (result.aborted) stderr.write(`volley: test aborted: ${result.aborted.reason}\n`);
    if (dashboard && flags.dashboard?.linger) {
      stderr.write(`volley: dashboard still at ${dashboard.url} (Ctrl-C to quit)\n`);
      await dashboard.waitUntilClosed();
    }
    const code = exitCodeOf(result);
    if (code === ExitCode.ThresholdsHaveFailed && !isWholeTest(segment)) {
      // A runner sees only its segment (a count threshold cannot hold on a third of the test): the
      // verdict is volley merge's, on the whole test. A Kubernetes Job must not retry a runner for it.
      stderr.write(`volley: thresholds are decided on the whole test by volley merge (this runner ran segment ${part.segment})\n`);
      return ExitCode.OK;
    }
    return code || (saved?.code ?? 0);
  } finally {
    await history?.close();
    await Promise.allSettled(outputs.map((o) => o.stop()));
    await faults?.close();
    await Promise.all(monitors.map((m) => m.stop()));
    await bundle.dispose();
  }
}

/** `--aggregate` must be an http(s) URL (checked before the test starts). */
function checkAggregateUrl(u: string): void {
  let url: URL | undefined;
  try {
    url = new URL(u);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new VolleyError('E_AGGREGATE_URL', `--aggregate ${JSON.stringify(u)} is not an http(s) URL`, { hint: 'give the URL volley aggregate printed, e.g. --aggregate http://127.0.0.1:6565', exitCode: ExitCode.InvalidConfig });
  }
}

function withJobSegment(flags: RunCommandOptions, job: ReturnType<typeof jobIndexSegment>): RunCommandOptions {
  if (flags.executionSegment !== undefined || job.executionSegment === undefined) return flags;
  return { ...flags, ...job };
}

/** The script path as the user would write it: relative to the working directory when inside it. */
function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}
