import { ExitCode, VolleyError, isVolleyError } from '../errors/index.js';
import { Aggregator } from '../metrics/aggregator.js';
import type { MetricCatalog } from '../metrics/catalog.js';
import type { LiveSnapshot } from '../metrics/live.js';
import type { SinkDelta } from '../metrics/sinks.js';
import type { RawSamples, SubmetricDef } from '../metrics/store.js';
import { LevelSums } from '../metrics/levels.js';
import { levelFigures, TimeSeriesBuilder } from '../metrics/timeseries.js';
import { parseMetricSelector, ThresholdSet, type StatReader, type ThresholdEval } from '../metrics/thresholds/index.js';
import type { ResolvedOptions } from '../config/types.js';
import type { ScriptException } from '../errors/script-exception.js';
import { ExceptionGroups, MAX_GROUPS, type ExceptionGroup } from '../errors/exception-groups.js';
import type { FromWorker, MetricsMessage, ScenarioStatus, TypedDelta, WorkerError, WorkerInit } from '../worker/protocol.js';

export type { LiveSnapshot } from '../metrics/live.js';
import { GeneratorHealth } from './health.js';
import { runFindings } from './run-findings.js';
import { stuckLocation } from './stuck-location.js';
import { WorkerPool } from './worker-pool.js';
import { subSegment, WHOLE_TEST as WHOLE, type SegmentInterval as Segment } from '../util/execution-segment.js';
import { testMaxDurationMs } from '../config/describe.js';
import { selectorParts } from '../metrics/thresholds/selector.js';

export interface RunPlan {
  bundleUrl: string;
  scriptPath: string;
  options: ResolvedOptions;
  workers: number;
  /** Stream raw samples to `onSamples` (for --out outputs). */
  collectSamples: boolean;
  /** What the VU runtime and the protocols record: breakdowns, time-series columns, headline. */
  catalog: MetricCatalog;
  /** The part of the test this runner executes (`--execution-segment`); default the whole test. */
  segment?: Segment;
  /** Epoch ms to start at (`--start-at`), instead of as soon as setup is done. */
  startAtEpochMs?: number;
}

export interface RunEvents {
  onTick?(s: LiveSnapshot): void;
  onSamples?(samples: RawSamples, metricNames: string[], worker: number): void;
  /** First occurrence of each kind of script exception (at most MAX_GROUPS kinds). */
  onException?(e: ExceptionGroup): void;
  onWarning?(message: string): void;
  /** The test starts at this epoch ms (about 50 ms from now): main-thread timelines (fault windows) arm on it. */
  onStart?(startEpochMs: number): void;
  /**
   * After the workers finished, before the final threshold evaluation: metrics measured in the main
   * thread (faults_injected, recovery_time) as deltas, merged into the totals so thresholds see them.
   */
  mainMetrics?(run: { timeSeries: TimeSeriesBuilder; startEpochMs: number; endEpochMs: number; submetrics: readonly SubmetricDef[] }): TypedDelta[];
}

export interface AbortInfo {
  by: 'threshold' | 'signal' | 'script';
  reason: string;
  exitCode: number;
}

export interface RunResult {
  aggregator: Aggregator;
  timeSeries: TimeSeriesBuilder;
  thresholds: ThresholdEval[];
  thresholdSet: ThresholdSet;
  startEpochMs: number;
  endEpochMs: number;
  aborted: AbortInfo | undefined;
  exceptions: ExceptionGroup[];
  scenarioStatus: Record<string, ScenarioStatus>;
  warnings: string[];
  health: { eventLoopDelayP99MaxMs: number; cpuPercentMax: number; saturatedSeconds: number };
  teardownError: VolleyError | undefined;
  /** With `--start-at`: how late (ms, by this machine's clock) the test started after the asked instant. */
  startSkewMs: number | undefined;
}

/**
 * The main-thread side of a run: spawns the workers, runs setup, starts and stops them, merges
 * their metrics, evaluates thresholds every second (abortOnFail), runs teardown.
 *
 * Run states: spawning → setup → running → teardown → done; `stop()` (Ctrl-C, abortOnFail,
 * exec.test.abort) moves running → teardown early; a dead worker or a failed setup ends the run
 * with an error.
 */
