/**
 * Worker-thread entry: loads the script, runs this worker's share of every scenario, and streams
 * metric deltas to the main thread once per second. See protocol.ts for the message sequence.
 */
import { dirname } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ExitCode, isVolleyError, VolleyError } from '../errors/index.js';
import { MetricStore } from '../metrics/store.js';
import { CARDINALITY_WARN_TAG_SETS } from '../metrics/tags.js';
import { PhaseTagRecorder } from '../metrics/phase-tag.js';
import { importScript, type ScriptModule } from '../script/load.js';
import { installGlobals } from '../script/globals.js';
import { describeException } from '../script/exceptions.js';
import { vuStorage, type ScenarioInfo } from '../vu/context.js';
import { ExceptionGroups, MAX_GROUPS_PER_FLUSH } from '../errors/exception-groups.js';
import { IterationRunner } from '../vu/iteration.js';
import { instanceHooks } from '../vu/instance.js';
import { threadBuiltins, threadRegistry } from '../vu/thread.js';
import { Vu, type VuShared } from '../vu/vu.js';
import { sleepUntil } from './clock.js';
import { firstVuId } from './vu-ids.js';
import { createExecutor, type Executor } from './executors/index.js';
import type { FromWorker, MetricsMessage, ScenarioStatus, ToWorker, TypedDelta, WorkerError, WorkerInit } from './protocol.js';
import type { ScenarioConfig } from '../config/types.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (m: FromWorker): void => port.postMessage(m);

process.setSourceMapsEnabled(true);
const scriptDir = dirname(init.scriptPath);
installGlobals(init.options.env, scriptDir);

const store = new MetricStore(threadRegistry, init.submetrics, { collectSamples: init.collectSamples, breakdowns: init.breakdowns });
// With faults on the timeline, every sample carries `fault` (the active fault's name, or none);
// without, VUs record into the store directly (no wrapper on the hot path).
const faultTag =
  init.options.faults.length > 0 ? new PhaseTagRecorder(store, 'fault', init.options.faults.map((f) => ({ fromMs: f.startMs, toMs: f.startMs + f.durationMs, value: f.name }))) : undefined;
const shared: VuShared = {
  recorder: faultTag ?? store,
  metrics: threadBuiltins,
  registry: threadRegistry,
  scriptDir,
  options: init.options,
};
const stopCtl = new AbortController();
const executors: Array<{ name: string; ex: Executor; runner: IterationRunner }> = [];
const runners: IterationRunner[] = [];
/** Script exceptions since the last flush, by kind (bounded: see exception-groups.ts). */
const exceptions = new ExceptionGroups(MAX_GROUPS_PER_FLUSH);
let script: ScriptModule;
let startLocalMs = 0;
let nextVuOrdinal = 0;
/** Metrics of the thread registry already announced to the main thread (see flush). */
let declaredSent = 0;
let cardinalityWarned = false;
/** Sampling period of the event-loop delay monitor (ms); its readings include this period. */
const ELD_RESOLUTION_MS = 10;
const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
let elu = performance.eventLoopUtilization();

function toError(e: unknown): WorkerError {
  if (isVolleyError(e)) return { volleyError: true, code: e.code, message: e.message, hint: e.hint, exitCode: e.exitCode };
  const d = describeException(e);
  return { code: d.code, message: d.message, stack: d.stack, location: d.location };
}

function onException(e: unknown): void {
  // exec.test.abort() unwinds its iteration with this error: the abort itself is the report.
  if ((e as { code?: unknown } | null)?.code === 'E_TEST_ABORTED') return;
  exceptions.add(describeException(e));
}

/** VU ids: this worker's contiguous block (see firstVuId), so ids run 1..N across the test. */
const vuIdBase = firstVuId(init.options.scenarios, init.segment);
function nextVuId(): number {
  return vuIdBase + nextVuOrdinal++;
}

function baseTagsFor(s: { name: string; tags: Record<string, string> } | undefined, group = '') {
  return store.tagSets.of({ ...init.options.tags, ...(s ? { scenario: s.name, ...s.tags } : {}), group });
}

function scenarioInfo(s: ScenarioConfig): ScenarioInfo {
  return { name: s.name, executor: s.executor, startTime: 0, iterationInInstance: 0, iterationInTest: 0, progress: 0 };
}

/**
 * A VU's view of its scenario: its own iteration counters (arrival-rate executors set
 * iterationInTest per VU), the rest read from the scenario. A class with a prototype getter for
 * `progress` rather than a copied object plus an accessor pair and a getter closure per VU.
 */
