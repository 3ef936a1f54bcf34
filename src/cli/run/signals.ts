import { ExitCode } from '../../errors/index.js';
import type { Controller } from '../../scheduler/controller.js';

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run. The first stops the test: in-flight iterations are
 * interrupted, then teardown, summary and exports happen as usual (exit code 105). The second
 * kills the workers at once (even one stuck in a synchronous loop) and skips teardown; the summary,
 * exports, report and JUnit are still written. A third quits at once, after `onQuit` has saved what
 * it can synchronously. Returns the function that removes the handlers.
 */
export function handleStopSignals(controller: Controller, say: (line: string) => void, onQuit: () => void): () => void {
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count === 1) {
      say('volley: stopping (Ctrl-C again to kill the workers at once)...');
      controller.stop({ by: 'signal', reason: 'stopped by the user (SIGINT/SIGTERM)', exitCode: ExitCode.ExternalAbort });
      return;
    }
    if (count === 2) {
      say('volley: killing the workers, skipping teardown (Ctrl-C again to quit without the summary)...');
      void controller.kill({ by: 'signal', reason: 'stopped by the user (second SIGINT/SIGTERM: workers killed, teardown skipped)', exitCode: ExitCode.ExternalAbort });
      return;
    }
    try {
      onQuit();
    } catch {
      // best effort on the way out
    }
    process.exit(ExitCode.ExternalAbort);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