export class Controller {
  private pool: WorkerPool | undefined;
  private readonly agg: Aggregator;
  /** Each worker's newest level counts, summed (see metrics/levels.ts). */
  private readonly levelSums: LevelSums;
  private ts: TimeSeriesBuilder | undefined;
  private readonly thresholdSet: ThresholdSet;
  private readonly health: GeneratorHealth;
  /** Latest per-scenario status of each worker. */
  private readonly status = new Map<number, Record<string, ScenarioStatus>>();
  private readonly exceptions = new ExceptionGroups(MAX_GROUPS);
  private readonly warnings: string[] = [];
  private startEpochMs = 0;
  private aborted: AbortInfo | undefined;
  private fatal: ((e: unknown) => void) | undefined;
  private lastEval: ThresholdEval[] = [];
  /** The per-second tick; cleared when the run ends, however it ends. */
  private tickTimer: NodeJS.Timeout | undefined;
  private ended = false;
  /** Epoch ms when the workers finished (0 while running): counter rates are per second of the test, not of teardown. */
  private endEpochMs = 0;
  /**
   * Local ms past which a worker that has not finished is stopped from outside: the end of the
   * longest scenario's gracefulStop (plus STUCK_GRACE_MS), or STUCK_GRACE_MS after a stop. Only a
   * worker whose iteration never yields (a synchronous loop) gets there: any other interrupts its
   * own VUs at gracefulStop.
   */
  private hardStopAtMs = Infinity;
  /** Workers already reported as silent (one warning each). */
  private readonly silentWarned = new Set<number>();
  /** A second Ctrl-C killed the workers: teardown is skipped. */
  private killedByUser = false;

  constructor(
    private readonly plan: RunPlan,
    private readonly events: RunEvents = {},
  ) {
    this.agg = new Aggregator(() => this.elapsedMs(), plan.catalog.breakdowns);
    this.levelSums = new LevelSums(new Set(plan.catalog.series.filter((c) => c.as === 'level').map((c) => c.metric)));
    this.thresholdSet = new ThresholdSet(plan.options.noThresholds ? {} : plan.options.thresholds);
    this.health = new GeneratorHealth(
      this.agg,
      (w) => {
        this.warnings.push(w);
        this.events.onWarning?.(w);
      },
      plan.catalog.headline.errors,
    );
  }

  private elapsedMs(): number {
    if (this.startEpochMs === 0) return 0;
    const end = this.endEpochMs || performance.timeOrigin + performance.now();
    return Math.max(0, end - this.startEpochMs);
  }

  /** Stops the run as soon as possible (in-flight iterations are interrupted); teardown and summary still happen. */
  stop(info: AbortInfo): void {
    if (this.aborted) return;
    this.aborted = info;
    this.pool?.broadcast({ t: 'stop' });
    if (this.startEpochMs === 0 && info.by === 'signal') {
      // Before the start (workers loading the script, setup): the run starts already stopped and
      // ends at once with its summary, unless loading or setup hangs; then it ends without one.
      this.prestartTimer = setTimeout(() => {
        if (this.startEpochMs === 0) this.fatal?.(new VolleyError('E_STOPPED', `the test was stopped before it started: ${info.reason}`, { exitCode: info.exitCode as ExitCode }));
      }, PRESTART_STOP_GRACE_MS);
      return;
    }
    this.hardStopAtMs = Math.min(this.hardStopAtMs, performance.now() + STUCK_GRACE_MS);
    this.watchStuck();
  }

  /**
   * Second Ctrl-C: kills the workers at once (what they measured up to their last flush, ≤ 1 s ago,
   * is kept), skips teardown; the run then ends as usual, with its summary and outputs.
   */
  async kill(info: AbortInfo): Promise<void> {
    this.killedByUser = true;
    this.aborted = info;
    const pool = this.pool;
    if (!pool) return;
    if (this.startEpochMs === 0) {
      this.fatal?.(new VolleyError('E_STOPPED', `the test was stopped before it started: ${info.reason}`, { exitCode: info.exitCode as ExitCode }));
      return;
    }
    // Running workers, and worker 0 if it is in teardown.
    await Promise.all(Array.from({ length: pool.size }, (_, i) => (pool.isDone(i) && !(i === 0 && this.endEpochMs > 0) ? undefined : this.killWorker(i, undefined))));
  }

