/**
 * What the running engine in this thread tells scripts about itself (`volley/execution`'s
 * `instance` and `test`). The worker runtime fills it in; outside a run the defaults apply.
 */
export interface InstanceHooks {
  vusActive(): number;
  vusInitialized(): number;
  iterationsCompleted(): number;
  iterationsInterrupted(): number;
  /** Ms since the test started (0 before). */
  testRunDurationMs(): number;
  /** Aborts the whole test (k6 `exec.test.abort`); the run ends with exit code 108. */
  abort(reason: string): void;
  options(): Readonly<Record<string, unknown>>;
}

export const instanceHooks: { current: InstanceHooks } = {
  current: {
    vusActive: () => 0,
    vusInitialized: () => 0,
    iterationsCompleted: () => 0,
    iterationsInterrupted: () => 0,
    testRunDurationMs: () => 0,
    abort: () => {},
    options: () => ({}),
  },
};

/** Thrown by `exec.test.abort()` to unwind the calling iteration. Recognised by `code`. */
export class TestAbortError extends Error {
  readonly code = 'E_TEST_ABORTED';
  constructor(readonly reason: string) {
    super(`test aborted: ${reason}`);
  }
}
