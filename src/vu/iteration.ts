import { vuStorage } from './context.js';
import type { IterationState, Vu } from './vu.js';

export type { IterationState } from './vu.js';

/** An exception thrown by a script iteration, as reported to the main thread. */
export type { ScriptException } from '../errors/script-exception.js';
import type { ScriptException } from '../errors/script-exception.js';

/** Optional hook on a VU slot: called before each iteration (e.g. to reset the cookie jar). */
interface IterationAware {
  onIterationStart?(): void;
  /**
   * Work the iteration waits for after its function returned, as k6's event loop keeps an iteration
   * alive while its sockets are open (k6/websockets); undefined when there is none. A rejection is
   * the iteration's exception.
   */
  keepsIterationAlive?(): Promise<void> | undefined;
}

/** The first pending work of `vu`'s protocol slots, if any. */
function pendingWork(vu: Vu): Promise<void> | undefined {
  for (const slot of vu.slots.values()) {
    const p = (slot as IterationAware).keepsIterationAlive?.();
    if (p !== undefined) return p;
  }
  return undefined;
}

/**
 * Iterations that never wait on I/O (`export default function () { x++ }`) would chain forever on
 * microtasks and starve the worker's event loop: no timers, no metric flushes, no stop message.
 * A 5 ms interval marks each turn of the loop; an iteration starting more than MAX_TURN_MS after
 * the last mark yields to the event loop first. When the loop turns normally this is one clock
 * comparison per iteration.
 */
const MAX_TURN_MS = 20;
const loopTurn = { at: performance.now() };
setInterval(() => {
  loopTurn.at = performance.now();
}, 5).unref();

function callIterationStart(slot: unknown): void {
  (slot as IterationAware).onIterationStart?.();
}


/**
 * Runs iterations of one exported function. Never throws: a script exception is counted and
 * reported through `onException`, and the test goes on.
 *
 * `run` is a plain function returning the user's promise chained to two continuations made once
 * per VU, not an `async` function: a suspended async frame (its generator object, register file,
 * await closures and throwaway promise) cost ≈ 280 bytes per sleeping VU (3.61 → 3.33 KB of heap
 * per VU looping on a bare timer; bench/micro/memory-per-vu.mjs, docs/http.md "Memory per VU").
 */
export class IterationRunner {
  completed = 0;
  interrupted = 0;

  constructor(
    private readonly fn: (data: unknown) => unknown,
    private readonly data: unknown,
    private readonly onException: (e: unknown, vu: Vu) => void,
    private readonly minIterationDurationMs = 0,
  ) {}

  /** Runs one iteration on `vu`. Resolves true when it completed (and was counted), false when interrupted. */
  run(vu: Vu): Promise<boolean> {
    const start = performance.now();
    if (start - loopTurn.at > MAX_TURN_MS) {
      loopTurn.at = start;
      return new Promise<void>((r) => setImmediate(r)).then(() => this.run(vu));
    }
    if (vu.intendedStartMs === vu.intendedStartMs) {
      // Open model: measure the lateness against the schedule (NaN !== NaN for closed models).
      const lag = start - vu.intendedStartMs;
      vu.startLagMs = lag > 0 ? lag : 0;
      vu.recorder.add(vu.metrics.iteration_start_lag, vu.startLagMs, vu.baseTags);
    }
    vu.group = '';
    vu.tags = vu.baseTags;
    vu.busy = true;
    if (vu.slots.size !== 0) vu.slots.forEach(callIterationStart);
    let st = vu.iter;
    if (st === undefined || st.runner !== this) st = vu.iter = this.stateFor(vu);
    st.startMs = start;
    st.failed = false;
    let r: unknown;
    try {
      r = vuStorage.run(vu, this.fn, this.data);
    } catch (e) {
      return Promise.resolve(this.failed(vu, e));
    }
    if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
      return Promise.resolve(r as PromiseLike<unknown>).then(st.onDone, st.onError);
    }
    return Promise.resolve(this.done(vu));
  }

  private stateFor(vu: Vu): IterationState {
    return {
      runner: this,
      startMs: 0,
      failed: false,
      onDone: () => this.done(vu),
      onError: (e) => this.failed(vu, e),
    };
  }

  private failed(vu: Vu, e: unknown): boolean | Promise<boolean> {
    if ((e as { code?: unknown } | null)?.code === 'E_TEST_ABORTED') {
      // exec.test.abort(): the test stops; this iteration did not complete.
      vu.busy = false;
      this.interrupted++;
      return false;
    }
    // One exception per iteration, the first: the function's own, not also a socket handler's
    // error seen while the iteration waited for the sockets it left open.
    const st = vu.iter!;
    if (!vu.interrupted && !st.failed) {
      st.failed = true;
      this.onException(e, vu);
    }
    return this.done(vu);
  }

  /** The iteration's function settled: honour minIterationDuration, then count it. */
  private done(vu: Vu): boolean | Promise<boolean> {
    if (vu.slots.size !== 0 && !vu.interrupted) {
      const work = pendingWork(vu);
      if (work !== undefined) return work.then(() => this.done(vu), (e: unknown) => this.failed(vu, e));
    }
    if (!vu.interrupted && this.minIterationDurationMs > 0) {
      const left = this.minIterationDurationMs - (performance.now() - vu.iter!.startMs);
      if (left > 0) return new Promise((r) => setTimeout(r, left)).then(() => this.finish(vu));
    }
    return this.finish(vu);
  }

  private finish(vu: Vu): boolean {
    vu.busy = false;
    if (vu.interrupted) {
      this.interrupted++;
      return false;
    }
    const rec = vu.recorder;
    rec.add(vu.metrics.iterations, 1, vu.baseTags);
    rec.add(vu.metrics.iteration_duration, performance.now() - vu.iter!.startMs, vu.baseTags);
    vu.iteration++;
    vu.iterationInScenario++;
    this.completed++;
    return true;
  }
}
