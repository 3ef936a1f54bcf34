import { Worker } from 'node:worker_threads';
import { ExitCode, VolleyError, isVolleyError } from '../errors/index.js';
import { Aggregator } from '../metrics/aggregator.js';
import { TrendSink, type SinkDelta } from '../metrics/sinks.js';
import type { RawSamples, SubmetricDef } from '../metrics/store.js';
import { TimeSeriesBuilder } from '../metrics/timeseries.js';
import { parseMetricSelector, ThresholdSet, type StatReader, type ThresholdEval } from '../metrics/thresholds/index.js';
import type { ResolvedOptions } from '../config/types.js';
import type { ScriptException } from '../vu/iteration.js';
import type { FromWorker, MetricsMessage, ScenarioStatus, ToWorker, WorkerError, WorkerInit } from './protocol.js';
import { testMaxDurationMs } from '../config/describe.js';

const WORKER_URL = new URL('./worker-entry.js', import.meta.url);

export interface RunPlan {
  bundleUrl: string;
  scriptPath: string;
  options: ResolvedOptions;
  workers: number;
  /** Stream raw samples to `onSamples` (for --out outputs). */
  collectSamples: boolean;
}

/** What a live display needs, once per second. */
export interface LiveSnapshot {
  elapsedMs: number;
  plannedMs: number;
  vus: number;
  vusMax: number;
  iterations: number;
  /** Last second's values (null when no data). */
  rps: number | null;
  p95: number | null;
  errorRate: number | null;
  scenarios: Array<{ name: string; executor: string } & ScenarioStatus & { iterations: number }>;
  failedThresholds: number;
  eventLoopDelayP99Ms: number;
  cpuPercent: number;
}

export interface RunEvents {
  onTick?(s: LiveSnapshot): void;
  onSamples?(samples: RawSamples, metricNames: string[], worker: number): void;
  /** First occurrence of each distinct script exception. */
  onException?(e: ScriptException): void;
  onWarning?(message: string): void;
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
  exceptions: Array<ScriptException & { count: number }>;
  scenarioStatus: Record<string, ScenarioStatus>;
  warnings: string[];
  health: { eventLoopDelayP99MaxMs: number; cpuPercentMax: number; saturatedSeconds: number };
  teardownError: VolleyError | undefined;
}

/** Event-loop delay above which a worker's timing is suspect (its own work delays response handling). */
const SATURATION_DELAY_MS = 50;

/**
 * The main-thread side of a run: spawns the workers, runs setup, starts and stops them, merges
 * their metrics, evaluates thresholds every second (abortOnFail), runs teardown.
 */
export class Controller {
  private readonly workers: Worker[] = [];
  private readonly agg: Aggregator;
  private ts!: TimeSeriesBuilder;
  private readonly thresholdSet: ThresholdSet;
  private readonly status = new Map<number, Record<string, ScenarioStatus>>();
  private readonly exceptions = new Map<string, ScriptException & { count: number }>();
  private readonly warnings: string[] = [];
  private readonly waiters = new Map<string, Array<{ resolve: (m: FromWorker) => void; index: number }>>();
  private readonly live = new Set<number>();
  private startEpochMs = 0;
  private running = false;
  private aborted: AbortInfo | undefined;
  private fatal: ((e: unknown) => void) | undefined;
  private readonly health = { eventLoopDelayP99MaxMs: 0, cpuPercentMax: 0, saturatedSeconds: 0 };
  private lastHealth = { eventLoopDelayP99Ms: 0, cpuPercent: 0 };
  private saturationWarned = false;
  private lastEval: ThresholdEval[] = [];

  constructor(
    private readonly plan: RunPlan,
    private readonly events: RunEvents = {},
  ) {
    this.agg = new Aggregator(() => this.elapsedMs());
    this.thresholdSet = new ThresholdSet(plan.options.noThresholds ? {} : plan.options.thresholds);
  }

  private elapsedMs(): number {
    return this.startEpochMs === 0 ? 0 : Math.max(0, performance.timeOrigin + performance.now() - this.startEpochMs);
  }

  /** Stops the run as soon as possible (in-flight iterations are interrupted); teardown and summary still happen. */
  stop(info: AbortInfo): void {
    if (this.aborted) return;
    this.aborted = info;
    for (const w of this.workers) w.postMessage({ t: 'stop' } satisfies ToWorker);
  }

