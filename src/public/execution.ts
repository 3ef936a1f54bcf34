/**
 * `volley/execution`: facts about the running test, as k6/execution.
 *
 *   import exec from 'volley/execution';
 *   exec.vu.idInTest; exec.scenario.name; exec.test.abort('bad data');
 */
import { currentVu } from '../vu/context.js';
import { instanceHooks, TestAbortError } from '../vu/instance.js';

/** This VU's sample tags: reading copies them; assigning a key adds or replaces a tag from now on. */
function vuTags(): Record<string, string> {
  const v = currentVu('exec.vu.tags');
  return new Proxy({ ...v.tags.tags } as Record<string, string>, {
    set(target, key, value) {
      if (typeof key !== 'string') return false;
      target[key] = String(value);
      v.tags = v.recorder.tagSets.with1(v.tags, key, String(value));
      return true;
    },
  });
}

const vu = {
  /** 1-based VU id, unique in the test (0 in setup/teardown). */
  get idInTest(): number {
    return currentVu('exec.vu').id;
  },
  /** Same as idInTest (Volley runs one instance per test). */
  get idInInstance(): number {
    return currentVu('exec.vu').id;
  },
  /** Iterations this VU has started, 0-based for the current one. */
  get iterationInInstance(): number {
    return currentVu('exec.vu').iteration;
  },
  get iterationInScenario(): number {
    return currentVu('exec.vu').iterationInScenario;
  },
  /** Tags on every sample this VU emits from now on; assign keys to add tags (k6 `exec.vu.tags`). */
  get tags(): Record<string, string> {
    return vuTags();
  },
  /** k6's `exec.vu.metrics.tags` (the same tags; `metrics.metadata` is not supported). */
  metrics: {
    get tags(): Record<string, string> {
      return vuTags();
    },
  },
};

const scenario = {
  get name(): string {
    return currentVu('exec.scenario').scenario.name;
  },
  get executor(): string {
    return currentVu('exec.scenario').scenario.executor;
  },
  /** Epoch ms when the scenario started. */
  get startTime(): number {
    return currentVu('exec.scenario').scenario.startTime;
  },
  get progress(): number {
    return currentVu('exec.scenario').scenario.progress;
  },
  get iterationInInstance(): number {
    return currentVu('exec.scenario').scenario.iterationInInstance;
  },
  get iterationInTest(): number {
    return currentVu('exec.scenario').scenario.iterationInTest;
  },
};

const instance = {
  get vusActive(): number {
    return instanceHooks.current.vusActive();
  },
  get vusInitialized(): number {
    return instanceHooks.current.vusInitialized();
  },
  get iterationsCompleted(): number {
    return instanceHooks.current.iterationsCompleted();
  },
  get iterationsInterrupted(): number {
    return instanceHooks.current.iterationsInterrupted();
  },
  get currentTestRunDuration(): number {
    return instanceHooks.current.testRunDurationMs();
  },
};

const test = {
  /** Stops the whole test now; exit code 108. Throws to end the calling iteration. */
  abort(reason = 'test aborted by the script'): never {
    instanceHooks.current.abort(reason);
    throw new TestAbortError(reason);
  },
  get options(): Readonly<Record<string, unknown>> {
    return instanceHooks.current.options();
  },
};

const execution = { vu, scenario, instance, test };
export default execution;
export { vu, scenario, instance, test };
