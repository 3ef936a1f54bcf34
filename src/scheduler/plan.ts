import type { ScenarioConfig } from '../config/types.js';

/** Planned duration of a scenario's executor, excluding startTime and gracefulStop (ms). */
export function executorDurationMs(s: ScenarioConfig): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return s.maxDurationMs;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return s.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return s.stages.reduce((a, st) => a + st.durationMs, 0);
  }
}

/** Most VUs a scenario can use at once. */
export function scenarioMaxVus(s: ScenarioConfig): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
    case 'constant-vus':
      return s.vus;
    case 'ramping-vus':
      return Math.max(s.startVUs, ...s.stages.map((st) => st.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return Math.max(s.maxVUs, s.preAllocatedVUs);
  }
}

/** The longest the test can take: max over scenarios of startTime + duration + gracefulStop (ms). */
export function testMaxDurationMs(scenarios: readonly ScenarioConfig[]): number {
  let max = 0;
  for (const s of scenarios) max = Math.max(max, s.startTimeMs + executorDurationMs(s) + s.gracefulStopMs);
  return max;
}

/** Planned test duration without graceful stops (what a progress bar counts towards). */
export function testPlannedDurationMs(scenarios: readonly ScenarioConfig[]): number {
  let max = 0;
  for (const s of scenarios) max = Math.max(max, s.startTimeMs + executorDurationMs(s));
  return max;
}

/**
 * How many worker threads a test needs: one per core by default, but never more than the VUs of
 * the widest scenario (a 1-VU test runs in one worker).
 */
export function chooseWorkers(requested: number | undefined, cores: number, scenarios: readonly ScenarioConfig[]): number {
  const need = Math.max(1, ...scenarios.map(scenarioMaxVus));
  const n = requested ?? cores;
  return Math.max(1, Math.min(n, need));
}
