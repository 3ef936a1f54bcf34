import type { SeriesSpec } from './catalog.js';
import { newSink, TrendSink, type Sink } from './sinks.js';
import type { DeltaEntry } from './store.js';

/** The per-second series of a run, as exported in the summary (`volley.timeSeries`). */
export interface TimeSeries {
  /** Bucket width in ms (1000 for 1 s; larger after downsampling a long run). */
  intervalMs: number;
  /** Epoch ms of each bucket's start. */
  t: number[];
  /**
   * Per-bucket values, same length as `t`, null where a bucket has no data. Names: 'vus', and one
   * column per series the catalog declares: a counter's name (per second), a rate's name (0..1), a
   * trend's name + '.p50'/'.p90'/'.p95'/'.p99'/'.max'/'.avg'; plus 'volley_event_loop_delay.p99'
   * when measured. The columns of a spec's `module` (a protocol's) are present only once one of them
   * got a sample; they then cover the whole run (0 per second, null otherwise, before).
   */
  series: Record<string, (number | null)[]>;
}

interface Bucket {
  sinks: Map<string, Sink>;
  vus: number;
  extra: Map<string, number>;
  /** 'level' columns: metric → worker → its value at the end of this second (workers that changed it). */
  levels?: Map<string, Map<number, number>>;
}

/**
 * Per-second time series of the run, built from the same deltas as the totals. Each worker sends
 * one delta per second, aligned on the test start; a bucket is final once every live worker has
 * reported it (or at the end). Memory: one row of numbers per second (a 24 h test is ~86k rows).
 */
export class TimeSeriesBuilder {
  readonly t: number[] = [];
  readonly series: Record<string, (number | null)[]> = {};
  private readonly pending = new Map<number, Bucket>();
  /** Per worker: the newest bucket it reported (-1: none yet). */
  private readonly lastReported: number[] = [];
  /** Epoch ms the run ended (set by the final settle): the last bucket's rates use its real length. */
  private endEpochMs = Infinity;
  private next = 0;
  /** 'level' columns: metric → each worker's newest value (carried into seconds it did not change). */
  private readonly levelOf = new Map<string, number[]>();
  /** Last finished row, for live displays. */
  last: Record<string, number | null> | undefined;

  /** Metric → how it becomes columns (the catalog's `series`: declared by the modules that record them). */
  private readonly kinds: ReadonlyMap<string, SeriesSpec['as']>;
  /** The columns emitted so far, in declared order: those without `module`, plus those of the modules turned on. */
  private columns: readonly SeriesSpec[];
  /** Metric of a column not yet emitted → its module. Empty once every module is on. */
  private readonly triggers = new Map<string, string>();

  constructor(
    private readonly startEpochMs: number,
    private readonly declared: readonly SeriesSpec[],
    private readonly intervalMs = 1000,
  ) {
    this.kinds = new Map(declared.map((c) => [c.metric, c.as]));
    this.columns = declared.filter((c) => c.module === undefined);
    for (const c of declared) if (c.module !== undefined) this.triggers.set(c.metric, c.module);
  }

  /** Turns on the columns of `metric`'s module (the first sample of one of them in the run). */
  private turnOn(metric: string): void {
    const module = this.triggers.get(metric)!;
    const on = new Set(this.columns);
    for (const c of this.declared) if (c.module === module) on.add(c);
    this.columns = this.declared.filter((c) => on.has(c));
    for (const [m, mod] of this.triggers) if (mod === module) this.triggers.delete(m);
  }

  /** Adds worker `worker`'s delta for bucket `index` (0 = first second). `vus` = that worker's active VUs. */
  add(index: number, worker: number, entries: readonly DeltaEntry[], vus: number, extra?: Record<string, number>): void {
    this.lastReported[worker] = Math.max(this.lastReported[worker] ?? -1, index);
    if (index < this.next) {
      // Late data for a bucket already closed: totals have it anyway; a level carries on from it.
      for (const e of entries) {
        if (e.part === 'total' && e.delta.k === 'g' && this.kinds.get(e.metric) === 'level') {
          let per = this.levelOf.get(e.metric);
          if (!per) this.levelOf.set(e.metric, (per = []));
          per[worker] = e.delta.last;
        }
      }
      return;
    }
    let b = this.pending.get(index);
    if (!b) {
      b = { sinks: new Map(), vus: 0, extra: new Map() };
      this.pending.set(index, b);
    }
    b.vus += vus;
    if (extra) for (const k in extra) b.extra.set(k, Math.max(b.extra.get(k) ?? 0, extra[k]!));
    for (const e of entries) {
      if (e.part !== 'total') continue;
      if (this.triggers.size > 0 && this.triggers.has(e.metric)) this.turnOn(e.metric);
      const kind = this.kinds.get(e.metric);
      if (kind === undefined) continue;
      if (kind === 'level') {
        if (e.delta.k !== 'g') continue;
        b.levels ??= new Map();
        let w = b.levels.get(e.metric);
        if (!w) b.levels.set(e.metric, (w = new Map()));
        w.set(worker, e.delta.last);
        continue;
      }
      let s = b.sinks.get(e.metric);
      if (!s) {
        s = kind === 'trend' ? new TrendSink() : newSink(kind === 'per-second' ? 'counter' : 'rate');
        b.sinks.set(e.metric, s);
      }
      s.merge(e.delta);
    }
  }

