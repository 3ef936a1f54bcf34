import { cpus } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { resolveOptionsWithWarnings, type CliOptionFlags } from '../config/resolve.js';
import type { ResolvedOptions } from '../config/types.js';
import { ExitCode, VolleyError } from '../errors/index.js';
import { checkThresholdMetricsExist, validateThresholds } from '../metrics/thresholds/index.js';
import { createOutput, type Output, type SampleBatch } from '../outputs/index.js';
import { Controller, type RunResult } from '../scheduler/controller.js';
import { chooseWorkers } from '../scheduler/plan.js';
import { bundleScript, type Bundle } from '../script/bundle.js';
import { installGlobals } from '../script/globals.js';
import { importScript } from '../script/load.js';
import { buildSummary } from '../summary/build.js';
import { buildSnapshot } from '../metrics/snapshot.js';
import { startDashboard, type Dashboard, type DashboardOptions } from '../dashboard/index.js';
import { describeScenario } from '../config/describe.js';
import { writeReports } from '../report/cli.js';
import { registerMonitoringOutputs } from '../outputs/monitoring.js';
import { writeSummaryExport } from '../summary/export.js';
import { renderTextSummary } from '../summary/text.js';
import type { SummaryData } from '../summary/types.js';
import { threadRegistry } from '../vu/thread.js';
import { ProgressDisplay } from './progress.js';
import { renderBanner } from './banner.js';
import { reportError } from './report-error.js';
import { VERSION } from './version.js';

export interface RunCommandOptions extends CliOptionFlags {
  /** HTML report, JUnit XML and Markdown files to write at the end. */
  report?: string | undefined;
  junit?: string | undefined;
  markdown?: string | undefined;
  /** Serve the live dashboard (undefined: off). */
  dashboard?: DashboardOptions | undefined;
  summaryExport?: string;
  out?: string[];
  quiet?: boolean;
  color?: boolean;
}

/** Exit code for a finished run (k6's codes). */
function exitCodeOf(r: RunResult): number {
  if (r.aborted) return r.aborted.exitCode;
  if (r.teardownError) return r.teardownError.exitCode;
  if (r.thresholds.some((t) => !t.ok)) return ExitCode.ThresholdsHaveFailed;
  return ExitCode.OK;
}

/**
 * `volley run script.ts`: bundle the script, read its options in this thread, resolve them with
 * the CLI flags and environment, run the test on worker threads with a live display, then print
 * the summary, write the exports and return the exit code.
 */
export async function runCommand(script: string, flags: RunCommandOptions): Promise<number> {
  const scriptPath = resolve(script);
  if (!existsSync(scriptPath)) {
    throw new VolleyError('E_SCRIPT_NOT_FOUND', `script not found: ${script}`, { hint: 'give the path of a .ts or .js test script', exitCode: ExitCode.ScriptException });
  }
  const stderr = process.stderr;
  const color = flags.color ?? (stderr.isTTY && !process.env.NO_COLOR);
  const bundle: Bundle = await bundleScript(scriptPath);
  let outputs: Output[] = [];
  let dashboard: Dashboard | undefined;
  try {
    process.setSourceMapsEnabled(true);
    const cliEnv = flags.env ?? {};
    const baseEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) baseEnv[k] = v;
    installGlobals({ ...baseEnv, ...cliEnv }, dirname(scriptPath));
    const mod = await importScript(bundle.url, scriptPath);
    const { options, warnings } = resolveOptionsWithWarnings({
      scriptOptions: mod.options,
      scriptPath,
      processEnv: process.env,
      cli: flags,
      exportedFunctions: Object.keys(mod.functions),
    });
    for (const w of warnings) stderr.write(`volley: warning: ${w}\n`);
    if (!options.noThresholds) {
      const typeOf = (name: string) => threadRegistry.get(name)?.type;
      validateThresholds(options.thresholds, typeOf);
      checkThresholdMetricsExist(options.thresholds, typeOf, threadRegistry.all().map((m) => m.name));
    }
    registerMonitoringOutputs();
    const types = metricTypes();
    const progress = new ProgressDisplay(stderr, { tty: Boolean(stderr.isTTY) && !flags.quiet, color });
    outputs = (flags.out ?? []).map((spec) =>
      createOutput(spec, { metricTypes: types, cwd: process.cwd(), thresholds: options.thresholds, warn: (m) => progress.log(`volley: warning: ${m}`) }),
    );
    await Promise.all(outputs.map((o) => o.start()));
    if (flags.dashboard) {
      dashboard = await startDashboard({ ...flags.dashboard, warn: (m) => progress.log(`volley: warning: ${m}`) });
      stderr.write(`volley: dashboard at ${dashboard.url}\n`);
    }
    return await execute(bundle, scriptPath, options, outputs, flags, color, progress, types, dashboard);
  } finally {
    await Promise.allSettled(outputs.map((o) => o.stop()));
    await dashboard?.close();
    await bundle.dispose();
  }
}