  /** Checks, now and every 500 ms until the workers are done, for workers past hardStopAtMs. */
  private watchStuck(): void {
    const pool = this.pool;
    if (!pool || this.ended || pool.liveCount === 0) return;
    const now = performance.now();
    if (now >= this.hardStopAtMs) {
      for (let i = 0; i < pool.size; i++) {
        if (!pool.isDone(i)) void this.killWorker(i, `did not stop at the end of the test: an iteration has not returned to the event loop for ${(pool.silentMs(i) / 1000).toFixed(1)} s (a synchronous loop in the script?)`);
      }
      return;
    }
    clearTimeout(this.stuckTimer);
    this.stuckTimer = setTimeout(() => this.watchStuck(), Math.min(500, Math.max(10, this.hardStopAtMs - now)));
  }
  private stuckTimer: NodeJS.Timeout | undefined;
  private prestartTimer: NodeJS.Timeout | undefined;

  /**
   * Stops worker i from outside. Its in-flight iterations (its last reported active VUs) are
   * counted as interrupted; `why` (undefined for a user's kill) becomes a warning, with the script
   * location the worker was stuck at when it can be found.
   */
  private async killWorker(i: number, why: string | undefined): Promise<void> {
    const pool = this.pool!;
    if (pool.isKilled(i)) return;
    const where = why === undefined ? undefined : await stuckLocation(pool.threadId(i), this.plan.bundleUrl);
    const rec = this.status.get(i);
    let cut = 0;
    if (rec) {
      for (const s of Object.values(rec)) {
        cut += s.active;
        s.interrupted = (s.interrupted ?? 0) + s.active;
        s.active = 0;
        s.done = true;
        s.progress = 1;
      }
    }
    await pool.kill(i);
    if (why !== undefined) {
      // Not reported yet (stuck before its first report): at least the iteration that never yields.
      if (cut === 0) {
        cut = 1;
        const first = this.plan.options.scenarios[0];
        if (first) this.status.set(i, { ...rec, [first.name]: { active: 0, allocated: 1, progress: 1, done: true, interrupted: 1 } });
      }
      const w = `worker ${i} ${why}${where ? `, at ${where}` : ''}; it was stopped, its ${cut} in-flight iteration${cut === 1 ? ' is' : 's are'} counted as interrupted, and what it measured since its last report (under 1 s) is lost`;
      this.warnings.push(w);
      this.events.onWarning?.(w);
    }
  }

  async run(): Promise<RunResult> {
    const fatal = new Promise<never>((_, reject) => {
      this.fatal = reject;
    });
    fatal.catch(() => {});
    try {
      return await Promise.race([this.runInner(), fatal]);
    } finally {
      this.ended = true;
      clearTimeout(this.tickTimer);
      clearTimeout(this.prestartTimer);
      await this.pool?.terminate();
    }
  }

