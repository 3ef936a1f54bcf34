/**
 * Findings from the per-second series: when latency or errors broke away from their steady level
 * (and what the load was then), whether throughput plateaued while latency rose (saturation), and
 * whether the load generator itself was the limit.
 *
 * Reasoning, in short:
 * - Break-away: the baseline is the first stable part of the series (`stableBaseline`); a
 *   break-away is a sustained run (≥ 3 data points) above max(baseline + 4σ, ratio × baseline,
 *   baseline + a minimum rise), σ being the baseline's robust spread. One noisy second is not a
 *   finding; a warm-up spike that is over by the end of the baseline window is not either.
 * - Saturation: points are binned by VU level. Throughput should grow with VUs in a closed model
 *   (Little's law: VUs = throughput × time per request). When VUs keep growing past a "knee" but
 *   throughput stays flat, the time per request (VUs / throughput) must grow: if the response
 *   time grew with it, requests queue in the service (saturation); if it did not, the time went
 *   into the generator or the script (a plateau the service is not to blame for).
 * - Generator: sustained event-loop delay (> 50 ms p99) or CPU (≥ 90% of a core) on the
 *   generator, scenarios flagged as generator-limited, and the engine's own warnings about it.
 */
import type { SummaryData, TimeSeries } from '../summary/types.js';
import { ANCHORS, clockText, errorLabel, listText, msText, offsetText, rateText, rpsText, spanText, timesText, type Finding } from './findings.js';
import { findExcursions, median, stableBaseline, valuesIn, type Baseline, type Excursion } from './series-stats.js';

/** Generator event-loop delay (p99 per second) above which requests start late, in ms (the engine's own limit). */
export const GENERATOR_DELAY_LIMIT_MS = 50;
/** Generator CPU (percent of one core, per worker) above which it is considered busy. */
export const GENERATOR_CPU_LIMIT = 90;

/** Parameters of `detectBreakaway`. */
export interface BreakawayOptions {
  /** How many robust sigmas above the baseline a point must be. Default 4. */
  sigmas?: number;
  /** Minimum ratio to the baseline level (1.5 = 50% above). */
  minRatio: number;
  /** Minimum absolute rise above the baseline, in the series' unit (ms, 0..1 rate). */
  minRise: number;
  /** Data points a run must last. Default 3. */
  minPoints?: number;
}

/** A detected break-away: the baseline, the level it had to pass, and the first excursion. */
export interface Breakaway {
  baseline: Baseline;
  /** The level the series had to exceed, in its unit. */
  level: number;
  /** The first sustained excursion after the baseline window. */
  excursion: Excursion;
  /** How many excursions there were in all. */
  excursions: number;
}

/** Baseline window, in data points: a sixth of the series, between 5 and 60 points. */
export function baselineWindow(dataPoints: number): number {
  return Math.max(5, Math.min(60, Math.floor(dataPoints / 6)));
}

/** The first sustained excursion of `series` above its steady level, or undefined when there is none. */
export function detectBreakaway(series: readonly (number | null)[], opts: BreakawayOptions): Breakaway | undefined {
  const base = stableBaseline(series, baselineWindow(valuesIn(series).length));
  if (!base) return undefined;
  // A perfectly flat baseline (sigma 0) would make any wiggle significant: floor sigma at 5% of the level.
  const sigma = Math.max(base.sigma, 0.05 * Math.abs(base.level));
  const level = Math.max(base.level + (opts.sigmas ?? 4) * sigma, base.level * opts.minRatio, base.level + opts.minRise);
  // Runs that are over by the end of the baseline window (a warm-up the window's median shrugs
  // off) are not break-aways; a run that starts in it and goes on is.
  const runs = findExcursions(series, level, opts.minPoints ?? 3).filter((e) => e.to > base.to);
  if (runs.length === 0) return undefined;
  return { baseline: base, level, excursion: runs[0]!, excursions: runs.length };
}

/** A series of the summary, or an empty array. */
export function seriesOf(ts: TimeSeries | undefined, name: string): readonly (number | null)[] {
  return ts?.series?.[name] ?? [];
}

