import type { ScenarioConfig } from '../config/types.js';
import { maxVUs } from '../config/describe.js';
import { rampingVuSteps, segmentSteps } from './executors/ramping-vus.js';
import { share, type Segment } from './segment.js';

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

/**
 * The most VUs worker `seg` can hold at once in scenario `sc`: its share of the scenario's VUs
 * (for ramping-vus, the largest of its shares over the stages).
 */
export function vuBudget(sc: ScenarioConfig, seg: Segment): number {
  if (sc.executor === 'ramping-vus') {
    let max = 0;
    for (const st of segmentSteps(rampingVuSteps(sc.startVUs, sc.stages), seg)) max = Math.max(max, st.target);
    return max;
  }
  return share(maxVUs(sc), seg);
}

/**
 * The first VU id of worker `seg` (1-based). Each worker owns a contiguous block of ids, the size of
 * its VU budget over all scenarios, so that ids run 1..N over the whole test as in k6
 * (`users[__VU - 1]` works) however the VUs are split between threads.
 */
export function firstVuId(scenarios: readonly ScenarioConfig[], seg: Segment): number {
  let before = 0;
  for (let i = 0; i < seg.index; i++) for (const sc of scenarios) before += vuBudget(sc, { index: i, count: seg.count });
  return before + 1;
}
