/**
 * Process exit codes. They follow k6's `errext/exitcodes` so that CI scripts written for k6 keep working.
 */
export const ExitCode = {
  OK: 0,
  /** A --max-regression budget was exceeded by a significant regression (Volley's; k6 has no run history). */
  RegressionFound: 98,
  /** Generic failure (bad CLI usage that is not a config problem, I/O error). */
  GenericError: 1,
  ThresholdsHaveFailed: 99,
  SetupTimeout: 100,
  TeardownTimeout: 101,
  GenericTimeout: 102,
  GenericEngine: 103,
  InvalidConfig: 104,
  ExternalAbort: 105,
  ScriptException: 107,
  ScriptAborted: 108,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