  /**
   * Closes, in order, every bucket that is complete: every worker still running (`isDone(w)` false)
   * has reported it or a later one (a finished worker has sent all it will). With `force`, closes
   * everything (the end of the run).
   */
  settle(workers: number, isDone: (worker: number) => boolean, force = false, endEpochMs?: number): void {
    if (endEpochMs !== undefined) this.endEpochMs = endEpochMs;
    for (;;) {
      const k = this.next;
      if (!force) {
        for (let w = 0; w < workers; w++) if (!isDone(w) && (this.lastReported[w] ?? -1) < k) return;
      }
      const b = this.pending.get(k);
      if (!b) {
        const more = [...this.pending.keys()].some((x) => x > k);
        if (!more) return;
        this.push(k, undefined);
        this.next++;
        continue;
      }
      this.push(this.next, b);
      this.pending.delete(this.next);
      this.next++;
    }
  }

  private push(index: number, b: Bucket | undefined): void {
    const row: Record<string, number | null> = {};
    // A bucket cut short by the end of the run: per-second rates over the time it really covered.
    const from = this.startEpochMs + index * this.intervalMs;
    const covered = Math.min(this.intervalMs, this.endEpochMs - from);
    const perSec = 1000 / (covered > 0 ? covered : this.intervalMs);
    for (const c of this.columns) {
      const name = c.metric;
      const s = b?.sinks.get(name);
      if (c.as === 'level') row[name] = this.level(name, b);
      else if (c.as === 'per-second') row[name] = s ? (s.get('count') ?? 0) * perSec : 0;
      else if (c.as === 'rate') row[name] = s && (s.get('count') ?? 0) > 0 ? (s.get('rate') ?? null) : null;
      else {
        for (const p of [50, 90, 95, 99] as const) row[`${name}.p${p}`] = s ? (s.percentile(p) ?? null) : null;
        row[`${name}.max`] = s ? (s.get('max') ?? null) : null;
        row[`${name}.avg`] = s ? (s.get('avg') ?? null) : null;
      }
    }
    row.vus = b ? b.vus : null;
    if (b) for (const [k, v] of b.extra) row[k] = v;
    this.t.push(this.startEpochMs + index * this.intervalMs);
    const n = this.t.length;
    for (const k in row) {
      let arr = this.series[k];
      if (!arr) {
        // A column turned on later: counters were 0 per second before (levels 0), the rest had no data.
        arr = new Array<number | null>(n - 1).fill(this.kinds.get(k) === 'per-second' || this.kinds.get(k) === 'level' ? 0 : null);
        this.series[k] = arr;
      }
      arr.push(row[k]!);
    }
    for (const k in this.series) if (this.series[k]!.length < n) this.series[k]!.push(null);
    this.last = row;
  }

  /**
   * The 'level' columns at full resolution (summed over workers each second): the true figures of a
   * gauge whose aggregate only knows one worker's value at a time (the summary takes these).
   */
  levels(): Record<string, (number | null)[]> {
    const out: Record<string, (number | null)[]> = {};
    for (const [k, kind] of this.kinds) if (kind === 'level' && this.series[k]) out[k] = this.series[k];
    return out;
  }

  /** A 'level' column's value for bucket `b`: each worker's newest value so far, summed. */
  private level(metric: string, b: Bucket | undefined): number {
    let per = this.levelOf.get(metric);
    if (!per) this.levelOf.set(metric, (per = []));
    const changed = b?.levels?.get(metric);
    if (changed) for (const [w, v] of changed) per[w] = v;
    let sum = 0;
    for (const v of per) if (v !== undefined) sum += v;
    return sum;
  }

  /**
   * The columns in the order they would have had if every module had recorded from the start (the
   * declared order, then 'vus' and the extras): a module turned on later does not move its columns.
   */
  private ordered(): Record<string, (number | null)[]> {
    const out: Record<string, (number | null)[]> = {};
    for (const c of this.declared) {
      const names = c.as === 'trend' ? ['p50', 'p90', 'p95', 'p99', 'max', 'avg'].map((s) => `${c.metric}.${s}`) : [c.metric];
      for (const k of names) if (this.series[k]) out[k] = this.series[k];
    }
    for (const k in this.series) if (!out[k]) out[k] = this.series[k]!;
    return out;
  }

  /** The series as exported in the summary (downsampled to at most `maxPoints` buckets). */
  toJSON(maxPoints = 4000): TimeSeries {
    const n = this.t.length;
    if (n <= maxPoints) return { intervalMs: this.intervalMs, t: [...this.t], series: this.ordered() };
    const f = Math.ceil(n / maxPoints);
    const t: number[] = [];
    const series: Record<string, (number | null)[]> = {};
    for (let i = 0; i < n; i += f) t.push(this.t[i]!);
    const all = this.ordered();
    for (const k in all) {
      const src = all[k]!;
      const out: (number | null)[] = [];
      const useMax = k.endsWith('.max') || k.endsWith('.p99') || k.endsWith('.p95');
      for (let i = 0; i < n; i += f) {
        let acc: number | null = null;
        let cnt = 0;
        for (let j = i; j < Math.min(n, i + f); j++) {
          const v = src[j];
          if (v === null || v === undefined) continue;
          acc = acc === null ? v : useMax ? Math.max(acc, v) : acc + v;
          cnt++;
        }
        out.push(acc === null ? null : useMax ? acc : acc / cnt);
      }
      series[k] = out;
    }
    return { intervalMs: this.intervalMs * f, t, series };
  }
}

/** A 'level' column's figures as a gauge has them: the last value, the lowest and the highest (undefined: no data). */
export function levelFigures(col: readonly (number | null)[]): { value: number; min: number; max: number } | undefined {
  let value: number | undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of col) {
    if (v === null) continue;
    value = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return value === undefined ? undefined : { value, min, max };
}
