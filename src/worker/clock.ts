/**
 * Timing helpers on the monotonic clock (`performance.now()`, ms). Waits are scheduled against an
 * absolute deadline, never as chained relative delays, so errors do not accumulate.
 */

/** Resolves at (or just after) local time `atMs`, or early when `signal` aborts. Never rejects. */
export function sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
  const wait = atMs - performance.now();
  if (wait <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    signal?.addEventListener('abort', done, { once: true });
  });
}


/** Resolves after `ms` (at least ~1 ms: timers' floor) on a bare timer, with no abort signal. */
export function timerTick(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms > 0 ? ms : 0));
}
