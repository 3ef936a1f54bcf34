/**
 * The report's Analysis: findings computed from the summary data, never boilerplate. Each finding
 * appears only when the data shows it, carries its numbers, and links to the chart or table that
 * shows it. Pure: data in, findings out (no clock, no I/O), so it is unit-tested on crafted data.
 *
 * What is looked at (each in its own module):
 * - the verdict (analysis-verdict.ts): an aborted run, failed thresholds and by how much, near
 *   misses, failing checks, dropped iterations;
 * - the per-second series (analysis-load.ts): break-aways of latency and errors from their steady
 *   level and the load then, saturation (Little's law), the generator as the limit;
 * - the breakdowns (analysis-hotspots.ts): routes and scenarios dominating latency and failures;
 * - injected faults (analysis-faults.ts): how long recovery took after each fault window.
 */
import type { SummaryData } from '../summary/types.js';
import { errorsBreakaway, generatorFinding, latencyBreakaway, saturationFinding } from './analysis-load.js';
import { errorHotspotFinding, latencyHotspotFinding, scenarioHotspotFinding } from './analysis-hotspots.js';
import { abortedFinding, checksFinding, droppedIterationsFindings, thresholdFindings } from './analysis-verdict.js';
import { SEVERITY_RANK, type Analysis, type Finding } from './findings.js';
import { recoveryFinding } from './analysis-faults.js';

export type { Analysis, Finding, FindingKind, Severity } from './findings.js';
export { ANCHORS } from './findings.js';

/**
 * Analyses a run. Findings are ordered most severe first, and within a severity in the order:
 * abort, thresholds, break-aways, recovery, saturation, generator, dropped iterations, hotspots, checks.
 * Recommendations are the findings' own, in the same order, without duplicates.
 */
export function analyze(data: SummaryData): Analysis {
  const latency = latencyBreakaway(data);
  const candidates: Array<Finding | undefined> = [
    abortedFinding(data),
    ...thresholdFindings(data),
    latency?.finding,
    errorsBreakaway(data, latency?.breakaway),
    recoveryFinding(data),
    saturationFinding(data),
    generatorFinding(data),
    ...droppedIterationsFindings(data),
    latencyHotspotFinding(data),
    errorHotspotFinding(data),
    scenarioHotspotFinding(data),
    checksFinding(data),
  ];
  const findings = candidates
    .filter((f): f is Finding => f !== undefined)
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
  const recommendations = [...new Set(findings.map((f) => f.recommendation).filter((r): r is string => !!r))];
  return { findings, recommendations };
}
