import type { ScenarioConfig } from '../config/types.js';
import { maxVUs } from '../config/describe.js';

/**
 * How many worker threads a test needs: one per core by default, but never more than the VUs of
 * the widest scenario (a 1-VU test runs in one worker).
 */
export function chooseWorkers(requested: number | undefined, cores: number, scenarios: readonly ScenarioConfig[]): number {
  const need = Math.max(1, ...scenarios.map(maxVUs));
  const n = requested ?? cores;
  return Math.max(1, Math.min(n, need));
}
