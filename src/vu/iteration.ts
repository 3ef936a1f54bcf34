import { vuStorage } from './context.js';
import type { Vu } from './vu.js';

/** An exception thrown by a script iteration, as reported to the main thread. */
export interface ScriptException {
  message: string;
  /** file:line:column in the user's source (source-mapped), when found. */
  location: string | undefined;
  stack: string | undefined;
}

/** Optional hook on a VU slot: called before each iteration (e.g. to reset the cookie jar). */
interface IterationAware {
  onIterationStart?(): void;
}

/**
 * Runs iterations of one exported function. Never throws: a script exception is counted and
 * reported through `onException`, and the test goes on.
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
  async run(vu: Vu): Promise<boolean> {
    const start = performance.now();
    if (vu.intendedStartMs === vu.intendedStartMs) {
      // Open model: measure the lateness against the schedule (NaN !== NaN for closed models).
      const lag = start - vu.intendedStartMs;
      vu.startLagMs = lag > 0 ? lag : 0;
      vu.recorder.add(vu.metrics.iteration_start_lag, vu.startLagMs, vu.baseTags);
    }
    vu.group = '';
    vu.tags = vu.baseTags;
    vu.busy = true;
    for (const slot of vu.slots.values()) (slot as IterationAware).onIterationStart?.();
    try {
      await vuStorage.run(vu, this.fn, this.data);
    } catch (e) {
      if (!vu.interrupted) this.onException(e, vu);
    }
    if (!vu.interrupted && this.minIterationDurationMs > 0) {
      const left = this.minIterationDurationMs - (performance.now() - start);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
    vu.busy = false;
    if (vu.interrupted) {
      this.interrupted++;
      return false;
    }
    const rec = vu.recorder;
    rec.add(vu.metrics.iterations, 1, vu.baseTags);
    rec.add(vu.metrics.iteration_duration, performance.now() - start, vu.baseTags);
    vu.iteration++;
    vu.iterationInScenario++;
    this.completed++;
    return true;
  }
}