  private async runInner(): Promise<RunResult> {
    const { options } = this.plan;
    const submetrics: SubmetricDef[] = this.thresholdSet.keys
      .map((key) => ({ key, ...parseMetricSelector(key) }))
      .filter((s) => Object.keys(s.tags).length > 0);
    const n = this.plan.workers;
    const runner = this.plan.segment ?? WHOLE;
    const inits: WorkerInit[] = [];
    for (let i = 0; i < n; i++) {
      inits.push({
        bundleUrl: this.plan.bundleUrl,
        scriptPath: this.plan.scriptPath,
        options,
        segment: subSegment(runner, i, n),
        runnerSegment: runner,
        workerIndex: i,
        workerCount: n,
        submetrics,
        collectSamples: this.plan.collectSamples,
        breakdowns: this.plan.catalog.breakdowns,
      });
    }
    const pool = (this.pool = new WorkerPool(inits, (i, m) => this.onMessage(i, m), (e) => this.fatal?.(e)));
    await pool.waitForAll('ready');

    // setup() runs once, in worker 0.
    const setup = await pool.waitFor('setup-done', 0, () => pool.send(0, { t: 'setup' }), hookTimeout('setup', options.setupTimeoutMs));
    if (setup.error) {
      if (this.aborted?.by === 'script') throw new VolleyError('E_TEST_ABORTED', `setup() aborted the test: ${this.aborted.reason}`, { exitCode: ExitCode.ScriptAborted });
      throw hookError('setup', setup.error);
    }

    // Start everyone at the same wall-clock instant: shortly from now, or at --start-at (runners on
    // other machines start at that instant too, by their own clocks).
    const soon = Math.ceil(performance.timeOrigin + performance.now() + 50);
    this.startEpochMs = this.plan.startAtEpochMs !== undefined ? Math.max(soon, this.plan.startAtEpochMs) : soon;
    const ts = (this.ts = new TimeSeriesBuilder(this.startEpochMs, this.plan.catalog.series));
    const plannedMs = testMaxDurationMs(options.scenarios, false);
    const done = pool.waitForAll('done');
    this.events.onStart?.(this.startEpochMs);
    pool.broadcast({ t: 'start', startEpochMs: this.startEpochMs, setupData: setup.data });
    // This thread's own wake-up at the start instant: the skew when no worker reported one.
    const mainLate = new Promise<number>((r) => setTimeout(() => r(performance.timeOrigin + performance.now() - this.startEpochMs), Math.max(0, this.startEpochMs - (performance.timeOrigin + performance.now()))).unref());
    // Ticks land 100 ms after each whole second of the test, once the workers' per-second deltas are in.
    const schedule = (k: number): void => {
      if (this.ended) return;
      const at = this.startEpochMs + k * 1000 + 100 - (performance.timeOrigin + performance.now());
      this.tickTimer = setTimeout(() => {
        try {
          this.tick(plannedMs);
        } catch (e) {
          // A display or output that throws must not end the run, nor the ticks.
          this.events.onWarning?.(`live update failed: ${(e as Error)?.message ?? String(e)}`);
        }
        schedule(k + 1);
      }, Math.max(0, at));
    };
    schedule(1);
    if (this.hardStopAtMs === Infinity) this.hardStopAtMs = this.startEpochMs - performance.timeOrigin + testMaxDurationMs(options.scenarios, true) + STUCK_GRACE_MS;
    else this.hardStopAtMs = Math.min(this.hardStopAtMs, performance.now() + STUCK_GRACE_MS);
    this.watchStuck();
    let dones: Array<{ startLateMs?: number }>;
    try {
      dones = await done;
    } finally {
      clearTimeout(this.tickTimer);
      clearTimeout(this.stuckTimer);
    }
    // --start-at skew: how long after the asked instant the test started (a runner still in setup
    // starts later) plus the latest worker's wake-up delay, by this machine's clock.
    const startAt = this.plan.startAtEpochMs;
    const lates = dones.map((d) => d.startLateMs).filter((x): x is number => x !== undefined);
    const startSkewMs = startAt === undefined ? undefined : this.startEpochMs - startAt + (lates.length > 0 ? Math.max(...lates) : await mainLate);
    const endEpochMs = (this.endEpochMs = performance.timeOrigin + performance.now());
    ts.settle(n, () => true, true, endEpochMs);
    // As k6: vus and vus_max are sampled while the test runs, so the summary shows the last running
    // value (not the 0 left once every VU has stopped); a test shorter than a tick gets one sample.
    if (!this.agg.find('vus')) this.recordVus();

    let teardownError: VolleyError | undefined;
    if (this.killedByUser) {
      this.warnings.push('teardown() was skipped: the workers were killed (second Ctrl-C)');
    } else {
      // teardown() runs in worker 0; if it was stopped (stuck), in a fresh one.
      if (pool.isKilled(0)) await pool.waitFor('ready', 0, () => pool.respawn(0), hookTimeout('teardown', options.teardownTimeoutMs));
      const td = await pool.waitFor('teardown-done', 0, () => pool.send(0, { t: 'teardown', setupData: setup.data }), hookTimeout('teardown', options.teardownTimeoutMs));
      if (td.error && this.killedByUser) this.warnings.push('teardown() was interrupted: the workers were killed (second Ctrl-C)');
      else if (td.error) teardownError = hookError('teardown', td.error);
    }
    await pool.exit();
    const extra = this.events.mainMetrics?.({ timeSeries: ts, startEpochMs: this.startEpochMs, endEpochMs, submetrics });
    if (extra) this.agg.merge(extra);
    for (const w of runFindings(this.agg, options.scenarios, (name) => this.scenarioStatus(name), this.plan.catalog.headline)) this.warnings.push(w);
    // A level (calls in flight…) is a gauge per worker thread: judged on its per-second sums, as the summary shows it.
    const levels = ts.levels();
    const finalReader = (k: string): StatReader | undefined => {
      const col = levels[k];
      const f = col && levelFigures(col);
      return f ? { type: 'gauge', get: (s) => (s === 'value' ? f.value : s === 'min' ? f.min : s === 'max' ? f.max : undefined), percentile: () => undefined } : this.reader(k);
    };
    const final = this.thresholdSet.evaluate(finalReader, endEpochMs - this.startEpochMs, {
      final: true,
      failWithoutSamples: !options.thresholdsPassWithoutSamples,
      series: (key) => {
        // drift thresholds: a trend's p95 column, else the metric's own column (rates, counters, monitors).
        const type = this.agg.metricTypes.get(key)?.type;
        const v = ts.series[type === 'trend' ? `${key}.p95` : key];
        return v ? { t: ts.t, v } : undefined;
      },
    });
    return {
      aggregator: this.agg,
      timeSeries: ts,
      thresholds: final,
      thresholdSet: this.thresholdSet,
      startEpochMs: this.startEpochMs,
      endEpochMs,
      aborted: this.aborted,
      exceptions: this.exceptions.list(),
      scenarioStatus: Object.fromEntries(options.scenarios.map((sc) => [sc.name, this.scenarioStatus(sc.name)])),
      warnings: this.warnings,
      health: this.health.summary,
      teardownError,
      startSkewMs: startSkewMs === undefined ? undefined : Math.round(startSkewMs * 1000) / 1000,
    };
  }