/** The load over [from, to): median VUs and requests per second. */
export function loadIn(ts: TimeSeries, from: number, to: number): { vus: number; rps: number } {
  return { vus: median(valuesIn(seriesOf(ts, 'vus'), from, to)), rps: median(valuesIn(seriesOf(ts, 'http_reqs'), from, to)) };
}

/** Start of the run in epoch ms: the first bucket, else the summary's start time. */
export function runStartMs(data: SummaryData): number {
  const t0 = data.volley?.timeSeries?.t?.[0];
  if (typeof t0 === 'number') return t0;
  const s = Date.parse(data.volley?.startTime ?? '');
  return Number.isFinite(s) ? s : 0;
}

/** Epoch ms of bucket `i` (the end of the series for i = length). */
function timeAt(ts: TimeSeries, i: number): number {
  if (i < ts.t.length) return ts.t[i]!;
  return (ts.t[ts.t.length - 1] ?? 0) + (ts.intervalMs || 1000);
}

/** 'T+12s (09:30:12 UTC)'. */
function when(data: SummaryData, epochMs: number): string {
  return `${offsetText(epochMs - runStartMs(data))} (${clockText(epochMs)})`;
}

/** Describes the load at the onset against the steady part; `grew` when VUs or throughput grew ≥ 20%. */
function loadContext(ts: TimeSeries, b: Breakaway): { text: string; grew: boolean; load: { vus: number; rps: number } } {
  const e = b.excursion;
  const load = loadIn(ts, e.from, Math.min(e.to, e.from + 3));
  const base = loadIn(ts, b.baseline.from, b.baseline.to);
  const fmt = (l: { vus: number; rps: number }) =>
    listText([Number.isFinite(l.vus) ? `${Math.round(l.vus)} VUs` : '', Number.isFinite(l.rps) ? rpsText(l.rps) : ''].filter(Boolean));
  if (!Number.isFinite(load.vus) && !Number.isFinite(load.rps)) return { text: '', grew: false, load };
  const grew = load.vus >= 1.2 * base.vus || load.rps >= 1.2 * base.rps;
  const text = grew
    ? `The load had grown: ${fmt(load)} then, against ${fmt(base)} in the steady part.`
    : `The load had not grown (${fmt(load)}, as in the steady part): the change came from the service or its dependencies, not from more load.`;
  return { text, grew, load };
}

/** Median generator event-loop delay over a range, when it was over the limit then. */
function generatorLagDuring(ts: TimeSeries, from: number, to: number): number | undefined {
  const lag = median(valuesIn(seriesOf(ts, 'volley_event_loop_delay.p99'), from, to));
  return Number.isFinite(lag) && lag > GENERATOR_DELAY_LIMIT_MS ? lag : undefined;
}

/** The latency series to watch: p95, else p99, else the average. */
function latencySeries(ts: TimeSeries): { name: string; stat: string } | undefined {
  for (const stat of ['p95', 'p99', 'avg']) {
    const name = `http_req_duration.${stat}`;
    if (valuesIn(seriesOf(ts, name)).length > 0) return { name, stat };
  }
  return undefined;
}

