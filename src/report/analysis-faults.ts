import type { SummaryData } from '../summary/types.js';
import { humanizeDuration } from '../summary/format.js';
import { ANCHORS, type Finding } from './findings.js';

/**
 * Recovery after injected faults and spikes (docs/faults.md, "Recovery time"): how long the system took to
 * return to its earlier p95 and error rate, from `recovery_time` (and `faults_injected`). A
 * finding only when the run injected faults and measured a recovery.
 */
export function recoveryFinding(data: SummaryData): Finding | undefined {
  const rt = data.metrics['recovery_time'];
  const count = rt?.values.count;
  const max = rt?.values.max;
  if (!rt || max === undefined) return undefined;
  const injected = data.metrics['faults_injected']?.values.count;
  const windows = count === undefined ? 'each fault window or spike' : `${count} fault window${count === 1 ? '' : 's'} or spike${count === 1 ? '' : 's'}`;
  const failed = Object.values(rt.thresholds ?? {}).some((t) => !t.ok);
  return {
    kind: 'recovery',
    severity: failed ? 'critical' : 'info',
    title: `After ${windows}, the system took up to ${humanizeDuration(max)} to return to its earlier p95 and error rate.`,
    detail:
      `recovery_time: avg ${humanizeDuration(rt.values.avg ?? max)}, max ${humanizeDuration(max)}` +
      (injected === undefined ? '' : `; ${injected} injection${injected === 1 ? '' : 's'} (faults_injected)`) +
      '. Recovered = 3 seconds in a row with errors within 1 point of the baseline and a median p95 within 20 % + 50 ms of it; the samples of each phase carry the `fault` tag.',
    anchor: ANCHORS.latency,
    ...(failed ? { recommendation: 'Recovery was slower than its threshold: look at what the system does after the fault (retries piling up, cold caches, reconnect storms) in the latency and error charts right after each window.' } : {}),
  };
}