  /** A StatReader over the aggregate of a threshold key (metric or sub-metric). */
  reader(key: string): StatReader | undefined {
    const { metric: name, filter } = selectorParts(key);
    const isSub = filter !== '';
    const a = isSub ? this.agg.find(name, 'sub', key) : this.agg.find(name);
    if (a) return { type: a.type, get: (s) => a.sink.get(s), percentile: (p) => a.sink.percentile(p) };
    // No samples: the type from what workers declared, or from the protocols' catalog.
    const t = this.agg.metricTypes.get(name) ?? this.plan.catalog.metrics.find((m) => m.name === name);
    return t ? { type: t.type, get: () => undefined, percentile: () => undefined } : undefined;
  }

  /** One scenario's status summed over the workers. */
  private scenarioStatus(name: string): ScenarioStatus {
    const out: ScenarioStatus = { active: 0, allocated: 0, progress: this.status.size === 0 ? 0 : 1, done: true, interrupted: 0 };
    for (const rec of this.status.values()) {
      const s = rec[name];
      if (!s) continue;
      out.active += s.active;
      out.allocated += s.allocated;
      out.interrupted! += s.interrupted ?? 0;
      out.progress = Math.min(out.progress, s.progress);
      out.done &&= s.done;
    }
    return out;
  }

  private tick(plannedMs: number): void {
    const pool = this.pool;
    if (pool) {
      this.ts?.settle(pool.size, (w) => pool.isDone(w));
      if (this.ts) this.thresholdSet.closeBuckets(this.ts.t.length);
      // A worker that stops reporting is stuck in JavaScript that never yields: say so while it lasts.
      for (let i = 0; i < pool.size; i++) {
        if (pool.isDone(i) || this.silentWarned.has(i) || pool.silentMs(i) < SILENT_WARN_MS) continue;
        this.silentWarned.add(i);
        this.events.onWarning?.(`worker ${i} has not reported for ${(pool.silentMs(i) / 1000).toFixed(0)} s: an iteration does not return to the event loop (a synchronous loop in the script?); it will be stopped at the end of gracefulStop`);
      }
    }
    this.recordVus();
    const elapsed = this.elapsedMs();
    if (this.thresholdSet.size > 0) {
      this.lastEval = this.thresholdSet.evaluate((k) => this.reader(k), elapsed);
      const abort = this.lastEval.find((e) => e.shouldAbort);
      if (abort && !this.aborted) {
        this.stop({ by: 'threshold', reason: `threshold "${abort.expr}" on ${abort.metric} failed (value ${abort.value ?? 'n/a'})`, exitCode: ExitCode.ThresholdsHaveFailed });
      }
    }
    if (!this.events.onTick) return;
    this.events.onTick(this.liveSnapshot(elapsed, plannedMs));
  }