/** Latency break-away: when the per-second p95 left its steady level, and the load then. */
export function latencyBreakaway(data: SummaryData): { finding: Finding; breakaway: Breakaway } | undefined {
  const ts = data.volley?.timeSeries;
  const lat = ts && latencySeries(ts);
  if (!ts || !lat) return undefined;
  const b = detectBreakaway(seriesOf(ts, lat.name), { minRatio: 1.5, minRise: 2 });
  if (!b) return undefined;
  const e = b.excursion;
  const onset = timeAt(ts, e.from);
  const end = timeAt(ts, e.to);
  const ctx = loadContext(ts, b);
  const lag = generatorLagDuring(ts, e.from, e.to);
  const steady = `${offsetText(timeAt(ts, b.baseline.from) - runStartMs(data))}–${offsetText(timeAt(ts, b.baseline.to) - runStartMs(data))}`;
  const ratio = b.baseline.level > 0 ? `, ${timesText(e.peak / b.baseline.level)} the steady level` : '';
  const detail = [
    `Steady at about ${msText(b.baseline.level)} (${steady}), the per-second ${lat.stat} rose above ${msText(b.level)} at ${when(data, onset)} and peaked at ${msText(e.peak)}${ratio}, at ${offsetText(timeAt(ts, e.peakIndex) - runStartMs(data))}.`,
    e.recovered ? `It came back after ${spanText(end - onset)}.` : 'It stayed high until the end of the test.',
    ctx.text,
    b.excursions > 1 ? `It broke away ${b.excursions} times in all; this is the first.` : '',
    lag !== undefined ? `The generator's event-loop delay was high meanwhile (p99 ${msText(lag)}): part of this latency may be Volley's own delay.` : '',
  ].filter(Boolean);
  const recommendation = ctx.grew
    ? `Look at the service's CPU, memory, connection pools and queues around ${clockText(onset)} (${offsetText(onset - runStartMs(data))}), when the load reached ${Math.round(ctx.load.vus)} VUs / ${rpsText(ctx.load.rps)}: that is the load at which latency left its steady level.`
    : `Look at what happened in the service or its dependencies around ${clockText(onset)} (${offsetText(onset - runStartMs(data))}) — a deploy, GC pauses, a cache expiry, a slow downstream call: the load was steady then.`;
  return {
    breakaway: b,
    finding: {
      kind: 'latency-breakaway',
      severity: 'warning',
      title: `${lat.stat} latency broke away from its steady level at ${offsetText(onset - runStartMs(data))}: from about ${msText(b.baseline.level)} to ${msText(e.peak)}`,
      detail: detail.join(' '),
      anchor: ANCHORS.latency,
      range: { from: onset, to: end },
      recommendation,
    },
  };
}

/** Error break-away: when the per-second failure rate left its steady level, and the load then. */
export function errorsBreakaway(data: SummaryData, latency?: Breakaway): Finding | undefined {
  const ts = data.volley?.timeSeries;
  if (!ts) return undefined;
  const b = detectBreakaway(seriesOf(ts, 'http_req_failed'), { minRatio: 2, minRise: 0.01 });
  if (!b) return undefined;
  const e = b.excursion;
  const onset = timeAt(ts, e.from);
  const end = timeAt(ts, e.to);
  const ctx = loadContext(ts, b);
  const together = latency && Math.abs(latency.excursion.from - e.from) <= 3;
  const top = [...(data.volley.errors ?? [])].sort((x, y) => y.count - x.count)[0];
  const detail = [
    `Steady at ${rateText(b.baseline.level)}, the per-second failure rate rose above ${rateText(b.level)} at ${when(data, onset)} and peaked at ${rateText(e.peak)} at ${offsetText(timeAt(ts, e.peakIndex) - runStartMs(data))}.`,
    e.recovered ? `It came back after ${spanText(end - onset)}.` : 'It stayed high until the end of the test.',
    together ? 'Latency broke away at the same time.' : '',
    ctx.text,
    b.excursions > 1 ? `It broke away ${b.excursions} times in all; this is the first.` : '',
  ].filter(Boolean);
  return {
    kind: 'errors-breakaway',
    severity: 'warning',
    title: `Errors broke away at ${offsetText(onset - runStartMs(data))}: the failure rate went from ${rateText(b.baseline.level)} to ${rateText(e.peak)}`,
    detail: detail.join(' '),
    anchor: ANCHORS.errors,
    range: { from: onset, to: end },
    recommendation: `Read the service's logs from ${clockText(onset)} (${offsetText(onset - runStartMs(data))}) for why requests failed${top ? ` (most common: ${errorLabel(top)})` : ''}${ctx.grew ? `; the load was ${Math.round(ctx.load.vus)} VUs / ${rpsText(ctx.load.rps)} then` : ''}.`,
  };
}

// ------------------------------------------------------------------------------------------------
// Saturation

/** One per-second point of load and latency. */
export interface LoadPoint {
  /** Index in the series. */
  index: number;
  vus: number;
  /** Requests per second. */
  rps: number;
  /** p95 latency, ms. */
  p95: number;
  /** Mean latency, ms (NaN when unknown). */
  avg: number;
}

