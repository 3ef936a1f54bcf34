/**
 * Drift (soak) analysis of a run's time series: which columns (the headline latency, the error
 * rate, every monitor), analysed by metrics/drift.ts (where `drift` thresholds use it too).
 */
import type { TimeSeries } from '../metrics/timeseries.js';
import { driftOf, type DriftFinding } from '../metrics/drift.js';

export { type DriftFinding, driftOf, describeDrift } from '../metrics/drift.js';

/** The columns analysed when present: headline latency and error rate, and every monitor series. */
export function driftColumns(ts: TimeSeries): Array<{ series: string; label: string; unit: DriftFinding['unit'] }> {
  const out: Array<{ series: string; label: string; unit: DriftFinding['unit'] }> = [];
  if (ts.series['http_req_duration.p95']) out.push({ series: 'http_req_duration.p95', label: 'p95 latency', unit: 'ms' });
  if (ts.series['http_req_failed']) out.push({ series: 'http_req_failed', label: 'error rate', unit: 'share' });
  for (const k of Object.keys(ts.series)) {
    if (!k.startsWith('monitor_')) continue;
    out.push({ series: k, label: k.slice('monitor_'.length), unit: /bytes/.test(k) ? 'bytes' : '' });
  }
  return out;
}

/** Drift of every analysed column of a run's time series (columns with too few points are left out). */
export function analyzeDrift(ts: TimeSeries): DriftFinding[] {
  const out: DriftFinding[] = [];
  for (const c of driftColumns(ts)) {
    const f = driftOf(ts.t, ts.series[c.series]!, c);
    if (f) out.push(f);
  }
  return out;
}

