/**
 * Runs one scenario's executor in this thread, as a worker would (real Vu, IterationRunner and
 * MetricStore; no worker thread, no CLI), for unit tests of executors and the VU runtime.
 */
import { resolveOptions } from '../../config/resolve.js';
import type { ResolvedOptions } from '../../config/types.js';
import { MetricRegistry } from '../../metrics/registry.js';
import { MetricStore } from '../../metrics/store.js';
import { currentVu } from '../../vu/context.js';
import { IterationRunner } from '../../vu/iteration.js';
import { defineCoreMetrics } from '../../vu/metrics.js';
import { Vu, type VuShared } from '../../vu/vu.js';
import { createExecutor } from '../executors/index.js';
import { WHOLE, type Segment } from '../segment.js';

export interface ScenarioRun {
  completed: number;
  interrupted: number;
  dropped: number;
  allocated: number;
  exceptions: unknown[];
  /** `scenario.iterationInTest` of every iteration started. */
  iterationsInTest: number[];
  store: MetricStore;
  registry: MetricRegistry;
}

/** The first scenario of `scriptOptions`, resolved as the CLI would. */
export function scenarioOf(scriptOptions: Record<string, unknown>): ResolvedOptions {
  return resolveOptions({ scriptOptions, scriptPath: 'test.ts', processEnv: {}, cli: {}, exportedFunctions: ['default'] });
}

export async function runScenario(
  scriptOptions: Record<string, unknown>,
  fn: (vu: Vu) => unknown,
  opts: { segment?: Segment; stop?: AbortSignal; runner?: { segment: Segment; workerIndex: number; workerCount: number } } = {},
): Promise<ScenarioRun> {
  const options = scenarioOf(scriptOptions);
  const sc = options.scenarios[0]!;
  const registry = new MetricRegistry();
  const metrics = defineCoreMetrics(registry);
  const store = new MetricStore(registry, []);
  const shared: VuShared = { recorder: store, metrics, registry, scriptDir: process.cwd(), options };
  const out: ScenarioRun = { completed: 0, interrupted: 0, dropped: 0, allocated: 0, exceptions: [], iterationsInTest: [], store, registry };
  const runner = new IterationRunner(
    () => {
      const vu = currentVu() as Vu;
      out.iterationsInTest.push(vu.scenario.iterationInTest);
      return fn(vu);
    },
    undefined,
    (e) => out.exceptions.push(e),
    options.minIterationDurationMs,
  );
  const info = { name: sc.name, executor: sc.executor, startTime: Date.now(), iterationInInstance: 0, iterationInTest: 0, progress: 0 };
  let ids = 0;
  const ex = createExecutor(sc, {
    segment: opts.segment ?? WHOLE,
    runnerSegment: opts.runner?.segment ?? opts.segment ?? WHOLE,
    workerIndex: opts.runner?.workerIndex ?? 0,
    workerCount: opts.runner?.workerCount ?? 1,
    testStartMs: performance.now(),
    runner,
    newVu: () => new Vu(++ids, { ...info }, {}, store.tagSets.of({ scenario: sc.name }), shared),
    dropped: (n) => (out.dropped += n),
    stopSignal: opts.stop ?? new AbortController().signal,
  });
  await ex.run();
  await ex.close();
  out.completed = runner.completed;
  out.interrupted = runner.interrupted;
  out.allocated = ex.allocated;
  return out;
}