/** Medians of the points at one VU level. */
export interface LoadBin {
  vus: number;
  rps: number;
  p95: number;
  avg: number;
  /** First and last series index of its points. */
  from: number;
  to: number;
  points: number;
}

/** Throughput stopped growing with VUs: where (the knee) and how it ended (the top). */
export interface Saturation {
  bins: LoadBin[];
  /** The first VU level at which throughput reached 90% of its maximum. */
  knee: LoadBin;
  /** The highest VU level. */
  top: LoadBin;
  /** Highest throughput of any level, req/s. */
  rpsMax: number;
  /** p95 at the top ≥ 1.3 × p95 at the knee. */
  latencyRose: boolean;
}

/**
 * Bins the points by VUs (up to 6 equal-width levels between the lowest and highest VUs, levels
 * with fewer than 2 points dropped) and looks for a knee: VUs grew ≥ 30% past the first level
 * with ≥ 90% of the peak throughput, while throughput grew less than a third as fast as VUs.
 * Undefined without such a pattern, with fewer than 8 points, or when VUs varied less than 1.5×.
 */
export function detectSaturation(points: readonly LoadPoint[]): Saturation | undefined {
  const pts = points.filter((p) => p.vus > 0 && p.rps > 0 && Number.isFinite(p.p95));
  if (pts.length < 8) return undefined;
  const vMin = Math.min(...pts.map((p) => p.vus));
  const vMax = Math.max(...pts.map((p) => p.vus));
  if (vMax < 1.5 * vMin) return undefined;
  const nBins = Math.min(6, Math.floor(pts.length / 3));
  const width = (vMax - vMin) / nBins;
  const groups: LoadPoint[][] = Array.from({ length: nBins }, () => []);
  for (const p of pts) groups[Math.min(nBins - 1, Math.floor((p.vus - vMin) / width))]!.push(p);
  const bins: LoadBin[] = groups
    .filter((g) => g.length >= 2)
    .map((g) => ({
      vus: median(g.map((p) => p.vus)),
      rps: median(g.map((p) => p.rps)),
      p95: median(g.map((p) => p.p95)),
      avg: median(g.map((p) => p.avg).filter(Number.isFinite)),
      from: Math.min(...g.map((p) => p.index)),
      to: Math.max(...g.map((p) => p.index)),
      points: g.length,
    }));
  if (bins.length < 2) return undefined;
  const rpsMax = Math.max(...bins.map((b) => b.rps));
  const knee = bins.find((b) => b.rps >= 0.9 * rpsMax)!;
  const top = bins[bins.length - 1]!;
  if (top === knee || top.vus < 1.3 * knee.vus) return undefined;
  const rpsGrowth = top.rps / knee.rps - 1;
  const vusGrowth = top.vus / knee.vus - 1;
  if (rpsGrowth > 0.1 || rpsGrowth > vusGrowth / 3) return undefined;
  return { bins, knee, top, rpsMax, latencyRose: top.p95 >= 1.3 * knee.p95 && top.p95 - knee.p95 >= 1 };
}

/** Executors whose load can grow during a run (closed models, and ramping arrival rates). */
const GROWING_EXECUTORS = new Set(['constant-vus', 'ramping-vus', 'per-vu-iterations', 'shared-iterations', 'ramping-arrival-rate', 'externally-controlled']);
/** Closed-model executors: VUs drive the load. */
const CLOSED_EXECUTORS = new Set(['constant-vus', 'ramping-vus', 'per-vu-iterations', 'shared-iterations', 'externally-controlled']);

/** The run's load points up to the end of its peak (the ramp-down is left out). */
export function loadPoints(ts: TimeSeries): LoadPoint[] {
  const vus = seriesOf(ts, 'vus');
  const rps = seriesOf(ts, 'http_reqs');
  const p95 = seriesOf(ts, 'http_req_duration.p95');
  const avg = seriesOf(ts, 'http_req_duration.avg');
  const vMax = Math.max(0, ...valuesIn(vus));
  let last = -1;
  for (let i = 0; i < vus.length; i++) if ((vus[i] ?? -1) >= 0.95 * vMax) last = i;
  const out: LoadPoint[] = [];
  for (let i = 0; i <= last; i++) {
    const v = vus[i];
    const r = rps[i];
    const p = p95[i];
    if (typeof v !== 'number' || typeof r !== 'number' || typeof p !== 'number') continue;
    const a = avg[i];
    out.push({ index: i, vus: v, rps: r, p95: p, avg: typeof a === 'number' ? a : NaN });
  }
  return out;
}

