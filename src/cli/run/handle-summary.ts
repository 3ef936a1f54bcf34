import { resolve } from 'node:path';
import type { ResolvedOptions } from '../../config/types.js';
import { writeFileAtomic } from '../../report/write-file.js';
import { runHandleSummary } from '../../script/handle-summary.js';
import { jsonReplacer } from '../../summary/export.js';
import type { SummaryData } from '../../summary/types.js';

export interface HandleSummaryResult {
  /** True when the script's outputs replace the default text summary (k6: handleSummary replaces it). */
  replaced: boolean;
  /** Lines for the user: the files written. */
  lines: string[];
  /** What went wrong: handleSummary failed (the default summary is printed instead), or a file could not be written. */
  errors: unknown[];
}

/**
 * The script's `handleSummary(data)`, as k6 runs it after teardown: each key of the object it
 * returns is `stdout`, `stderr` or a file path (relative to the working directory; folders are
 * created), its value the content. When it throws, returns something else or passes
 * `handleSummaryTimeout`, the error is reported and the default summary printed instead (k6 does
 * the same); the exit code stays the test's verdict.
 */
export async function runScriptSummary(
  data: SummaryData,
  run: { bundleUrl: string; scriptPath: string; options: ResolvedOptions; cwd: string },
): Promise<HandleSummaryResult> {
  const lines: string[] = [];
  const errors: unknown[] = [];
  let outputs;
  try {
    outputs = await runHandleSummary({
      bundleUrl: run.bundleUrl,
      scriptPath: run.scriptPath,
      env: run.options.env,
      // What --summary-export writes, as plain JSON values (no NaN or Infinity).
      data: JSON.parse(JSON.stringify(data, jsonReplacer)) as unknown,
      timeoutMs: run.options.handleSummaryTimeoutMs,
    });
  } catch (e) {
    return { replaced: false, lines, errors: [e] };
  }
  for (const [key, content] of Object.entries(outputs)) {
    if (key === 'stdout') process.stdout.write(content);
    else if (key === 'stderr') process.stderr.write(content);
    else {
      try {
        await writeFileAtomic(resolve(run.cwd, key), content, 'a handleSummary() output', 'the key handleSummary() returns');
        lines.push(`handleSummary: ${key}`);
      } catch (e) {
        errors.push(e);
      }
    }
  }
  return { replaced: true, lines, errors };
}
