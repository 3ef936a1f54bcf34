/**
 * `volley capacity --report FILE`: the plan as HTML. With `--measured` a run (a summary file or a
 * stored run id), the run's whole report with a Capacity plan section; with a find-capacity finding,
 * the capacity page (its search) with the plan; with figures given on the command line, the plan alone.
 */
import { readFileSync } from 'node:fs';
import type { CapacityPlan } from '../capacity/model.js';
import { renderHtmlReport } from '../report/index.js';
import { renderCapacityPlanReport, type CapacityFindingView, type CapacityPlanView } from '../report/capacity-section.js';
import { writeFileAtomic } from '../report/write-file.js';
import type { SummaryData } from '../summary/types.js';

export async function writeCapacityReport(file: string, p: CapacityPlan, o: { headroom: number; traffic: string; measured?: string | undefined; measuredData?: { data: object } | undefined }): Promise<void> {
  const view: CapacityPlanView = { headroom: o.headroom, instances: p.instances, utilisationAtPeak: p.utilisationAtPeak, connectionsPerInstance: p.connectionsPerInstance, steps: p.steps, warnings: p.warnings, traffic: o.traffic };
  // The measured source was already read and checked by the plan; read again here only for the page.
  let source: Record<string, unknown> | undefined = o.measuredData?.data as Record<string, unknown> | undefined;
  if (!source && o.measured !== undefined) source = JSON.parse(readFileSync(o.measured, 'utf8')) as Record<string, unknown>;
  const html =
    source && typeof source.stoppedBecause === 'string' && Array.isArray(source.steps)
      ? renderCapacityPlanReport(view, source as unknown as CapacityFindingView)
      : source && typeof source.metrics === 'object' && typeof source.volley === 'object'
        ? renderHtmlReport(source as unknown as SummaryData, undefined, { capacityPlan: view })
        : renderCapacityPlanReport(view);
  // A failed write is a VolleyError naming the file and the flag (E_REPORT_WRITE).
  await writeFileAtomic(file, html, 'the capacity report', '--report');
}
