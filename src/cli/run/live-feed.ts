import type { TimeChart } from '../../metrics/catalog.js';
import type { Breakdown } from '../../metrics/breakdowns.js';
import { describeScenario } from '../../config/describe.js';
import { recoveryWindows } from './recovery.js';
import type { ResolvedOptions } from '../../config/types.js';
import type { MetricType, ValueType } from '../../metrics/metric.js';
import { buildSnapshot } from '../../metrics/snapshot.js';
import type { RawSamples } from '../../metrics/store.js';
import type { Output, SampleBatch } from '../../outputs/index.js';
import type { RunMeta } from '../../outputs/types.js';
import type { SummaryData } from '../../summary/types.js';
import type { LiveSnapshot } from '../../metrics/live.js';
import type { Controller, RunEvents } from '../../scheduler/controller.js';
import type { ProgressDisplay } from '../progress.js';
import type { AggregatePusher } from '../aggregate/push.js';
import { LineBudget, type ExceptionGroup } from '../../errors/exception-groups.js';

/** Script-error lines printed per second at most; the rest are counted in one line. */
export const ERROR_LINES_PER_SECOND = 5;

export type MetricTypes = Map<string, { type: MetricType; contains: ValueType }>;

/**
 * Fans a running test out to everything that watches it: the progress display, sample outputs
 * (raw samples as they arrive), snapshot outputs and the dashboard (whole-test aggregates once per
 * second). Everything here runs in the main thread, off the workers' hot path.
 */
export class LiveFeed {
  private readonly sampleOutputs: Output[];
  private readonly snapshotOutputs: Output[];
  private readonly liveOutputs: Output[];
  private liveStarted = false;
  private readonly errorLines = new LineBudget(ERROR_LINES_PER_SECOND);
  private errorsShown = 0;
  private controller: Controller | undefined;
  private meta: RunMeta | undefined;
  private pusher: AggregatePusher | undefined;

  constructor(
    private readonly progress: ProgressDisplay,
    private readonly outputs: readonly Output[],
    private readonly types: MetricTypes,
    private readonly run: { script: string; options: ResolvedOptions; version: string; quiet: boolean; charts?: readonly TimeChart[]; breakdowns?: readonly Breakdown[] },
  ) {
    this.sampleOutputs = outputs.filter((o) => o.wantsSamples !== false);
    this.snapshotOutputs = outputs.filter((o) => o.addSnapshot !== undefined);
    this.liveOutputs = outputs.filter((o) => o.addLive !== undefined);
  }

  /** Do any outputs want raw samples (so workers must collect them)? */
  get wantsSamples(): boolean {
    return this.sampleOutputs.length > 0;
  }

  /** The controller's events, bound to this feed. Call `attach` before the run starts. */
  events(): RunEvents {
    return {
      onTick: (s) => this.tick(s),
      onException: (e) => this.exception(e),
      onWarning: (w) => this.progress.log(`volley: warning: ${w}`),
      onSamples: (samples, names, worker) => this.samples(samples, names, worker),
    };
  }

  /** The first of each kind of script error, at most ERROR_LINES_PER_SECOND a second. */
  private exception(e: ExceptionGroup): void {
    if (!this.errorLines.take()) return;
    const note = this.errorsShown++ === 0 ? '\n    (each kind of error is shown once, numbers and ids folded; all are counted in the summary)' : '';
    this.progress.log(`volley: script error: ${e.message}${e.location ? `\n    at ${e.location}` : ''}${note}`);
  }

  /** Says how many script-error lines the budget held back (once a second, and at the end). */
  private flushSuppressed(): void {
    const n = this.errorLines.flush();
    if (n > 0) this.progress.log(`volley: ${n} more kind${n === 1 ? '' : 's'} of script error suppressed (see the summary)`);
  }

  /** The finest schema any snapshot output asks for (undefined: none wants distributions). */
  private exponentialSchema(): number | undefined {
    let schema: number | undefined;
    for (const o of this.snapshotOutputs) if (o.exponentialSchema !== undefined) schema = Math.max(schema ?? -Infinity, o.exponentialSchema);
    return schema;
  }

  attach(controller: Controller): void {
    this.controller = controller;
  }

