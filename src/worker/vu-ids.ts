import type { ScenarioConfig } from '../config/types.js';
import { maxVUs } from '../config/describe.js';
import { rampingVuSteps, segmentSteps } from './executors/ramping-vus.js';
import { share, type Segment } from './segment.js';

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
  // The budget of everything before this worker in the whole test: the interval [0, start) (other
  // runners' segments and this runner's earlier workers alike).
  if (seg.start === 0) return 1;
  const prefix: Segment = { start: 0, end: seg.start, den: seg.den };
  let before = 0;
  for (const sc of scenarios) before += vuBudget(sc, prefix);
  return before + 1;
}
