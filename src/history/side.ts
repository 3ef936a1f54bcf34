import { readFileSync } from 'node:fs';
import { configError } from '../errors/index.js';
import type { RouteRow, SummaryData, TimeSeries } from '../summary/types.js';
import type { RunInfo, StoredRun } from './types.js';
import { testNameOf } from './identity.js';

/**
 * One side of a comparison: a stored run, or a summary file (Volley's `--summary-export`, k6's
 * `--summary-export` or k6's handleSummary JSON). Only what comparing needs.
 */
export interface Side {
  /** '#12' for a stored run, the file name for a summary file. */
  label: string;
  /** The test (script path), when known. */
  test: string | undefined;
  /** metric (or sub-metric) → stat → value; trend stats in ms. */
  metrics: Record<string, Record<string, number>>;
  routes: RouteRow[];
  histograms: Record<string, string>;
  series: TimeSeries | undefined;
  /** The stored run, when the side comes from the store. */
  run: RunInfo | undefined;
}

export function sideOfRun(r: StoredRun): Side {
  return { ...sideOfSummary(r.summary, `#${r.id}`), test: r.identity.test, run: r };
}

export function sideOfSummary(s: SummaryData, label: string): Side {
  const metrics: Side['metrics'] = {};
  for (const [k, m] of Object.entries(s.metrics)) metrics[k] = { ...m.values };
  return {
    label,
    // The summary holds the script's absolute path; stored runs name it as testNameOf does.
    test: s.volley?.script ? testNameOf(s.volley.script) : undefined,
    metrics,
    routes: s.volley?.routes ?? [],
    histograms: s.volley?.histograms ?? {},
    series: s.volley?.timeSeries && s.volley.timeSeries.t.length > 0 ? s.volley.timeSeries : undefined,
    run: undefined,
  };
}

/**
 * Reads a summary file. k6's `--summary-export` puts stats straight on each metric
 * (`{"avg": …, "p(95)": …}`); handleSummary data and Volley put them under `values`.
 * Anything else is a VolleyError E_SUMMARY_FILE (exit 104) naming the file.
 */
export function readSummarySide(file: string): Side {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw configError('E_SUMMARY_FILE', `cannot read the summary file ${JSON.stringify(file)} (${err.code ?? err.message})`, 'give a JSON file written by --summary-export (Volley or k6)');
  }
  const o = raw as { metrics?: Record<string, Record<string, unknown>>; volley?: SummaryData['volley'] };
  if (!o || typeof o !== 'object' || !o.metrics || typeof o.metrics !== 'object') {
    throw configError('E_SUMMARY_FILE', `${JSON.stringify(file)} is not a summary: it has no "metrics" object`, 'give a JSON file written by --summary-export (Volley or k6)');
  }
  if (o.volley && Array.isArray(o.volley.routes)) return sideOfSummary(o as unknown as SummaryData, file);
  const metrics: Side['metrics'] = {};
  for (const [k, m] of Object.entries(o.metrics)) {
    const src = (m.values && typeof m.values === 'object' ? m.values : m) as Record<string, unknown>;
    const vals: Record<string, number> = {};
    for (const [s, v] of Object.entries(src)) if (typeof v === 'number') vals[s] = v;
    // k6's --summary-export writes a Rate's ratio as "value".
    if (vals.rate === undefined && vals.value !== undefined && (vals.passes !== undefined || vals.fails !== undefined)) vals.rate = vals.value;
    metrics[k] = vals;
  }
  return { label: file, test: undefined, metrics, routes: [], histograms: {}, series: undefined, run: undefined };
}
