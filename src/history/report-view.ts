import type { ComparisonRowView, ReportComparison } from '../report/comparison.js';
import type { Comparison, StatComparison } from './compare.js';
import { decodeHistogram, percentileMs } from './hist.js';
import { fmtValue } from './render.js';
import type { Side } from './side.js';

const PERCENTILES = [1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9];

function curve(side: Side): number[] {
  const enc = side.histograms.http_req_duration;
  if (!enc) return [];
  const h = decodeHistogram(enc);
  return PERCENTILES.map((p) => percentileMs(h, p));
}

const view = (r: StatComparison): ComparisonRowView => ({
  key: r.key,
  baseline: fmtValue(r.metric, r.stat, r.baseline),
  candidate: fmtValue(r.metric, r.stat, r.candidate),
  change: r.change,
  ci: r.ci,
  noiseFloor: r.noiseFloor,
  verdict: r.verdict,
});

/** What the HTML report's comparison section draws (report/comparison.ts). */
export function reportComparison(c: Comparison, base: Side, cand: Side): ReportComparison {
  return {
    baselineLabel: c.baseline.label,
    candidateLabel: c.candidate.label,
    historyRuns: c.historyRuns,
    rows: c.rows.map(view),
    routes: c.routes.map(view),
    budgets: c.budgets.map((b) => ({ spec: b.budget.spec, change: b.row.change, verdict: b.row.verdict, exceeded: b.exceeded })),
    percentiles: PERCENTILES,
    baselineCurve: curve(base),
    candidateCurve: curve(cand),
  };
}
