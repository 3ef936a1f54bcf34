/**
 * k6's `handleSummary(data)`: after the test (and teardown), the script's own function turns the
 * summary data into outputs: `{ stdout: text, stderr: text, 'path/to/file': text or bytes }`.
 *
 * It runs in a worker thread of its own that loads the script afresh, as k6 runs it in a fresh VU:
 * the script runs where it always runs (never in the thread that holds the results), and a
 * `handleSummary` that never returns, even a synchronous loop, is ended at `handleSummaryTimeout`
 * by terminating that thread.
 */
import { Worker } from 'node:worker_threads';
import { ExitCode, VolleyError } from '../errors/index.js';

const WORKER_URL = new URL('./handle-summary-worker.js', import.meta.url);

/** What `handleSummary` returned: output name (`stdout`, `stderr` or a file path) → content. */
export type SummaryOutputs = Record<string, string | Uint8Array>;

export interface HandleSummaryRun {
  bundleUrl: string;
  scriptPath: string;
  /** `__ENV` of the init context (process environment and `-e`). */
  env: Record<string, string>;
  /** The summary data (k6's handleSummary shape), plain JSON values only. */
  data: unknown;
  timeoutMs: number;
}

/** Messages of the handleSummary worker: one reply, then it exits. */
export type HandleSummaryReply = { ok: true; outputs: SummaryOutputs } | { ok: false; message: string; location?: string | undefined };

/**
 * Calls the script's `handleSummary(data)` and returns its outputs, checked: an object whose values
 * are strings or binary data. A throw, a wrong return value or the timeout is a VolleyError (exit
 * code 107, a script error) naming the script; the caller falls back to the default summary.
 */
export function runHandleSummary(run: HandleSummaryRun): Promise<SummaryOutputs> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { bundleUrl: run.bundleUrl, scriptPath: run.scriptPath, env: run.env, data: run.data } });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new VolleyError('E_HANDLE_SUMMARY_TIMEOUT', `${run.scriptPath}: handleSummary() did not finish within ${run.timeoutMs / 1000}s`, {
              hint: 'raise options.handleSummaryTimeout, or make handleSummary() return sooner',
              exitCode: ExitCode.ScriptException,
            }),
          ),
        ),
      run.timeoutMs,
    );
    worker.on('message', (m: HandleSummaryReply) =>
      settle(() => {
        if (m.ok) resolve(m.outputs);
        else
          reject(
            new VolleyError('E_HANDLE_SUMMARY', `${run.scriptPath}: handleSummary() failed: ${m.message}${m.location ? `\n    at ${m.location}` : ''}`, {
              hint: 'handleSummary(data) returns an object: { stdout: text, "file.xml": text, ... }',
              exitCode: ExitCode.ScriptException,
            }),
          );
      }),
    );
    worker.on('error', (e) =>
      settle(() => reject(new VolleyError('E_HANDLE_SUMMARY', `${run.scriptPath}: handleSummary() failed: ${e.message}`, { exitCode: ExitCode.ScriptException }))),
    );
    worker.on('exit', (code) =>
      settle(() => reject(new VolleyError('E_HANDLE_SUMMARY', `${run.scriptPath}: handleSummary() ended its thread (exit code ${code}) without returning`, { exitCode: ExitCode.ScriptException }))),
    );
  });
}