  /** The run as the progress line and live readers see it each second. */
  liveSnapshot(elapsedMs = this.elapsedMs(), plannedMs = testMaxDurationMs(this.plan.options.scenarios, false)): LiveSnapshot {
    const last = this.ts?.last;
    const h = this.plan.catalog.headline;
    const scenarios: LiveSnapshot['scenarios'] = this.plan.options.scenarios.map((sc) => ({
      name: sc.name,
      executor: sc.executor,
      ...this.scenarioStatus(sc.name),
      iterations: this.agg.find('iterations', 'scenario', sc.name)?.sink.get('count') ?? 0,
    }));
    return {
      elapsedMs,
      plannedMs,
      vus: scenarios.reduce((a, s) => a + s.active, 0),
      vusMax: scenarios.reduce((a, s) => a + s.allocated, 0),
      iterations: this.agg.find('iterations')?.sink.get('count') ?? 0,
      rps: headline(last, h.throughput),
      p95: headline(last, h.latency && `${h.latency}.p95`),
      errorRate: headline(last, h.errors),
      scenarios,
      failedThresholds: this.lastEval.filter((e) => !e.ok).length,
      eventLoopDelayP99Ms: this.health.last.eventLoopDelayP99Ms,
      cpuPercent: this.health.last.cpuPercent,
    };
  }

  /** vus / vus_max gauges from the workers' latest status (k6 samples them periodically too). */
  private recordVus(): void {
    let vus = 0;
    let max = 0;
    for (const rec of this.status.values()) {
      for (const s of Object.values(rec)) {
        vus += s.active;
        max += s.allocated;
      }
    }
    const t = performance.timeOrigin + performance.now();
    const g = (v: number): SinkDelta => ({ k: 'g', last: v, min: v, max: v, t });
    this.agg.merge([
      { metric: 'vus', part: 'total', key: '', delta: g(vus), type: 'gauge', contains: 'default' },
      { metric: 'vus_max', part: 'total', key: '', delta: g(max), type: 'gauge', contains: 'default' },
    ]);
  }

  private onMessage(i: number, m: FromWorker): void {
    switch (m.t) {
      case 'metrics':
        this.onMetrics(i, m);
        break;
      case 'abort':
        this.stop({ by: 'script', reason: m.reason, exitCode: ExitCode.ScriptAborted });
        break;
      case 'fatal':
        this.fatal?.(hookError('init', m.error));
        break;
    }
  }

  private onMetrics(i: number, m: MetricsMessage): void {
    for (const d of m.declared) this.agg.declare(d.name, d.type, d.contains);
    for (const w of m.warnings) {
      // Every worker may say the same: once is enough.
      if (this.warnings.includes(w)) continue;
      this.warnings.push(w);
      this.events.onWarning?.(w);
    }
    // Levels (llm_in_flight…) as the sum over workers; the time series sums them per second itself.
    const entries = this.levelSums.sum(i, m.entries);
    this.agg.merge(entries);
    if (Object.keys(m.scenarios).length > 0) this.status.set(i, m.scenarios);
    if (m.bucket >= 0) this.thresholdSet.addBucket(m.bucket, entries);
    if (m.bucket >= 0 && this.ts) {
      let vus = 0;
      for (const s of Object.values(m.scenarios)) vus += s.active;
      this.ts.add(m.bucket, i, m.entries, vus, m.health ? { 'volley_event_loop_delay.p99': m.health.eventLoopDelayP99Ms, volley_cpu: m.health.cpuPercent } : undefined);
      if (m.health) this.health.record(m.health, m.bucket, i);
    }
    for (const e of m.exceptions) {
      const first = this.exceptions.add(e, e.count);
      if (first !== undefined) this.events.onException?.(first);
    }
    if (m.samples && m.metricNames && this.events.onSamples) {
      try {
        this.events.onSamples(m.samples, m.metricNames, i);
      } catch (e) {
        this.events.onWarning?.(`an output failed to take samples: ${(e as Error)?.message ?? String(e)}`);
      }
    }
  }

