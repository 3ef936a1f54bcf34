/**
 * The whole test, live, from its runners' pushes: their aggregates merged exactly (HDR histograms
 * added, as `volley merge` does at the end), the thresholds judged on the merge each second (an
 * abortOnFail that fails stops every runner), the runners' seconds merged into one row, and one
 * live snapshot (VUs, iterations, scenarios summed).
 *
 * Windowed thresholds and time budgets need each second's histograms, which runners do not push:
 * live they are not judged here (each runner judges its share); the final tick judges each over the
 * whole test as one window, as `volley merge` does. `drift` thresholds need the whole per-second
 * series: they are `volley merge`'s alone (here they have no data).
 */
import { Aggregator } from '../../metrics/aggregator.js';
import { portableDelta, type PortableAggregate } from '../../metrics/portable.js';
import type { SinkDelta } from '../../metrics/sinks.js';
import type { LiveSnapshot } from '../../metrics/live.js';
import { ThresholdSet, selectorParts, type StatReader, type ThresholdEval } from '../../metrics/thresholds/index.js';
import type { RunMeta } from '../../outputs/types.js';
import type { TimeSeries } from '../../summary/types.js';
import { isAdditiveGauge, sumGauges } from '../merge/gauges.js';
import { mergeTimeSeries, summedColumns } from '../merge/time-series.js';
import type { AggregatePush } from './protocol.js';

/** A runner that has not pushed for this long is lost (its last push still counts). */
export const LOST_AFTER_MS = 10_000;
/** Runners one aggregate takes (a bound on its memory). */
export const MAX_RUNNERS = 4096;
/** Seconds kept per runner to line its rows up with the others'. */
const ROWS_KEPT = 30;

interface RunnerState {
  last: AggregatePush;
  /** Bumped by each push that brought breakdown rows. */
  rowsVersion: number;
  /** The newest of each aggregate (metric, part, key) the runner sent, decoded once. */
  aggregates: Map<string, { a: PortableAggregate; delta: SinkDelta }>;
  seenMs: number;
  /** Second (epoch s) → values, the newest ROWS_KEPT. */
  rows: Map<number, Record<string, number | null>>;
}

export interface MergedTick {
  runners: { name: string; done: boolean; lost: boolean }[];
  /** Totals and sub-metrics, merged. */
  agg: Aggregator;
  /** Breakdown rows (routes, checks, errors…), merged. */
  rowsAgg: Aggregator | undefined;
  thresholds: ThresholdEval[];
  /** Set from the first abortOnFail failure on: every runner is told to stop. */
  abort: string | undefined;
  live: LiveSnapshot;
  /** Seconds every runner has reported (or that are old enough), merged, oldest first; each once. */
  rows: { timeMs: number; values: Record<string, number | null> }[];
  meta: RunMeta;
}

export class LiveMerge {
  private readonly runners = new Map<string, RunnerState>();
  private scriptHash: string | undefined;
  private thresholdSet: ThresholdSet | undefined;
  private abortReason: string | undefined;
  private lastRowSecond = -Infinity;
  private rowsAgg: Aggregator | undefined;
  private rowsVersion = '';

  /** `expected`: the runners the test has (`--runners`): a second waits for all of them (at most 3 s). */
  constructor(private readonly expected = 0) {}

  /** Takes a push; throws an Error (the runner is told why) when it belongs to another test. */
  accept(p: AggregatePush, nowMs: number): void {
    if (this.scriptHash === undefined) {
      this.thresholdSet = new ThresholdSet(p.thresholds);
      this.scriptHash = p.scriptHash;
    } else if (p.scriptHash !== this.scriptHash) {
      throw new Error(`runner ${p.runner} runs another script (hash ${p.scriptHash.slice(0, 12)}, this aggregate's runners ${this.scriptHash.slice(0, 12)}): start one volley aggregate per test`);
    }
    // Decoded here, once per push, not at every tick (a trend's histogram: ≈ 1 ms); a malformed
    // aggregate refuses the whole push before anything of it is kept.
    const decoded = p.aggregates.map((a) => ({ k: `${a.metric}\u0000${a.part}\u0000${a.key}`, a: a.trend ? { ...a, trend: { ...a.trend, hdr: '' } } : a, delta: portableDelta(a) }));
    let r = this.runners.get(p.runner);
    if (r && p.seq <= r.last.seq) return; // an older push that arrived late (the newer one is whole)
    if (r && p.meta.startTimeMs !== r.last.meta.startTimeMs) throw new Error(`two runners are named ${p.runner} (started at different times): runner names must be unique`);
    if (!r) {
      if (this.runners.size >= MAX_RUNNERS) throw new Error(`more than ${MAX_RUNNERS} runners: runner names must be stable (host:segment)`);
      this.runners.set(p.runner, (r = { last: p, rowsVersion: 0, aggregates: new Map(), seenMs: nowMs, rows: new Map() }));
    }
    r.last = p;
    for (const d of decoded) r.aggregates.set(d.k, { a: d.a, delta: d.delta });
    if (decoded.some((d) => d.a.part !== 'total' && d.a.part !== 'sub')) r.rowsVersion++;
    r.seenMs = nowMs;
    if (p.row) {
      r.rows.set(Math.round(p.row.timeMs / 1000), p.row.values);
      if (r.rows.size > ROWS_KEPT) r.rows.delete(r.rows.keys().next().value!);
    }
  }

