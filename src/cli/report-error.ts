import { ExitCode, isVolleyError } from '../errors/index.js';

/**
 * Prints an error for the user and returns the exit code. A VolleyError prints its message and
 * hint, no stack; anything else is a bug in Volley and keeps its stack.
 */
export function reportError(e: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (isVolleyError(e)) {
    stderr.write(`volley: error: ${e.message}\n`);
    if (e.hint) stderr.write(`  hint: ${e.hint}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  stderr.write(`volley: internal error (please report it): ${err?.stack ?? String(e)}\n`);
  return ExitCode.GenericEngine;
}