/** Saturation (throughput flat while VUs and latency grew), or a throughput plateau without latency rise. */
export function saturationFinding(data: SummaryData): Finding | undefined {
  const ts = data.volley?.timeSeries;
  if (!ts) return undefined;
  const executors = (data.volley.scenarios ?? []).map((s) => s.executor);
  // With only constant arrival rates, flat throughput is the plan, not a plateau.
  if (executors.length > 0 && !executors.some((e) => GROWING_EXECUTORS.has(e))) return undefined;
  const s = detectSaturation(loadPoints(ts));
  if (!s) return undefined;
  const { knee, top } = s;
  const start = runStartMs(data);
  const range = { from: timeAt(ts, knee.from), to: timeAt(ts, top.to + 1) };
  const vusUp = Math.round((top.vus / knee.vus - 1) * 100);
  const first = s.bins[0] === knee;
  const rpsChange = top.rps < 0.9 * knee.rps ? `fell to ${rpsText(top.rps)}` : `stayed at about ${rpsText(top.rps)}`;
  // Little's law, closed model: VUs = throughput × time per request, so time per request = VUs / throughput.
  const cycleKnee = (knee.vus / knee.rps) * 1000;
  const cycleTop = (top.vus / top.rps) * 1000;
  const avgKnee = Number.isFinite(knee.avg) ? knee.avg : knee.p95;
  const avgTop = Number.isFinite(top.avg) ? top.avg : top.p95;
  const share = cycleTop > cycleKnee ? Math.max(0, Math.min(1, (avgTop - avgKnee) / (cycleTop - cycleKnee))) : 0;
  const little = `By Little's law (VUs = throughput × time per request), each VU's time per request went from ${msText(cycleKnee)} to ${msText(cycleTop)}, and the mean response time from ${msText(avgKnee)} to ${msText(avgTop)}`;
  const upTo = first ? `From the lowest load measured (${Math.round(knee.vus)} VUs)` : `Up to about ${Math.round(knee.vus)} VUs (${offsetText(range.from - start)}), throughput grew with the load; from there`;
  if (s.latencyRose) {
    const where =
      share >= 0.5
        ? `${Math.round(share * 100)}% of the added time is spent waiting on responses: the extra VUs queue in the service instead of adding throughput.`
        : `only ${Math.round(share * 100)}% of the added time is response time; the rest is spent in the generator or the script.`;
    return {
      kind: 'saturation',
      severity: 'warning',
      title: `Saturation: throughput plateaued at about ${rpsText(s.rpsMax)} from ${Math.round(knee.vus)} VUs while p95 latency rose ${timesText(top.p95 / knee.p95)}`,
      detail: `${upTo} to ${Math.round(top.vus)} VUs (+${vusUp}%), throughput ${rpsChange} while p95 latency went from ${msText(knee.p95)} to ${msText(top.p95)}. ${little}: ${where}`,
      anchor: ANCHORS.load,
      range,
      recommendation: `Treat about ${rpsText(s.rpsMax)} (reached at ~${Math.round(knee.vus)} VUs) as the service's capacity for this mix of requests: find the resource that saturates there (CPU, a connection or thread pool, locks, a downstream call) and optimise or scale it; load beyond ${Math.round(knee.vus)} VUs only adds queueing.`,
    };
  }
  // Throughput flat, latency flat: only meaningful when VUs alone drive the load (an arrival-rate
  // scenario in the mix adds VUs and throughput of its own).
  if (executors.length === 0 || !executors.every((e) => CLOSED_EXECUTORS.has(e))) return undefined;
  return {
    kind: 'throughput-plateau',
    severity: 'warning',
    title: `Throughput stopped growing at about ${rpsText(s.rpsMax)} from ${Math.round(knee.vus)} VUs, but latency did not rise`,
    detail: `${upTo} to ${Math.round(top.vus)} VUs (+${vusUp}%), throughput ${rpsChange} and p95 latency stayed at about ${msText(top.p95)}. ${little}: the response time did not take the extra time, so it went into the load generator (CPU, event loop) or the script's own pacing, not into the service.`,
    anchor: ANCHORS.load,
    range,
    recommendation: 'Check the generator before blaming the service: run with more workers (--workers) or on a bigger machine, and check the script for sleeps or pacing that grow with VUs; the service may have capacity this run did not reach.',
  };
}

