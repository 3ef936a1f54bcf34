import { ExitCode, VolleyError } from '../errors/index.js';
import { describeException } from './exceptions.js';

/** The parts of a user's module Volley uses. */
export interface ScriptModule {
  options: unknown;
  /** Exported functions by name ('default' included when present). */
  functions: Record<string, (...args: unknown[]) => unknown>;
}

/**
 * Imports a bundled script (runs its init context) in this thread. An exception at init time is a
 * user error (exit 107) that names where it was thrown.
 */
export async function importScript(bundleUrl: string, scriptPath: string): Promise<ScriptModule> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(bundleUrl)) as Record<string, unknown>;
  } catch (e) {
    const d = describeException(e);
    throw new VolleyError('E_SCRIPT_INIT', `${scriptPath}: the script threw in the init context: ${d.message}${d.location ? `\n    at ${d.location}` : ''}`, {
      hint: 'code at the top level of the script runs once per thread at start; fix the error above',
      exitCode: ExitCode.ScriptException,
    });
  }
  const functions: ScriptModule['functions'] = {};
  for (const [k, v] of Object.entries(mod)) if (typeof v === 'function') functions[k] = v as (...args: unknown[]) => unknown;
  return { options: mod.options, functions };
}