  /** The final whole-test snapshot, after the run. */
  finish(endEpochMs: number, elapsedMs: number): void {
    this.flushSuppressed();
    if (!this.controller || this.snapshotOutputs.length === 0) return;
    const snap = buildSnapshot(this.controller.aggregator, endEpochMs, elapsedMs, { exponentialSchema: this.exponentialSchema() });
    for (const o of this.snapshotOutputs) o.addSnapshot!(snap);
  }

  private tick(s: LiveSnapshot): void {
    this.flushSuppressed();
    if (!this.run.quiet) this.progress.update(s);
    const c = this.controller;
    if (!c) return;
    const last = c.lastRow;
    this.pusher?.tick(this.metaOf(c, s), s, last ? { timeMs: last.timeMs, values: last.row } : null, c.aggregator);
    if (this.snapshotOutputs.length === 0 && this.liveOutputs.length === 0) return;
    const snap = buildSnapshot(c.aggregator, Date.now(), s.elapsedMs, { exponentialSchema: this.exponentialSchema() });
    for (const o of this.snapshotOutputs) o.addSnapshot!(snap);
    if (this.liveOutputs.length === 0) return;
    if (!this.liveStarted) {
      this.liveStarted = true;
      const meta = this.metaOf(c, s);
      for (const o of this.liveOutputs) o.beginRun?.(meta);
    }
    const update = { live: s, row: last ? { timeMs: last.timeMs, values: last.row } : undefined, snapshot: snap, thresholds: c.thresholdEvals };
    for (const o of this.liveOutputs) o.addLive!(update);
  }

  /** What live readers are told about the run when it starts (made once). */
  private metaOf(c: Controller, s: LiveSnapshot): RunMeta {
    this.meta ??= {
      script: this.run.script,
      startTimeMs: c.startTimeMs || Date.now() - s.elapsedMs,
      plannedMs: s.plannedMs,
      scenarios: Object.fromEntries(this.run.options.scenarios.map((sc) => [sc.name, describeScenario(sc)])),
      version: this.run.version,
      windows: recoveryWindows(this.run.options),
      ...(this.run.charts && this.run.charts.length > 0 ? { charts: this.run.charts } : {}),
      ...declaredTables(this.run.breakdowns),
    };
    return this.meta;
  }

  /** Pushes the run to `volley aggregate` each second (`--aggregate`). */
  pushTo(pusher: AggregatePusher): void {
    this.pusher = pusher;
  }

  /** The last push, once the run is over (after `finish`; also for a run shorter than a tick). */
  async finishPush(): Promise<void> {
    const c = this.controller;
    if (!this.pusher || !c) return;
    const last = c.lastRow;
    const s = c.liveSnapshot();
    const live = { ...s, vus: 0, scenarios: s.scenarios.map((x) => ({ ...x, active: 0, done: true, progress: 1 })) };
    await this.pusher.finish(this.metaOf(c, s), live, last ? { timeMs: last.timeMs, values: last.row } : null, c.aggregator);
  }

  /** The test ended: every output that reads the summary gets it. */
  endRun(summary: SummaryData): void {
    for (const o of this.outputs) o.endRun?.(summary);
  }

  private samples(samples: RawSamples, names: string[], worker: number): void {
    // Metrics declared outside the init context are known to the aggregator first.
    if (this.controller) for (const [name, t] of this.controller.aggregator.metricTypes) if (!this.types.has(name)) this.types.set(name, t);
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
    for (const o of this.sampleOutputs) o.addSamples(batch);
  }
}

function inlineTagsOf(pairs: Array<[number, Record<string, string>]>, n: number): Array<Record<string, string> | undefined> | undefined {
  if (pairs.length === 0) return undefined;
  const out = new Array<Record<string, string> | undefined>(n);
  for (const [i, t] of pairs) out[i] = t;
  return out;
}

/** The tables the protocols declare over their breakdowns (LLM ROUTES...), for live readers. */
function declaredTables(breakdowns: readonly Breakdown[] | undefined): Pick<RunMeta, 'tables'> {
  const tables = (breakdowns ?? []).flatMap((b) => (b.table ? [{ breakdown: b.name, by: b.by, ...b.table }] : []));
  return tables.length > 0 ? { tables } : {};
}