  /**
   * Values measured in the main thread during the run (monitors of the system under test): each
   * becomes a gauge metric (thresholds see it at once), a time-series column of the current
   * second, and data for windowed thresholds. Ignored before the start and after the end.
   */
  recordGauges(values: Readonly<Record<string, number>>, tEpochMs: number): void {
    if (this.startEpochMs === 0 || this.endEpochMs !== 0 || !this.ts) return;
    const bucket = Math.floor((tEpochMs - this.startEpochMs) / 1000);
    if (bucket < 0) return;
    const entries: TypedDelta[] = [];
    for (const [metric, v] of Object.entries(values)) {
      entries.push({ metric, part: 'total', key: '', delta: { k: 'g', last: v, min: v, max: v, t: tEpochMs }, type: 'gauge', contains: /_bytes$/.test(metric) ? 'data' : 'default' });
    }
    this.agg.merge(entries);
    this.thresholdSet.addBucket(bucket, entries);
    // As a pseudo-worker past the real ones: the time series keeps the largest value of the second.
    this.ts.add(bucket, this.plan.workers, [], 0, values as Record<string, number>);
  }

  /** The latest threshold verdicts (evaluated every second during the run). */
  get thresholdEvals(): readonly ThresholdEval[] {
    return this.lastEval;
  }

  /** The last complete per-second row of the time series, and its start (epoch ms). */
  get lastRow(): { timeMs: number; row: Record<string, number | null> } | undefined {
    const ts = this.ts;
    if (!ts?.last) return undefined;
    return { timeMs: ts.t[ts.t.length - 1]!, row: ts.last };
  }

  /** Epoch ms when the test started (0 before). */
  get startTimeMs(): number {
    return this.startEpochMs;
  }

  /** The whole-test aggregates so far (for a summary of an interrupted run). */
  get aggregator(): Aggregator {
    return this.agg;
  }
}

/** How long past its deadline (the end of gracefulStop, or a stop) a worker may take to finish before it is stopped from outside. */
const STUCK_GRACE_MS = 2000;
/** After a Ctrl-C before the start, how long script loading and setup may still take before the run ends without a test. */
const PRESTART_STOP_GRACE_MS = 5000;
/** Silence (no per-second report) after which a running worker is said to be stuck. */
const SILENT_WARN_MS = 3000;

/** setup/teardown deadline in the main thread: the worker enforces the option itself; this is the backstop. */
function hookTimeout(hook: 'setup' | 'teardown', ms: number): { ms: number; error: () => Error } {
  return {
    ms: ms + 5000,
    error: () =>
      new VolleyError(`E_${hook.toUpperCase()}_TIMEOUT`, `${hook}() did not finish within ${ms / 1000}s`, {
        hint: `raise options.${hook}Timeout or make ${hook}() faster`,
        exitCode: hook === 'setup' ? ExitCode.SetupTimeout : ExitCode.TeardownTimeout,
      }),
  };
}

function hookError(hook: 'init' | 'setup' | 'teardown', e: WorkerError): VolleyError {
  // A VolleyError (the hook's own timeout included) keeps its code, hint and exit code.
  if (isVolleyError(e)) return VolleyError.fromJSON(e);
  const loc = 'location' in e && e.location ? `\n    at ${e.location}` : '';
  return new VolleyError(`E_SCRIPT_${hook.toUpperCase()}`, `${hook === 'init' ? 'the script failed to start' : `${hook}() threw`}: ${e.message}${loc}`, {
    exitCode: ExitCode.ScriptException,
  });
}

/** A column of the last time-series row, for the live headline (null: no such column or no data). */
function headline(row: Record<string, number | null> | undefined, column: string | undefined): number | null {
  return row !== undefined && column !== undefined ? (row[column] ?? null) : null;
}