  /** Kills the workers at once (second Ctrl-C). */
  async kill(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.terminate()));
  }

  async run(): Promise<RunResult> {
    const fatal = new Promise<never>((_, reject) => {
      this.fatal = reject;
    });
    fatal.catch(() => {});
    try {
      return await Promise.race([this.runInner(), fatal]);
    } finally {
      await Promise.allSettled(this.workers.map((w) => w.terminate()));
    }
  }

  private async runInner(): Promise<RunResult> {
    const { options } = this.plan;
    const submetrics: SubmetricDef[] = this.thresholdSet.keys
      .map((key) => ({ key, ...parseMetricSelector(key) }))
      .filter((s) => Object.keys(s.tags).length > 0);
    const n = this.plan.workers;
    for (let i = 0; i < n; i++) {
      const init: WorkerInit = {
        bundleUrl: this.plan.bundleUrl,
        scriptPath: this.plan.scriptPath,
        options,
        segment: { index: i, count: n },
        submetrics,
        collectSamples: this.plan.collectSamples,
      };
      const w = new Worker(WORKER_URL, { workerData: init, stdout: false, stderr: false });
      w.on('message', (m: FromWorker) => this.onMessage(i, m));
      w.on('error', (e) => this.fatal?.(e));
      w.on('exit', (code) => {
        if (this.live.has(i) && code !== 0) this.fatal?.(new Error(`worker ${i} exited with code ${code}`));
      });
      this.workers.push(w);
      this.live.add(i);
    }
    await Promise.all(this.workers.map((_, i) => this.waitFor('ready', i)));

    // setup() runs once, in worker 0.
    const setup = (await this.waitFor('setup-done', 0, () => this.send(0, { t: 'setup' }), options.setupTimeoutMs + 5000)) as Extract<FromWorker, { t: 'setup-done' }>;
    if (setup.error) throw hookError('setup', setup.error);

    // Start everyone at the same wall-clock instant, shortly from now.
    this.startEpochMs = Math.ceil(performance.timeOrigin + performance.now() + 50);
    this.ts = new TimeSeriesBuilder(this.startEpochMs);
    this.running = true;
    const plannedMs = testMaxDurationMs(options.scenarios, false);
    const done = Promise.all(this.workers.map((_, i) => this.waitFor('done', i)));
    for (let i = 0; i < n; i++) this.send(i, { t: 'start', startEpochMs: this.startEpochMs, setupData: setup.data });
    // Ticks land 100 ms after each whole second of the test, once the workers' per-second deltas are in.
    let timer: NodeJS.Timeout | undefined;
    const schedule = (k: number): void => {
      const at = this.startEpochMs + k * 1000 + 100 - (performance.timeOrigin + performance.now());
      timer = setTimeout(() => {
        this.tick(plannedMs);
        schedule(k + 1);
      }, Math.max(0, at));
    };
    schedule(1);
    try {
      await done;
    } finally {
      clearTimeout(timer);
      this.running = false;
    }
    const endEpochMs = performance.timeOrigin + performance.now();
    this.ts.settle(n, true);
    this.recordVus();

    let teardownError: VolleyError | undefined;
    const td = (await this.waitFor('teardown-done', 0, () => this.send(0, { t: 'teardown', setupData: setup.data }), options.teardownTimeoutMs + 5000)) as Extract<FromWorker, { t: 'teardown-done' }>;
    if (td.error) teardownError = hookError('teardown', td.error);
    for (let i = 0; i < n; i++) {
      this.live.delete(i);
      this.send(i, { t: 'exit' });
    }
    const elapsed = endEpochMs - this.startEpochMs;
    const final = this.thresholdSet.evaluate((k) => this.reader(k), elapsed, { final: true });
    const scenarioStatus: Record<string, ScenarioStatus> = {};
    for (const rec of this.status.values()) {
      for (const [name, s] of Object.entries(rec)) {
        const cur = scenarioStatus[name];
        scenarioStatus[name] = cur
          ? { active: cur.active + s.active, allocated: cur.allocated + s.allocated, progress: Math.min(cur.progress, s.progress), done: cur.done && s.done }
          : { ...s };
      }
    }
    return {
      aggregator: this.agg,
      timeSeries: this.ts,
      thresholds: final,
      thresholdSet: this.thresholdSet,
      startEpochMs: this.startEpochMs,
      endEpochMs,
      aborted: this.aborted,
      exceptions: [...this.exceptions.values()],
      scenarioStatus,
      warnings: this.warnings,
      health: this.health,
      teardownError,
    };
  }

  /** A StatReader over the aggregate of a threshold key (metric or sub-metric). */
  reader(key: string): StatReader | undefined {
    const isSub = key.includes('{');
    const name = isSub ? key.slice(0, key.indexOf('{')) : key;
    const a = isSub ? this.agg.find(name, 'sub', key) : this.agg.find(name);
    if (a) return { type: a.type, get: (s) => a.sink.get(s), percentile: (p) => a.sink.percentile(p) };
    const t = this.agg.metricTypes.get(name);
    return t ? { type: t.type, get: () => undefined, percentile: () => undefined } : undefined;
  }

  private tick(plannedMs: number): void {
    this.ts.settle(this.live.size);
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
    const last = this.ts.last;
    const scenarios: LiveSnapshot['scenarios'] = this.plan.options.scenarios.map((sc) => {
      let active = 0;
      let allocated = 0;
      let progress = 1;
      let done = true;
      for (const rec of this.status.values()) {
        const s = rec[sc.name];
        if (!s) continue;
        active += s.active;
        allocated += s.allocated;
        progress = Math.min(progress, s.progress);
        done &&= s.done;
      }
      if (this.status.size === 0) progress = 0;
      const it = this.agg.find('iterations', 'scenario', sc.name);
      return { name: sc.name, executor: sc.executor, active, allocated, progress, done, iterations: it?.sink.get('count') ?? 0 };
    });
    this.events.onTick({
      elapsedMs: elapsed,
      plannedMs,
      vus: scenarios.reduce((a, s) => a + s.active, 0),
      vusMax: scenarios.reduce((a, s) => a + s.allocated, 0),
      iterations: this.agg.find('iterations')?.sink.get('count') ?? 0,
      rps: last ? (last.http_reqs ?? null) : null,
      p95: last ? (last['http_req_duration.p95'] ?? null) : null,
      errorRate: last ? (last.http_req_failed ?? null) : null,
      scenarios,
      failedThresholds: this.lastEval.filter((e) => !e.ok).length,
      eventLoopDelayP99Ms: this.lastHealth.eventLoopDelayP99Ms,
      cpuPercent: this.lastHealth.cpuPercent,
    });
  }

  /** vus / vus_max gauges from the workers' latest status. */
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
      case 'done':
        this.live.delete(i);
        break;
    }
    const ws = this.waiters.get(m.t);
    if (ws) {
      const k = ws.findIndex((w) => w.index === i);
      if (k >= 0) ws.splice(k, 1)[0]!.resolve(m);
    }
  }

  private onMetrics(i: number, m: MetricsMessage): void {
    this.agg.merge(m.entries);
    if (Object.keys(m.scenarios).length > 0) this.status.set(i, m.scenarios);
    if (m.bucket >= 0 && this.ts) {
      let vus = 0;
      for (const s of Object.values(m.scenarios)) vus += s.active;
      this.ts.add(m.bucket, m.entries, vus, m.health ? { 'volley_event_loop_delay.p99': m.health.eventLoopDelayP99Ms, volley_cpu: m.health.cpuPercent } : undefined);
      if (m.health) this.onHealth(m.health);
    }
    for (const e of m.exceptions) {
      const key = `${e.message}\u0000${e.location ?? ''}`;
      const cur = this.exceptions.get(key);
      if (cur) cur.count += e.count;
      else {
        this.exceptions.set(key, { ...e });
        this.events.onException?.(e);
      }
    }
    if (m.samples && m.metricNames && this.events.onSamples) this.events.onSamples(m.samples, m.metricNames, i);
  }

  private onHealth(h: NonNullable<MetricsMessage['health']>): void {
    this.lastHealth = h;
    // The generator's own health as metrics: each worker-second's event-loop delay p99 and CPU.
    const lag = new TrendSink();
    lag.add(h.eventLoopDelayP99Ms);
    const t = performance.timeOrigin + performance.now();
    this.agg.merge([
      { metric: 'volley_event_loop_delay', part: 'total', key: '', delta: lag.drain(), type: 'trend', contains: 'time' },
      { metric: 'volley_cpu', part: 'total', key: '', delta: { k: 'g', last: h.cpuPercent, min: h.cpuPercent, max: h.cpuPercent, t }, type: 'gauge', contains: 'default' },
    ]);
    this.health.eventLoopDelayP99MaxMs = Math.max(this.health.eventLoopDelayP99MaxMs, h.eventLoopDelayP99Ms);
    this.health.cpuPercentMax = Math.max(this.health.cpuPercentMax, h.cpuPercent);
    if (h.eventLoopDelayP99Ms > SATURATION_DELAY_MS || h.cpuPercent > 95) {
      this.health.saturatedSeconds++;
      if (!this.saturationWarned) {
        this.saturationWarned = true;
        const w = `the load generator is saturated (event-loop delay p99 ${h.eventLoopDelayP99Ms.toFixed(0)} ms, CPU ${h.cpuPercent.toFixed(0)}% of a core): latencies include Volley's own delay; use more workers (--workers) or fewer VUs`;
        this.warnings.push(w);
        this.events.onWarning?.(w);
      }
    }
  }

  private send(i: number, m: ToWorker): void {
    this.workers[i]!.postMessage(m);
  }

  /** Resolves with the next message of type `t` from worker `index` (registers before `then` runs). */
  private waitFor(t: FromWorker['t'], index: number, then?: () => void, timeoutMs?: number): Promise<FromWorker> {
    const p = new Promise<FromWorker>((resolve, reject) => {
      const list = this.waiters.get(t) ?? [];
      let timer: NodeJS.Timeout | undefined;
      list.push({
        index,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
      this.waiters.set(t, list);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const hook = t === 'setup-done' ? 'setup' : 'teardown';
          reject(
            new VolleyError(`E_${hook.toUpperCase()}_TIMEOUT`, `${hook}() did not finish within ${(timeoutMs - 5000) / 1000}s`, {
              hint: `raise options.${hook}Timeout or make ${hook}() faster`,
              exitCode: hook === 'setup' ? ExitCode.SetupTimeout : ExitCode.TeardownTimeout,
            }),
          );
        }, timeoutMs);
      }
    });
    then?.();
    return p;
  }

  /** The latest threshold verdicts (evaluated every second during the run). */
  get thresholdEvals(): readonly ThresholdEval[] {
    return this.lastEval;
  }

  /** The last complete per-second row of the time series, and its start (epoch ms). */
  get lastRow(): { timeMs: number; row: Record<string, number | null> } | undefined {
    if (!this.ts?.last) return undefined;
    return { timeMs: this.ts.t[this.ts.t.length - 1]!, row: this.ts.last };
  }

  /** Epoch ms when the test started (0 before). */
  get startTimeMs(): number {
    return this.startEpochMs;
  }

  /** The whole-test aggregates so far (for a summary of an interrupted run). */
  get aggregator(): Aggregator {
    return this.agg;
  }

  /** Is the test currently running (between start and the last worker's 'done')? */
  get isRunning(): boolean {
    return this.running;
  }
}

function hookError(hook: 'init' | 'setup' | 'teardown', e: WorkerError): VolleyError {
  if (isVolleyError(e)) return new VolleyError(e.code, e.message, { hint: e.hint, exitCode: e.exitCode });
  const code = (e as { code?: string }).code;
  if (code === 'E_SETUP_TIMEOUT' || code === 'E_TEARDOWN_TIMEOUT' || /did not finish within/.test(e.message)) {
    return new VolleyError(hook === 'setup' ? 'E_SETUP_TIMEOUT' : 'E_TEARDOWN_TIMEOUT', e.message, {
      hint: `raise options.${hook}Timeout or make ${hook}() faster`,
      exitCode: hook === 'setup' ? ExitCode.SetupTimeout : ExitCode.TeardownTimeout,
    });
  }
  const loc = 'location' in e && e.location ? `\n    at ${e.location}` : '';
  return new VolleyError(`E_SCRIPT_${hook.toUpperCase()}`, `${hook === 'init' ? 'the script failed to start' : `${hook}() threw`}: ${e.message}${loc}`, {
    exitCode: ExitCode.ScriptException,
  });
}
