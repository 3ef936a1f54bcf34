/**
 * `volley`: the core script API (k6's global functions, async where k6 blocks).
 *
 *   import { check, group, sleep } from 'volley';
 *   import type { Options } from 'volley';
 */
export { check, group, sleep, fail, randomIntBetween, randomSeed } from '../vu/api.js';
export { waitFor } from '../vu/wait.js';
export type { WaitForOptions, WaitForResult, WaitOutcome } from '../vu/wait.js';
export type { Options, ScenarioOptions, StageOptions, ThresholdOptions } from './options.js';

declare global {
  /** The environment: process variables, `-e KEY=VALUE` flags, and the scenario's `env`. */
  var __ENV: Record<string, string | undefined>;
  /** The current VU's id (1-based; 0 in setup/teardown and the init context). */
  var __VU: number;
  /** The current VU's iteration number (0-based). */
  var __ITER: number;
  /** Reads a file relative to the script (init context): text, or an ArrayBuffer with mode 'b'. */
  function open(path: string, mode?: 'b'): string | ArrayBuffer;
}