class VuScenario implements ScenarioInfo {
  readonly name: string;
  readonly executor: string;
  startTime: number;
  iterationInInstance: number;
  iterationInTest: number;
  constructor(
    info: ScenarioInfo,
    private readonly ex: { progress(): number },
  ) {
    this.name = info.name;
    this.executor = info.executor;
    this.startTime = info.startTime;
    this.iterationInInstance = info.iterationInInstance;
    this.iterationInTest = info.iterationInTest;
  }
  get progress(): number {
    return this.ex.progress();
  }
}

async function runHook(name: 'setup' | 'teardown', data: unknown, timeoutMs: number): Promise<unknown> {
  const fn = script.functions[name];
  if (!fn) return undefined;
  const vu = new Vu(0, { ...scenarioInfo({ name, executor: name } as unknown as ScenarioConfig) }, init.options.env, baseTagsFor(undefined, `::${name}`), shared);
  vu.group = `::${name}`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      vu.interrupt();
      reject(
        new VolleyError(name === 'setup' ? 'E_SETUP_TIMEOUT' : 'E_TEARDOWN_TIMEOUT', `${name}() did not finish within ${timeoutMs / 1000}s`, {
          hint: `raise options.${name}Timeout or make ${name}() faster`,
          exitCode: name === 'setup' ? ExitCode.SetupTimeout : ExitCode.TeardownTimeout,
        }),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([vuStorage.run(vu, fn, data), timeout]);
  } finally {
    clearTimeout(timer);
    await vu.close();
  }
}

/** Sends this worker's deltas since the last flush (0.3–0.8 ms here with the range-limited HDR scan). */
function flush(bucket: number, partial = false): void {
  const entries: TypedDelta[] = store.drain().map((e) => {
    const m = threadRegistry.get(e.metric)!;
    return { ...e, type: m.type, contains: m.contains };
  });
  // Metrics defined since the last flush, sampled or not: a threshold on one that never got a
  // sample must know its type (an empty counter is 0; an empty trend fails, see threshold-set.ts).
  const all = threadRegistry.all();
  const declared: MetricsMessage['declared'] = [];
  for (; declaredSent < all.length; declaredSent++) {
    const m = all[declaredSent]!;
    declared.push({ name: m.name, type: m.type, contains: m.contains });
  }
  const warnings: string[] = [];
  if (!cardinalityWarned && store.tagSets.size >= CARDINALITY_WARN_TAG_SETS) {
    cardinalityWarned = true;
    const v = store.tagSets.mostVaried();
    if (v !== undefined) {
      warnings.push(
        `the tag "${v.tag}" has too many distinct values (over ${CARDINALITY_WARN_TAG_SETS.toLocaleString('en-US')} tag sets in a worker): memory grows with each new one` +
          (v.tag === 'url' || v.tag === 'name' ? `; give the requests a name tag (http.get(url, { tags: { name: '/item/:id' } }) or http.url\`…\`) so that they group` : '; use values from a small set (no ids) for tags'),
      );
    }
  }
  const scenarios: Record<string, ScenarioStatus> = {};
  for (const { name, ex, runner } of executors) scenarios[name] = { active: ex.active, allocated: ex.allocated, progress: ex.progress(), done: ex.done, interrupted: runner.interrupted };
  const now = performance.eventLoopUtilization();
  const d = performance.eventLoopUtilization(now, elu);
  elu = now;
  const health = {
    eventLoopDelayP99Ms: eld.count > 0 ? Math.max(0, eld.percentile(99) / 1e6 - ELD_RESOLUTION_MS) : 0,
    eventLoopDelayMaxMs: eld.count > 0 ? Math.max(0, eld.max / 1e6 - ELD_RESOLUTION_MS) : 0,
    cpuPercent: d.utilization * 100,
  };
  eld.reset();
  const samples = store.drainSamples();
  const msg: MetricsMessage = {
    t: 'metrics',
    bucket,
    entries,
    declared,
    warnings,
    samples,
    metricNames: samples ? threadRegistry.all().map((m) => m.name) : undefined,
    scenarios,
    exceptions: exceptions.list(),
    health: partial ? undefined : health,
  };
  exceptions.clear();
  post(msg);
}

