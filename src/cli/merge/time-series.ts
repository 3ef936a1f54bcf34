import type { SeriesSpec } from '../../metrics/catalog.js';
import type { TimeSeries } from '../../summary/types.js';

/** Series that add up across runners (per-second counts, VUs). */
export const SUMMED_SERIES: ReadonlySet<string> = new Set(['vus', 'http_reqs', 'iterations', 'data_received', 'data_sent', 'dropped_iterations']);
const SUMMED = SUMMED_SERIES;

/**
 * The columns that add up across runners for a run's catalog: counts per second and levels (things
 * open at the end of each second, such as `llm_in_flight`), besides `SUMMED_SERIES`.
 */
export function summedColumns(series: readonly SeriesSpec[] | undefined): Set<string> {
  return new Set([...SUMMED_SERIES, ...(series ?? []).filter((s) => s.as === 'per-second' || s.as === 'level').map((s) => s.metric)]);
}

/**
 * The runners' per-second series as one, aligned by wall-clock second (runners started with
 * --start-at share their seconds; one that started later joins at its own first second). Counts and VUs add up exactly; maxima take the largest; the
 * error rate, the average and the per-second percentiles are weighted by each runner's requests
 * that second — exact for the error rate and the average, an approximation for the percentiles
 * (the whole-test percentiles, thresholds and report tables come from the merged histograms and
 * are exact). `perSecond`: the per-second columns (the run's catalog: protocols' counters such as
 * `llm_output_tokens` add up too); a column with no HTTP requests (or, for checks, iterations) to
 * weigh it that second averages the runners' values.
 */
export function mergeTimeSeries(list: readonly TimeSeries[], perSecond: ReadonlySet<string> = SUMMED): TimeSeries {
  const withData = list.filter((s) => s.t.length > 0);
  if (withData.length === 0) return { intervalMs: 1000, t: [], series: {} };
  const intervalMs = Math.max(...withData.map((s) => s.intervalMs));
  const start = Math.min(...withData.map((s) => s.t[0]!));
  // Each runner's rows from the second of the test its first row is (a runner that started later
  // begins further down), so rows meet by wall-clock second, not by row number.
  const offsets = withData.map((s) => Math.max(0, Math.round((s.t[0]! - start) / intervalMs)));
  const n = Math.max(...withData.map((s, k) => offsets[k]! + s.t.length));
  const t = Array.from({ length: n }, (_, i) => start + i * intervalMs);
  const names = new Set(withData.flatMap((s) => Object.keys(s.series)));
  const series: Record<string, (number | null)[]> = {};
  for (const name of names) {
    const out: (number | null)[] = [];
    for (let i = 0; i < n; i++) {
      const summed = SUMMED.has(name) || perSecond.has(name);
      let acc: number | null = null;
      let weight = 0;
      let plain = 0;
      let seen = 0;
      for (let k = 0; k < withData.length; k++) {
        const s = withData[k]!;
        const j = i - offsets[k]!;
        if (j < 0) continue;
        const v = s.series[name]?.[j];
        if (v === null || v === undefined) continue;
        if (summed) acc = (acc ?? 0) + v;
        else if (name.endsWith('.max') || name.startsWith('volley_')) acc = acc === null ? v : Math.max(acc, v);
        else {
          const w = (name === 'checks' ? s.series.iterations?.[j] : s.series.http_reqs?.[j]) ?? 0;
          acc = (acc ?? 0) + v * w;
          weight += w;
          plain += v;
          seen++;
        }
      }
      if (acc !== null && !summed && !name.endsWith('.max') && !name.startsWith('volley_')) acc = weight > 0 ? acc / weight : plain / seen;
      out.push(acc);
    }
    series[name] = out;
  }
  return { intervalMs, t, series };
}