  /** The abort every runner must hear (undefined: go on). */
  get abort(): string | undefined {
    return this.abortReason;
  }

  get size(): number {
    return this.runners.size;
  }

  /** Every runner seen is done (its last push said so) or lost. */
  allOver(nowMs: number): boolean {
    if (this.runners.size === 0) return false;
    for (const r of this.runners.values()) if (!r.last.done && nowMs - r.seenMs < LOST_AFTER_MS) return false;
    return true;
  }

  /** Merges what the runners sent so far. `final`: the test is over (thresholds judged as at the end). */
  tick(nowMs: number, final = false): MergedTick | undefined {
    if (this.runners.size === 0) return undefined;
    const states = [...this.runners.entries()];
    const pushes = states.map(([, r]) => r.last);
    const first = pushes[0]!;
    const startMs = Math.min(...pushes.map((p) => p.meta.startTimeMs));
    // The runners' own clocks: a push's aggregates were taken at its start + elapsed (a done
    // runner's elapsed stops at its end). The aggregate's clock would count the time a push took
    // to arrive, and the time after the end, into every counter's rate.
    const elapsedMs = Math.max(0, Math.max(...pushes.map((p) => p.meta.startTimeMs + p.live.elapsedMs)) - startMs);
    // Totals and sub-metrics (what thresholds read) are merged afresh every tick; breakdown rows,
    // which come every 10th push and are many, only when one changed (merging a trend: ≈ 0.7 ms;
    // 4 runners × 100 rows every second cost 272 ms).
    const agg = new Aggregator(() => elapsedMs, first.breakdowns);
    const levels = new Set(first.series.filter((s) => s.as === 'level').map((s) => s.metric));
    const additive = new Map<string, PortableAggregate[]>();
    const rowsVersion = states.map(([, r]) => r.rowsVersion).join(',');
    const rebuildRows = rowsVersion !== this.rowsVersion;
    if (rebuildRows) {
      this.rowsAgg = new Aggregator(() => elapsedMs, first.breakdowns);
      this.rowsVersion = rowsVersion;
    }
    for (const [, r] of states) {
      for (const { a, delta } of r.aggregates.values()) {
        const row = a.part !== 'total' && a.part !== 'sub';
        if (row && !rebuildRows) continue;
        if (isAdditiveGauge(a, levels)) {
          if (a.gauge) additive.set(a.metric, [...(additive.get(a.metric) ?? []), a]);
        } else (row ? this.rowsAgg! : agg).merge([{ metric: a.metric, part: a.part, key: a.key, type: a.type, contains: a.contains, delta }]);
      }
    }
    for (const list of additive.values()) {
      const g = sumGauges(list, undefined);
      agg.merge([{ metric: g.metric, part: g.part, key: g.key, type: g.type, contains: g.contains, delta: portableDelta(g) }]);
    }

    const thresholds = this.thresholdSet!.evaluate((k) => readerOf(agg, k), elapsedMs, { final, failWithoutSamples: final && first.failWithoutSamples === true });
    const failed = thresholds.find((e) => e.shouldAbort);
    if (failed && this.abortReason === undefined && !final) {
      this.abortReason = `threshold "${failed.expr}" on ${failed.metric} failed across ${this.runners.size} runner${this.runners.size === 1 ? '' : 's'} (value ${failed.value ?? 'n/a'}; volley aggregate)`;
    }
    const runners = states.map(([name, r]) => ({ name, done: r.last.done, lost: !r.last.done && nowMs - r.seenMs >= LOST_AFTER_MS }));
    return {
      runners,
      agg,
      rowsAgg: this.rowsAgg,
      thresholds,
      abort: this.abortReason,
      live: mergeLive(pushes.map((p) => p.live), thresholds),
      rows: this.newRows(states.map(([, r], i) => ({ r, active: !runners[i]!.done && !runners[i]!.lost })), nowMs, summedColumns(first.series)),
      meta: { ...first.meta, startTimeMs: startMs, plannedMs: Math.max(...pushes.map((p) => p.meta.plannedMs)) },
    };
  }