async function run(startEpochMs: number, setupData: string | undefined): Promise<void> {
  startLocalMs = startEpochMs - performance.timeOrigin;
  faultTag?.start(startEpochMs);
  // How late this thread woke up at the start instant (the start skew of --start-at). Registered
  // before the executors' timers for the same instant, so it runs first.
  let startLateMs: number | undefined;
  void sleepUntil(startLocalMs, stopCtl.signal).then(() => (startLateMs = performance.now() - startLocalMs));
  elu = performance.eventLoopUtilization();
  const data = setupData === undefined ? undefined : JSON.parse(setupData);
  for (const sc of init.options.scenarios) {
    const fn = script.functions[sc.exec]!;
    const runner = new IterationRunner(fn as (d: unknown) => unknown, data, onException, init.options.minIterationDurationMs);
    runners.push(runner);
    const env = { ...init.options.env, ...sc.env };
    const base = baseTagsFor(sc);
    const droppedTags = base;
    let ex: Executor;
    const info = scenarioInfo(sc);
    info.startTime = startEpochMs + sc.startTimeMs;
    ex = createExecutor(sc, {
      segment: init.segment,
      runnerSegment: init.runnerSegment,
      workerIndex: init.workerIndex,
      workerCount: init.workerCount,
      testStartMs: startLocalMs,
      runner,
      newVu: (id?: number) => new Vu(id ?? nextVuId(), new VuScenario(info, ex), env, base, shared),
      dropped: (n) => shared.recorder.add(threadBuiltins.dropped_iterations, n, droppedTags),
      stopSignal: stopCtl.signal,
    });
    executors.push({ name: sc.name, ex, runner });
  }
  instanceHooks.current = {
    vusActive: () => executors.reduce((a, e) => a + e.ex.active, 0),
    vusInitialized: () => executors.reduce((a, e) => a + e.ex.allocated, 0),
    // This worker's counts (k6's instance counts; a worker is Volley's unit of execution).
    iterationsCompleted: () => runners.reduce((a, r) => a + r.completed, 0),
    iterationsInterrupted: () => runners.reduce((a, r) => a + r.interrupted, 0),
    testRunDurationMs: () => Math.max(0, performance.now() - startLocalMs),
    abort: (reason) => post({ t: 'abort', reason }),
    options: () => init.options as unknown as Record<string, unknown>,
  };
  eld.enable();
  // Bucket k holds what happened in [k, k+1) s of the test; it is sent at k+1 s. The final flush
  // sends the bucket in progress (whatever happened since the last whole-second flush).
  let nextBucket = 0;
  const ender = new AbortController();
  const ticker = (async () => {
    while (!ender.signal.aborted) {
      await sleepUntil(startLocalMs + (nextBucket + 1) * 1000, ender.signal);
      if (!ender.signal.aborted) flush(nextBucket++);
    }
  })();
  await Promise.all(executors.map((e) => e.ex.run()));
  ender.abort();
  await ticker;
  // Closers may still record (a workflow user's onStop): close before the final flush.
  await Promise.allSettled(executors.map((e) => e.ex.close()));
  flush(nextBucket, true);
  post(startLateMs === undefined ? { t: 'done' } : { t: 'done', startLateMs });
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'setup':
      runHook('setup', undefined, init.options.setupTimeoutMs)
        // JSON as k6 does; a value JSON cannot carry (circular, BigInt) is a setup error.
        .then((data) => (data === undefined ? undefined : JSON.stringify(data)))
        .then(
          (data) => {
            flush(-1, true);
            post({ t: 'setup-done', data });
          },
          (e) => {
            flush(-1, true);
            post({ t: 'setup-done', data: undefined, error: toError(e) });
          },
        );
      break;
    case 'start':
      run(m.startEpochMs, m.setupData).catch((e) => post({ t: 'fatal', error: toError(e) }));
      break;
    case 'stop':
      stopCtl.abort();
      for (const { ex } of executors) ex.interruptAll();
      break;
    case 'teardown': {
      const data = m.setupData === undefined ? undefined : JSON.parse(m.setupData);
      runHook('teardown', data, init.options.teardownTimeoutMs).then(
        () => {
          flush(-2, true);
          post({ t: 'teardown-done' });
        },
        (e) => {
          flush(-2, true);
          post({ t: 'teardown-done', error: toError(e) });
        },
      );
      break;
    }
    case 'exit':
      eld.disable();
      faultTag?.stop();
      port.close();
      // Console lines still queued go out before the thread ends.
      process.stdout.write('', () => process.stderr.write('', () => process.exit(0)));
  }
});

// Errors the script throws outside any iteration's promise chain (a callback of its own timer, a
// promise it did not await) are script errors like any other: counted, reported once, and the
// test goes on, as k6 does with exceptions in its event loop.
process.on('uncaughtException', onException);
process.on('unhandledRejection', onException);

// The init context already ran once in the main thread (to read the options), where its console
// output was printed: each worker's run of it stays quiet, so init-context lines appear once, not
// once per thread.
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const consoleSaved = CONSOLE_METHODS.map((k) => console[k]);
for (const k of CONSOLE_METHODS) console[k] = () => {};
const restoreConsole = (): void => CONSOLE_METHODS.forEach((k, i) => (console[k] = consoleSaved[i]!));

importScript(init.bundleUrl, init.scriptPath).then(
  (s) => {
    restoreConsole();
    script = s;
    post({ t: 'ready', exports: Object.keys(s.functions) });
  },
  (e) => {
    restoreConsole();
    post({ t: 'fatal', error: toError(e) });
  },
);
