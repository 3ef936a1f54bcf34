import type { ScenarioConfig } from '../config/types.js';
import { maxVUs } from '../config/describe.js';

/**
 * Fewest VUs an open-model scenario should have per worker. Each worker has its own VU pool, so a
 * due iteration can only use a free VU of its own worker: with tiny pools, a busy VU on one worker
 * cannot be covered by an idle one on another and more iterations are dropped than in one pool.
 */
export const MIN_OPEN_MODEL_VUS_PER_WORKER = 8;

/**
 * How many worker threads a test needs, by default: one per core, but never more than the VUs of
 * the widest scenario (a 1-VU test runs in one worker), nor so many that an arrival-rate
 * scenario's VU pool is split into pools of fewer than MIN_OPEN_MODEL_VUS_PER_WORKER. An explicit
 * `--workers` is taken as given.
 */
export function chooseWorkers(requested: number | undefined, cores: number, scenarios: readonly ScenarioConfig[]): number {
  if (requested !== undefined) return Math.max(1, requested);
  let n = Math.min(cores, Math.max(1, ...scenarios.map(maxVUs)));
  for (const s of scenarios) {
    if (s.executor === 'constant-arrival-rate' || s.executor === 'ramping-arrival-rate') {
      n = Math.min(n, Math.max(1, Math.floor(s.maxVUs / MIN_OPEN_MODEL_VUS_PER_WORKER)));
    }
  }
  return Math.max(1, n);
}

