/**
 * Facts about a resolved scenario for the progress display and the summary: a one-line description
 * in k6's wording (lib/executor/*.go GetDescription), its planned length and its VU ceiling.
 */
import { formatDuration } from './duration.js';
import type { ScenarioConfig, Stage } from './types.js';

const sumStagesMs = (stages: readonly Stage[]): number => stages.reduce((t, s) => t + s.durationMs, 0);
const maxTarget = (start: number, stages: readonly Stage[]): number => stages.reduce((m, s) => Math.max(m, s.target), start);

/**
 * How long the executor runs as planned, from the test's start: startTime + its duration
 * (duration, maxDuration or the sum of its stages), in ms. Excludes gracefulStop (and
 * gracefulRampDown), during which in-flight iterations may still finish.
 */
export function scenarioMaxDurationMs(s: ScenarioConfig): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return s.startTimeMs + s.maxDurationMs;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return s.startTimeMs + s.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return s.startTimeMs + sumStagesMs(s.stages);
  }
}

/**
 * The longest a test of these scenarios can last, in ms: the latest scenario end, including its
 * gracefulStop when `includeGracefulStop` (default true). 0 for no scenarios.
 */
export function testMaxDurationMs(scenarios: readonly ScenarioConfig[], includeGracefulStop = true): number {
  return scenarios.reduce((m, s) => Math.max(m, scenarioMaxDurationMs(s) + (includeGracefulStop ? s.gracefulStopMs : 0)), 0);
}

/**
 * The most VUs the scenario can use at once: vus; the highest of startVUs and the stage targets
 * (ramping-vus); maxVUs (arrival-rate executors).
 */
export function maxVUs(s: ScenarioConfig): number {
  switch (s.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
    case 'constant-vus':
      return s.vus;
    case 'ramping-vus':
      return maxTarget(s.startVUs, s.stages);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return s.maxVUs;
  }
}

/** k6's "(exec: x, startTime: 10s, gracefulStop: 30s)" tail, with executor-specific facts first. */
function baseInfo(s: ScenarioConfig, facts: string[]): string {
  if (s.exec !== 'default') facts.push(`exec: ${s.exec}`);
  if (s.startTimeMs > 0) facts.push(`startTime: ${formatDuration(s.startTimeMs)}`);
  if (s.gracefulStopMs > 0) facts.push(`gracefulStop: ${formatDuration(s.gracefulStopMs)}`);
  return facts.length === 0 ? '' : ` (${facts.join(', ')})`;
}

function maxVUsRange(pre: number, max: number): string {
  return max > pre ? `maxVUs: ${pre}-${max}` : `maxVUs: ${pre}`;
}

const perSecond = (rate: number, timeUnitMs: number): string => ((rate * 1000) / timeUnitMs).toFixed(2);

/**
 * A one-line description of the scenario, worded as k6 prints it, e.g.
 * "20 looping VUs for 30s (gracefulStop: 30s)",
 * "Up to 200 looping VUs for 35s over 3 stages (gracefulRampDown: 30s, gracefulStop: 30s)",
 * "200.00 iterations/s for 30s (maxVUs: 20-200, exec: ingest, gracefulStop: 30s)".
 */
export function describeScenario(s: ScenarioConfig): string {
  switch (s.executor) {
    case 'shared-iterations':
      return `${s.iterations} iterations shared among ${s.vus} VUs${baseInfo(s, [`maxDuration: ${formatDuration(s.maxDurationMs)}`])}`;
    case 'per-vu-iterations':
      return `${s.iterations} iterations for each of ${s.vus} VUs${baseInfo(s, [`maxDuration: ${formatDuration(s.maxDurationMs)}`])}`;
    case 'constant-vus':
      return `${s.vus} looping VUs for ${formatDuration(s.durationMs)}${baseInfo(s, [])}`;
    case 'ramping-vus':
      return `Up to ${maxTarget(s.startVUs, s.stages)} looping VUs for ${formatDuration(sumStagesMs(s.stages))} over ${s.stages.length} stages${baseInfo(s, [
        `gracefulRampDown: ${formatDuration(s.gracefulRampDownMs)}`,
      ])}`;
    case 'constant-arrival-rate':
      return `${perSecond(s.rate, s.timeUnitMs)} iterations/s for ${formatDuration(s.durationMs)}${baseInfo(s, [maxVUsRange(s.preAllocatedVUs, s.maxVUs)])}`;
    case 'ramping-arrival-rate':
      return `Up to ${perSecond(maxTarget(s.startRate, s.stages), s.timeUnitMs)} iterations/s for ${formatDuration(sumStagesMs(s.stages))} over ${s.stages.length} stages${baseInfo(s, [
        maxVUsRange(s.preAllocatedVUs, s.maxVUs),
      ])}`;
  }
}