function metricTypes(): Map<string, { type: import('../metrics/metric.js').MetricType; contains: import('../metrics/metric.js').ValueType }> {
  return new Map(threadRegistry.all().map((m) => [m.name, { type: m.type, contains: m.contains }]));
}

async function execute(
  bundle: Bundle,
  scriptPath: string,
  options: ResolvedOptions,
  outputs: Output[],
  flags: RunCommandOptions,
  color: boolean,
  progress: ProgressDisplay,
  types: ReturnType<typeof metricTypes>,
  dashboard: Dashboard | undefined,
): Promise<number> {
  const stderr = process.stderr;
  const workers = chooseWorkers(options.workers, cpus().length, options.scenarios);
  if (!flags.quiet) stderr.write(renderBanner(displayPath(scriptPath), options, workers, outputs.map((o) => o.description)));
  const snapshotOutputs = outputs.filter((o) => o.addSnapshot !== undefined);
  const sampleOutputs = outputs.filter((o) => o.wantsSamples !== false);
  let dashboardStarted = false;
  const controller = new Controller(
    { bundleUrl: bundle.url, scriptPath, options, workers, collectSamples: sampleOutputs.length > 0 },
    {
      onTick: (s) => {
        if (!flags.quiet) progress.update(s);
        if (snapshotOutputs.length === 0 && !dashboard) return;
        const snap = buildSnapshot(controller.aggregator, Date.now(), s.elapsedMs);
        for (const o of snapshotOutputs) o.addSnapshot!(snap);
        if (dashboard) {
          if (!dashboardStarted) {
            dashboardStarted = true;
            dashboard.start({
              script: displayPath(scriptPath),
              startTimeMs: controller.startTimeMs || Date.now() - s.elapsedMs,
              plannedMs: s.plannedMs,
              scenarios: Object.fromEntries(options.scenarios.map((sc) => [sc.name, describeScenario(sc)])),
              version: VERSION,
            });
          }
          const last = controller.lastRow;
          dashboard.update({ live: s, row: last ? { timeMs: last.timeMs, values: last.row } : undefined, snapshot: snap, thresholds: controller.thresholdEvals });
        }
      },
      onException: (e) => progress.log(`volley: script error: ${e.message}${e.location ? `\n    at ${e.location}` : ''}\n    (each distinct error is shown once; all are counted in the summary)`),
      onWarning: (w) => progress.log(`volley: warning: ${w}`),
      onSamples: (samples, names, worker) => {
        // Metrics declared outside the init context are known to the aggregator first.
        for (const [name, t] of controller.aggregator.metricTypes) if (!types.has(name)) types.set(name, t);
        const batch: SampleBatch = {
          source: worker,
          metricNames: names,
          tagSets: new Map(samples.newTagSets),
          metric: samples.metric,
          value: samples.value,
          tagSet: samples.tagSet,
          time: samples.time,
          length: samples.metric.length,
          inlineTags: inlineTagsOf(samples.inlineTags, samples.metric.length),
        };
        for (const o of sampleOutputs) o.addSamples(batch);
      },
    },
  );

  // Ctrl-C: the first stops the test (teardown, summary and exports still happen); the second
  // writes a summary of what was measured so far and exits at once.
  let signals = 0;
  let partial: (() => SummaryData | undefined) | undefined;
  const onSignal = (): void => {
    signals++;
    if (signals === 1) {
      progress.log('volley: stopping (Ctrl-C again to quit at once)...');
      controller.stop({ by: 'signal', reason: 'stopped by the user (SIGINT/SIGTERM)', exitCode: ExitCode.ExternalAbort });
      return;
    }
    const data = partial?.();
    if (data && flags.summaryExport) {
      try {
        writeSummaryExportSync(flags.summaryExport, data);
      } catch {
        /* best effort on the way out */
      }
    }
    void controller.kill().finally(() => process.exit(ExitCode.ExternalAbort));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  partial = () =>
    buildSummary({
      aggregator: controller.aggregator,
      timeSeries: undefined,
      thresholds: [],
      options,
      scriptPath,
      version: VERSION,
      startEpochMs: started,
      endEpochMs: Date.now(),
      aborted: { by: 'signal', reason: 'killed by a second Ctrl-C' },
      exceptions: [],
      warnings: [],
      exitCode: ExitCode.ExternalAbort,
      isStdOutTTY: Boolean(process.stdout.isTTY),
      isStdErrTTY: Boolean(stderr.isTTY),
      noColor: !color,
    });
  let result: RunResult;
  try {
    result = await controller.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.clear();
  }
  const exitCode = exitCodeOf(result);
  if (snapshotOutputs.length > 0) {
    const snap = buildSnapshot(result.aggregator, result.endEpochMs, result.endEpochMs - result.startEpochMs);
    for (const o of snapshotOutputs) o.addSnapshot!(snap);
  }
  const data = buildSummary({
    aggregator: result.aggregator,
    timeSeries: result.timeSeries,
    thresholds: result.thresholds,
    options,
    scriptPath,
    version: VERSION,
    startEpochMs: result.startEpochMs,
    endEpochMs: result.endEpochMs,
    aborted: result.aborted,
    exceptions: result.exceptions,
    warnings: result.warnings,
    scenarioVus: Object.fromEntries(Object.entries(result.scenarioStatus).map(([k, v]) => [k, v.allocated])),
    // A closed-model rate is VUs / iteration time: when the generator was saturated, its own delay
    // stretched the iterations, so the rate it reached says more about Volley than the target.
    generatorLimited: Object.fromEntries(options.scenarios.filter((s) => !s.executor.endsWith('arrival-rate')).map((s) => [s.name, result.health.saturatedSeconds > 0])),
    exitCode,
    isStdOutTTY: Boolean(process.stdout.isTTY),
    isStdErrTTY: Boolean(stderr.isTTY),
    noColor: !color,
  });
  if (flags.summaryExport) await writeSummaryExport(flags.summaryExport, data);
  dashboard?.end(data);
  const reportLines = await writeReports(data, { report: flags.report, junit: flags.junit, markdown: flags.markdown, env: process.env });
  if (!options.noSummary) process.stdout.write(`${renderTextSummary(data, { color: Boolean(process.stdout.isTTY) && color, width: process.stdout.columns })}\n`);
  for (const l of reportLines) stderr.write(`volley: ${l}\n`);
  if (result.teardownError) reportError(result.teardownError);
  if (result.aborted) stderr.write(`volley: test aborted: ${result.aborted.reason}\n`);
  if (dashboard && flags.dashboard?.linger) {
    stderr.write(`volley: dashboard still at ${dashboard.url} (Ctrl-C to quit)\n`);
    await dashboard.waitUntilClosed();
  }
  return exitCode;
}

function inlineTagsOf(pairs: Array<[number, Record<string, string>]>, n: number): Array<Record<string, string> | undefined> | undefined {
  if (pairs.length === 0) return undefined;
  const out = new Array<Record<string, string> | undefined>(n);
  for (const [i, t] of pairs) out[i] = t;
  return out;
}

/** Synchronous on purpose: the process is about to exit. */
function writeSummaryExportSync(file: string, data: SummaryData): void {
  writeFileSync(file, JSON.stringify(data, null, 2));
}

/** The script path as the user would write it: relative to the working directory when inside it. */
function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}