  /**
   * The seconds not yet merged that every active runner has reported, or that are 3 s old (a
   * runner that fell behind or stopped does not hold the others back), each merged once.
   */
  private newRows(states: { r: RunnerState; active: boolean }[], nowMs: number, perSecond: ReadonlySet<string>): MergedTick['rows'] {
    const seconds = new Set<number>();
    for (const { r } of states) for (const s of r.rows.keys()) if (s > this.lastRowSecond) seconds.add(s);
    const out: MergedTick['rows'] = [];
    for (const s of [...seconds].sort((a, b) => a - b)) {
      const all = states.length >= this.expected && states.every(({ r, active }) => !active || r.rows.has(s) || [...r.rows.keys()].some((k) => k > s));
      const ready = all || nowMs - s * 1000 > 3000;
      if (!ready) break;
      const parts: TimeSeries[] = [];
      for (const { r } of states) {
        const v = r.rows.get(s);
        if (v) parts.push({ intervalMs: 1000, t: [s * 1000], series: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, [x]])) });
      }
      const m = mergeTimeSeries(parts, perSecond);
      out.push({ timeMs: s * 1000, values: Object.fromEntries(Object.entries(m.series).map(([k, v]) => [k, v[0] ?? null])) });
      this.lastRowSecond = s;
    }
    return out;
  }
}

/** A threshold key's reader over the merged aggregates (sub-metrics by their selector). */
function readerOf(agg: Aggregator, key: string): StatReader | undefined {
  const { metric, filter } = selectorParts(key);
  const a = filter !== '' ? agg.find(metric, 'sub', key) : agg.find(metric);
  if (a) return { type: a.type, get: (s) => a.sink.get(s), percentile: (p) => a.sink.percentile(p) };
  const t = agg.metricTypes.get(metric);
  return t ? { type: t.type, get: () => undefined, percentile: () => undefined } : undefined;
}

/** One live snapshot from the runners': counts add up; the last second's p95 and error rate are weighted by each runner's throughput. */
function mergeLive(list: readonly LiveSnapshot[], thresholds: readonly ThresholdEval[]): LiveSnapshot {
  const sum = (f: (s: LiveSnapshot) => number): number => list.reduce((a, s) => a + f(s), 0);
  const weighted = (f: (s: LiveSnapshot) => number | null): number | null => {
    let w = 0;
    let acc = 0;
    for (const s of list) {
      const v = f(s);
      if (v === null) continue;
      const k = s.rps ?? 0;
      acc += v * k;
      w += k;
    }
    return w > 0 ? acc / w : null;
  };
  const scenarios = new Map<string, LiveSnapshot['scenarios'][number]>();
  for (const s of list) {
    for (const sc of s.scenarios) {
      const x = scenarios.get(sc.name);
      if (!x) scenarios.set(sc.name, { ...sc });
      else {
        x.active += sc.active;
        x.allocated += sc.allocated;
        x.iterations += sc.iterations;
        x.progress = Math.min(x.progress, sc.progress);
        x.done &&= sc.done;
        x.interrupted = (x.interrupted ?? 0) + (sc.interrupted ?? 0);
      }
    }
  }
  const anyRps = list.some((s) => s.rps !== null);
  return {
    elapsedMs: Math.max(...list.map((s) => s.elapsedMs)),
    plannedMs: Math.max(...list.map((s) => s.plannedMs)),
    vus: sum((s) => s.vus),
    vusMax: sum((s) => s.vusMax),
    iterations: sum((s) => s.iterations),
    rps: anyRps ? sum((s) => s.rps ?? 0) : null,
    p95: weighted((s) => s.p95),
    errorRate: weighted((s) => s.errorRate),
    scenarios: [...scenarios.values()],
    failedThresholds: thresholds.filter((t) => !t.ok).length,
    eventLoopDelayP99Ms: Math.max(...list.map((s) => s.eventLoopDelayP99Ms)),
    cpuPercent: Math.max(...list.map((s) => s.cpuPercent)),
  };
}