// ------------------------------------------------------------------------------------------------
// Generator

/** Warnings of the engine that are about the generator itself. */
const GENERATOR_WARNING = /generator|event.loop|cpu|saturat/i;

/** Whether the load generator itself was the limit: its event-loop delay, CPU, and warnings. */
export function generatorFinding(data: SummaryData): Finding | undefined {
  const ts = data.volley?.timeSeries;
  const evidence: string[] = [];
  let range: { from: number; to: number } | undefined;
  let onChart = false;
  const start = runStartMs(data);
  if (ts) {
    const lag = seriesOf(ts, 'volley_event_loop_delay.p99');
    const lagRuns = findExcursions(lag, GENERATOR_DELAY_LIMIT_MS, 3);
    if (lagRuns.length > 0) {
      const worst = lagRuns.reduce((a, b) => (b.peak > a.peak ? b : a));
      const secs = lagRuns.reduce((a, r) => a + (timeAt(ts, r.to) - timeAt(ts, r.from)), 0);
      evidence.push(
        `its event-loop delay (p99) stayed above ${GENERATOR_DELAY_LIMIT_MS} ms for ${spanText(secs)} in all, first from ${offsetText(timeAt(ts, lagRuns[0]!.from) - start)}, peaking at ${msText(worst.peak)}: requests started late, and their latencies include that delay`,
      );
      range = { from: timeAt(ts, lagRuns[0]!.from), to: timeAt(ts, lagRuns[0]!.to) };
      onChart = true;
    }
    const cpuRuns = findExcursions(seriesOf(ts, 'volley_cpu'), GENERATOR_CPU_LIMIT - 1e-9, 3);
    if (cpuRuns.length > 0) {
      const secs = cpuRuns.reduce((a, r) => a + (timeAt(ts, r.to) - timeAt(ts, r.from)), 0);
      evidence.push(`a worker's CPU was at ${GENERATOR_CPU_LIMIT}% of a core or more for ${spanText(secs)}, first from ${offsetText(timeAt(ts, cpuRuns[0]!.from) - start)}`);
      range ??= { from: timeAt(ts, cpuRuns[0]!.from), to: timeAt(ts, cpuRuns[0]!.to) };
      onChart = true;
    }
  }
  const limited = (data.volley?.scenarios ?? []).filter((s) => s.generatorLimited).map((s) => s.name);
  if (limited.length > 0) evidence.push(`the engine marked ${limited.length === 1 ? 'scenario' : 'scenarios'} ${listText(limited.map((n) => `"${n}"`))} as generator-limited`);
  const warnings = (data.volley?.warnings ?? []).filter((w) => GENERATOR_WARNING.test(w));
  if (warnings.length > 0) evidence.push(`the engine warned: ${warnings.map((w) => `"${w}"`).join('; ')}`);
  if (evidence.length === 0) return undefined;
  const strong = onChart || limited.length > 0;
  const finding: Finding = {
    kind: 'generator-limit',
    severity: 'warning',
    title: strong ? 'The load generator was a limit: part of the measured latency is its own' : 'The load generator reported being busy',
    detail: `${evidence.map((e) => e[0]!.toUpperCase() + e.slice(1)).join('. ')}.`,
    anchor: onChart ? ANCHORS.generator : ANCHORS.warnings,
    recommendation: 'Give the generator more room — more workers (--workers), fewer VUs per machine or a bigger machine — and rerun before trusting the tail latencies.',
  };
  if (range) finding.range = range;
  return finding;
}
