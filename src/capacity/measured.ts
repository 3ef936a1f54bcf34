import { readFile } from 'node:fs/promises';
import { configError } from '../errors/index.js';
import { fmt, type MeasuredCapacity } from './model.js';

/** The parts of a summary export (Volley's, or k6's --summary-export) that capacity planning reads. */
interface SummaryLike {
  metrics?: Record<string, { values?: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  volley?: {
    timeSeries?: { intervalMs?: number; series?: Record<string, number[]> };
    verdict?: { thresholdsOk?: boolean };
    warnings?: unknown[];
  };
}

/**
 * The sustained rate of a run: the median per-second request rate over the busiest half of its
 * whole seconds (the first and last, partial seconds left out), so that a ramp-up or a ramp-down does
 * not pull it down. Without a per-second series (k6's export), the whole run's average rate.
 */
export function sustainedRate(s: SummaryLike): { rps: number; how: string } {
  const series = s.volley?.timeSeries?.series?.['http_reqs'];
  if (series && series.length >= 5) {
    const inner = series.slice(1, -1).filter((v) => Number.isFinite(v));
    const busiest = [...inner].sort((a, b) => b - a).slice(0, Math.max(1, Math.ceil(inner.length / 2)));
    const median = busiest[Math.floor((busiest.length - 1) / 2)]!;
    return { rps: median, how: `median req/s over the busiest ${busiest.length} of ${inner.length} whole seconds` };
  }
  const rate = s.metrics?.['http_reqs']?.values?.['rate'];
  if (rate === undefined || !(rate > 0)) throw configError('E_CAPACITY_MEASURED', 'the summary has no http_reqs rate', 'measure with volley run --summary-export (or give --capacity-rps)');
  return { rps: rate, how: 'the run’s average req/s (no per-second series in this summary)' };
}

/** Reads a per-instance capacity from a summary file; figures given on the command line win. */
export async function measuredFrom(file: string | undefined, override: { rps?: number | undefined; latencyMs?: number | undefined }): Promise<MeasuredCapacity> {
  if (file === undefined) {
    if (override.rps === undefined || override.latencyMs === undefined) {
      throw configError('E_CAPACITY_MEASURED', 'no measured capacity', 'give --measured SUMMARY.json (from volley run --summary-export), or both --capacity-rps and --latency-ms');
    }
    return { rps: override.rps, latencyMs: override.latencyMs, source: 'given (--capacity-rps, --latency-ms)', warnings: [] };
  }
  let s: SummaryLike & FindingLike;
  try {
    s = JSON.parse(await readFile(file, 'utf8')) as SummaryLike & FindingLike;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof SyntaxError ? `not JSON (${e.message})` : String((e as Error).message);
    throw configError('E_CAPACITY_MEASURED', `--measured ${file}: ${why}`, 'give a summary written by volley run --summary-export (or k6 --summary-export), a volley find-capacity --out file, or a run id of the history');
  }
  return measuredFromData(s, file, override);
}

/** What `volley find-capacity --out` writes (the parts read here). */
interface FindingLike {
  stoppedBecause?: string;
  capacity?: number | null;
  breaksAt?: number | null;
  slos?: Record<string, string[]>;
  steps?: Array<{ rate: number; achievedRps: number; inFlight: number | null; ok: boolean }>;
  /** Findings since the per-step intervals: the rates above the capacity left undecided. */
  range?: { uncertain?: number[] };
}

/**
 * A per-instance capacity from data already loaded: a summary (a file's, or a stored run's from the
 * history) or a find-capacity finding; `name` says where it came from in messages.
 */
export function measuredFromData(s: SummaryLike & FindingLike, name: string, override: { rps?: number | undefined; latencyMs?: number | undefined }): MeasuredCapacity {
  if (typeof s === 'object' && s !== null && typeof s.stoppedBecause === 'string' && Array.isArray(s.steps)) return fromFinding(s, name, override);
  const file = name;
  if (typeof s !== 'object' || s === null || typeof s.metrics !== 'object') {
    throw configError('E_CAPACITY_MEASURED', `--measured ${file}: not a summary export (no metrics)`, 'give a summary written by volley run --summary-export');
  }
  const warnings: string[] = [];
  const failed = Object.entries(s.metrics ?? {}).flatMap(([m, v]) => Object.entries(v.thresholds ?? {}).filter(([, t]) => !t.ok).map(([e]) => `${m}: ${e}`));
  if (s.volley?.verdict?.thresholdsOk === false || failed.length > 0) {
    warnings.push(`the measured run failed thresholds (${failed.join(', ') || 'see its summary'}): its rate is not a capacity that meets the SLOs; measure below the breaking point`);
  } else if (!Object.values(s.metrics ?? {}).some((v) => v.thresholds && Object.keys(v.thresholds).length > 0)) {
    warnings.push('the measured run had no thresholds: nothing says its rate met the SLOs');
  }
  const failRate = s.metrics?.['http_req_failed']?.values?.['rate'];
  if (failRate !== undefined && failRate > 0.01) warnings.push(`${fmt(failRate * 100)} % of the measured requests failed`);
  if ((s.volley?.warnings ?? []).some((w) => /saturat|generator/i.test(JSON.stringify(w)))) {
    warnings.push('the load generator was saturated during the measurement: the instance may sustain more than measured');
  }
  const { rps, how } = sustainedRate(s);
  const latencyMs = override.latencyMs ?? s.metrics?.['http_req_duration']?.values?.['avg'];
  if (latencyMs === undefined || !(latencyMs >= 0)) throw configError('E_CAPACITY_MEASURED', `--measured ${file}: no http_req_duration average`, 'give --latency-ms');
  return { rps: override.rps ?? rps, latencyMs, source: override.rps === undefined ? `${file}: ${how}` : 'given (--capacity-rps)', warnings };
}

/** The capacity a breakpoint search found: its highest rate that met every SLO, and the latency there (Little: W = L / λ). */
function fromFinding(f: FindingLike, name: string, override: { rps?: number | undefined; latencyMs?: number | undefined }): MeasuredCapacity {
  const warnings: string[] = [];
  if (f.capacity === null || f.capacity === undefined) throw configError('E_CAPACITY_MEASURED', `--measured ${name}: the search found no rate meeting the SLOs`, 'search again from a lower --start-rate');
  if ((f.breaksAt === null || f.breaksAt === undefined) && f.stoppedBecause === 'max-rate') warnings.push(`nothing broke up to the search's maximum rate: one instance sustains at least ${fmt(f.capacity)} req/s`);
  if ((f.breaksAt === null || f.breaksAt === undefined) && f.stoppedBecause === 'max-steps') warnings.push(`the search ran out of steps before anything broke: one instance sustains at least ${fmt(f.capacity)} req/s, maybe more`);
  if (f.stoppedBecause === 'generator') warnings.push('the search stopped at the load generator’s own limit: the instance may sustain more');
  const undecided = f.range?.uncertain ?? [];
  if (undecided.length > 0) warnings.push(`the search could not decide ${undecided.map((r) => `${fmt(r)}/s`).join(', ')} (too few requests per step): the instance may sustain more; longer steps (--step-duration) would tell`);
  const step = f.steps!.find((x) => x.ok && x.rate === f.capacity);
  const latencyMs = override.latencyMs ?? (step && step.inFlight !== null && step.achievedRps > 0 ? (step.inFlight / step.achievedRps) * 1000 : undefined);
  if (latencyMs === undefined) throw configError('E_CAPACITY_MEASURED', `--measured ${name}: no latency at the capacity step`, 'give --latency-ms');
  const slos = Object.entries(f.slos ?? {}).flatMap(([k, l]) => l.map((e) => `${k} ${e}`)).join(', ');
  return { rps: override.rps ?? f.capacity, latencyMs, source: override.rps === undefined ? `${name}: the highest rate meeting ${slos || 'the SLOs'} (volley find-capacity)` : 'given (--capacity-rps)', warnings };
}
