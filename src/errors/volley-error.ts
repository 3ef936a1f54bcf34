import { ExitCode } from './exit-codes.js';

/**
 * An error the user can fix. It carries a stable `code` (check errors by code, not `instanceof`:
 * errors cross worker-thread boundaries as plain objects), a `hint` saying what to change, and the
 * process exit code. The CLI prints `message` and `hint` without a stack trace.
 *
 * A bug in Volley is a plain `Error` and keeps its stack.
 */
export class VolleyError extends Error {
  /** Brand so that `isVolleyError` works across module copies and structured clones. */
  readonly volleyError = true as const;
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, opts: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'VolleyError';
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? ExitCode.GenericError;
  }

  /** A structured-clone-safe form (for postMessage between threads). */
  toJSON(): SerializedVolleyError {
    return { volleyError: true, code: this.code, message: this.message, hint: this.hint, exitCode: this.exitCode };
  }

  static fromJSON(o: SerializedVolleyError): VolleyError {
    return new VolleyError(o.code, o.message, { hint: o.hint, exitCode: o.exitCode });
  }
}

export interface SerializedVolleyError {
  volleyError: true;
  code: string;
  message: string;
  hint: string | undefined;
  exitCode: ExitCode;
}

export function isVolleyError(e: unknown): e is VolleyError | SerializedVolleyError {
  return typeof e === 'object' && e !== null && (e as { volleyError?: unknown }).volleyError === true;
}

/** Shorthand for configuration problems (exit code 104). */
export function configError(code: string, message: string, hint?: string): VolleyError {
  return new VolleyError(code, message, { hint, exitCode: ExitCode.InvalidConfig });
}
