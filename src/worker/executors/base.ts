import type { ScenarioConfig } from '../../config/types.js';
import type { TagSet } from '../../metrics/tags.js';
import type { IterationRunner } from '../../vu/iteration.js';
import type { Vu } from '../../vu/vu.js';
import { sleepUntil } from '../clock.js';
import { stripedIteration, type Segment } from '../segment.js';

/** What an executor gets from the worker runtime. */
export interface ExecutorEnv {
  readonly segment: Segment;
  /** The runner's segment and this worker's place in it (numbers closed-model iterations test-wide). */
  readonly runnerSegment: Segment;
  readonly workerIndex: number;
  readonly workerCount: number;
  /** Local `performance.now()` at which the test (not this scenario) started. */
  readonly testStartMs: number;
  readonly runner: IterationRunner;
  /** Creates a VU for this scenario: a fresh id from this worker's block, or `id` to replace a VU. */
  newVu(id?: number): Vu;
  /** Records `n` dropped iterations for this scenario. */
  dropped(n: number): void;
  /** Aborted when the whole test must stop now (Ctrl-C, abortOnFail, exec.test.abort). */
  readonly stopSignal: AbortSignal;
}

/** VUs created between two yields to the event loop while a scenario initialises its VUs. */
const VU_INIT_CHUNK = 1000;

/**
 * Shared core of all executors: scenario start/end times, VU bookkeeping, graceful stop.
 *
 * Scenario states: waiting (before startTime) → running → stopping (no new iterations; in-flight
 * ones get gracefulStop) → done. A test-wide stop jumps straight to done, interrupting VUs.
 */
export abstract class Executor<C extends ScenarioConfig = ScenarioConfig> {
  /** VUs this executor created (its share). */
  protected readonly vus: Vu[] = [];
  /** VUs currently running an iteration loop. */
  active = 0;
  /** Local ms when this scenario starts. */
  readonly startMs: number;
  private endedAtMs: number | undefined;

  constructor(
    readonly config: C,
    protected readonly env: ExecutorEnv,
  ) {
    this.startMs = env.testStartMs + config.startTimeMs;
  }

  /** Planned duration of the scenario, excluding gracefulStop (ms). */
  abstract plannedDurationMs(): number;
  /** Runs the scenario to completion, after waiting for its startTime. */
  async run(): Promise<void> {
    await sleepUntil(this.startMs, this.env.stopSignal);
    if (!this.env.stopSignal.aborted) await this.execute();
    this.endedAtMs = performance.now();
    // Only VUs still inside an iteration are cut off; idle ones stay usable for their closers
    // (a workflow user's onStop makes requests when its VU retires).
    for (const vu of this.vus) if (vu.busy) vu.interrupt();
  }
  protected abstract execute(): Promise<void>;

  /** 0..1 by time (iteration-based executors override). */
  progress(): number {
    if (this.endedAtMs !== undefined) return 1;
    const d = this.plannedDurationMs();
    const t = performance.now() - this.startMs;
    if (t <= 0) return 0;
    return d <= 0 ? 1 : Math.min(1, t / d);
  }

  get started(): boolean {
    return performance.now() >= this.startMs;
  }

  get done(): boolean {
    return this.endedAtMs !== undefined;
  }

  /** VUs created so far (for vus_max). */
  get allocated(): number {
    return this.vus.length;
  }

  private iterationsStarted = 0;

  /** Sets `vu.scenario.iterationInTest` for the next iteration of a closed-model loop (segment.ts stripedIteration). */
  protected numberIteration(vu: Vu): void {
    const e = this.env;
    vu.scenario.iterationInTest = stripedIteration(this.iterationsStarted++, e.runnerSegment, e.workerIndex, e.workerCount);
  }

  protected addVu(): Vu {
    const vu = this.env.newVu();
    this.vus.push(vu);
    return vu;
  }

  /**
   * Call after creating VU number `i` (0-based) in a loop: every VU_INIT_CHUNK VUs, yields to the
   * event loop so that a large initialisation reports its progress (the per-second status) and
   * sees a stop; true when the test was stopped meanwhile (stop creating VUs).
   */
  protected async initPause(i: number): Promise<boolean> {
    if ((i + 1) % VU_INIT_CHUNK === 0) await new Promise<void>((r) => setImmediate(r));
    return this.stopped;
  }

  /** A fresh VU object in place of an interrupted one, with its id (ids stay within this worker's block). */
  protected replaceVu(old: Vu): Vu {
    const vu = this.env.newVu(old.id);
    this.vus.push(vu);
    return vu;
  }

  protected get stopped(): boolean {
    return this.env.stopSignal.aborted;
  }

  /** Interrupts every VU of this executor (their in-flight iterations are abandoned, not counted). */
  interruptAll(): void {
    for (const vu of this.vus) vu.interrupt();
  }

  /**
   * Waits for `work` until local time `endMs + gracefulStopMs`; then interrupts what is left.
   * Also ends early on a test-wide stop.
   */
  protected async graceful(work: Promise<unknown>, endMs: number): Promise<void> {
    // A test-wide stop that already happened: an aborted signal never fires its listeners again.
    if (this.env.stopSignal.aborted) {
      this.interruptAll();
      return;
    }
    const deadline = endMs + this.config.gracefulStopMs;
    const ctl = new AbortController();
    const onStop = (): void => ctl.abort();
    this.env.stopSignal.addEventListener('abort', onStop, { once: true });
    let finished = false;
    void work.then(() => {
      finished = true;
      ctl.abort();
    });
    await sleepUntil(deadline, ctl.signal);
    this.env.stopSignal.removeEventListener('abort', onStop);
    if (!finished) this.interruptAll();
  }

  /** Closes all VUs' protocol resources. */
  async close(): Promise<void> {
    await Promise.allSettled(this.vus.map((v) => v.close()));
  }
}
