/**
 * The dashboard's bounded, downsampled memory of the per-second time series.
 *
 * A run feeds one row per second (keys as in `TimeSeries.series`). A 24-hour test is 86,400 rows;
 * keeping them all would make memory and the catch-up payload of a page opened late grow without
 * bound. Instead every row goes into a few *levels*, from fine to coarse:
 *
 *   level 0   raw 1 s rows, the last 3,600 (1 h)              ring buffer, oldest overwritten
 *   level 1   10 s buckets, the last 1,080 (3 h)              ring buffer, oldest overwritten
 *   level 2   60 s buckets, at most 1,440 (24 h), from start  when full, adjacent buckets merge
 *                                                             pairwise and the interval doubles
 *
 * Every level sees every row (not a cascade), so each bucket is an exact reduction of the raw rows
 * in it. `toJSON()` stitches them: all of level 0, then the level-1 buckets that start before the
 * oldest raw row, then the level-2 buckets that start before the oldest level-1 bucket. The result
 * covers the whole run with at most 3,600 + 1,080 + 1,440 = 6,120 points, whatever its length:
 * about 100 kB of numbers per series key in memory and ~0.5 MB of JSON for a 24-hour test.
 *
 * Reduction per key (the same rule as `TimeSeriesBuilder.toJSON`, so the dashboard and the report
 * draw the same curves): keys ending in `.max`, `.p95` or `.p99` keep the maximum of the bucket
 * (a peak must not be averaged away); every other key keeps the mean of its non-null values
 * (per-second counts, rates, VUs, p50/p90/avg, CPU). A bucket with no value for a key is null.
 */

/** One downsampling level. */
export interface HistoryLevel {
  /** Bucket width in ms; 0 for the raw level (each row is one point). */
  intervalMs: number;
  /** Points kept. */
  capacity: number;
}

/** The default levels (see the module comment). The last level compacts instead of forgetting. */
export const DEFAULT_HISTORY_LEVELS: readonly HistoryLevel[] = [
  { intervalMs: 0, capacity: 3600 },
  { intervalMs: 10_000, capacity: 1080 },
  { intervalMs: 60_000, capacity: 1440 },
];

/** The stitched history as sent to browsers: column-oriented, `t` in epoch ms. */
export interface HistoryJSON {
  t: number[];
  s: Record<string, (number | null)[]>;
}

/** True when the bucket reduction of `key` is the maximum (peaks), false for the mean. */
export function reducesByMax(key: string): boolean {
  return key.endsWith('.max') || key.endsWith('.p95') || key.endsWith('.p99');
}

/**
 * One column per key: `acc` holds the sum (mean keys) or the max (max keys), `n` how many non-null
 * values went in. Float64Array: 16 bytes per point per key, no boxing.
 */
interface Column {
  max: boolean;
  acc: Float64Array;
  n: Float64Array;
}

/**
 * A ring of `capacity` points (bucket index + one accumulator per key), plus the open bucket that
 * is still receiving rows. Indexes are `floor((t - origin) / intervalMs)`; the raw level stores
 * the row's own time instead.
 */
class Level {
  intervalMs: number;
  readonly capacity: number;
  private readonly compacts: boolean;
  /** Bucket index (or raw time) of each slot. */
  private readonly idx: Float64Array;
  private readonly cols = new Map<string, Column>();
  private head = 0;
  size = 0;
  /** Open bucket (coarse levels only): index, or -1 when none. */
  private openIdx = -1;
  private readonly openAcc = new Map<string, { acc: number; n: number }>();

  constructor(spec: HistoryLevel, compacts: boolean) {
    this.intervalMs = spec.intervalMs;
    this.capacity = spec.capacity;
    this.compacts = compacts;
    this.idx = new Float64Array(spec.capacity);
  }

  private column(key: string): Column {
    let c = this.cols.get(key);
    if (!c) {
      c = { max: reducesByMax(key), acc: new Float64Array(this.capacity), n: new Float64Array(this.capacity) };
      this.cols.set(key, c);
    }
    return c;
  }

  /** Slot of the i-th oldest point. */
  private slot(i: number): number {
    return (this.head + i) % this.capacity;
  }

  add(origin: number, timeMs: number, values: Record<string, number | null>): void {
    if (this.intervalMs === 0) {
      this.pushPoint(timeMs, (key) => {
        const v = values[key];
        return v === null || v === undefined || !Number.isFinite(v) ? undefined : { acc: v, n: 1 };
      }, Object.keys(values));
      return;
    }
    let b = Math.floor((timeMs - origin) / this.intervalMs);
    if (this.openIdx !== -1 && b !== this.openIdx) {
      if (this.size === this.capacity && this.compacts) {
        // Make room first: the interval doubles, so the row may now fall in the open bucket.
        this.compact();
        b = Math.floor((timeMs - origin) / this.intervalMs);
      }
      if (b !== this.openIdx) this.closeOpen();
    }
    this.openIdx = b;
    for (const key in values) {
      const v = values[key];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const a = this.openAcc.get(key);
      if (!a) this.openAcc.set(key, { acc: v, n: 1 });
      else {
        a.acc = reducesByMax(key) ? Math.max(a.acc, v) : a.acc + v;
        a.n++;
      }
    }
  }

  private closeOpen(): void {
    const acc = this.openAcc;
    this.pushPoint(this.openIdx, (key) => acc.get(key), [...acc.keys()]);
    acc.clear();
    this.openIdx = -1;
  }

  private pushPoint(index: number, get: (key: string) => { acc: number; n: number } | undefined, keys: string[]): void {
    if (this.size === this.capacity) {
      // A compacting level made room before closing its bucket (see add).
      if (this.compacts) throw new Error('History: compacting level full');
      // Forget the oldest: the next coarser level still holds its time range.
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
    const s = this.slot(this.size);
    this.idx[s] = index;
    for (const key of keys) this.column(key);
    for (const [key, c] of this.cols) {
      const a = get(key);
      c.acc[s] = a ? a.acc : 0;
      c.n[s] = a ? a.n : 0;
    }
    this.size++;
  }

  /**
   * Doubles the interval: points whose halved index is equal merge (exactly: sums and counts add,
   * maxima take the max). The open bucket's index halves too; if the last stored point now falls
   * in it, that point is pulled back into the open bucket.
   */
  private compact(): void {
    // Linearise first so that merging can work in place from slot 0.
    this.linearise();
    let w = -1;
    let lastIdx = NaN;
    for (let r = 0; r < this.size; r++) {
      const ni = Math.floor(this.idx[r]! / 2);
      if (ni === lastIdx) {
        for (const c of this.cols.values()) {
          if (c.n[r]! === 0) continue;
          c.acc[w] = c.n[w]! === 0 ? c.acc[r]! : c.max ? Math.max(c.acc[w]!, c.acc[r]!) : c.acc[w]! + c.acc[r]!;
          c.n[w] = c.n[w]! + c.n[r]!;
        }
      } else {
        w++;
        this.idx[w] = ni;
        lastIdx = ni;
        if (w !== r) {
          for (const c of this.cols.values()) {
            c.acc[w] = c.acc[r]!;
            c.n[w] = c.n[r]!;
          }
        }
      }
    }
    this.size = w + 1;
    this.intervalMs *= 2;
    if (this.openIdx !== -1) {
      this.openIdx = Math.floor(this.openIdx / 2);
      const last = this.size - 1;
      if (last >= 0 && this.idx[last] === this.openIdx) {
        for (const [key, c] of this.cols) {
          if (c.n[last]! === 0) continue;
          const a = this.openAcc.get(key);
          if (!a) this.openAcc.set(key, { acc: c.acc[last]!, n: c.n[last]! });
          else {
            a.acc = c.max ? Math.max(a.acc, c.acc[last]!) : a.acc + c.acc[last]!;
            a.n += c.n[last]!;
          }
        }
        this.size--;
      }
    }
    // Merging one pair may not be enough if the ring held sparse indexes; halve again if still full.
    if (this.size === this.capacity) this.compact();
  }

  private linearise(): void {
    if (this.head === 0) return;
    const rot = <T extends Float64Array>(a: T): void => {
      const copy = a.slice();
      for (let i = 0; i < this.size; i++) a[i] = copy[(this.head + i) % this.capacity]!;
    };
    rot(this.idx);
    for (const c of this.cols.values()) {
      rot(c.acc);
      rot(c.n);
    }
    this.head = 0;
  }

  /** Time of the oldest point (including the open bucket when nothing is stored), or undefined. */
  firstTime(origin: number): number | undefined {
    if (this.size > 0) return this.timeOf(origin, this.idx[this.slot(0)]!);
    if (this.openIdx !== -1) return this.timeOf(origin, this.openIdx);
    return undefined;
  }

  private timeOf(origin: number, index: number): number {
    return this.intervalMs === 0 ? index : origin + index * this.intervalMs;
  }

  /** Appends the points that start before `beforeMs` to `out` (oldest first). */
  emit(origin: number, beforeMs: number, keys: string[], out: HistoryJSON, round: (v: number) => number): void {
    const push = (time: number, get: (key: string) => { acc: number; n: number } | undefined): void => {
      out.t.push(time);
      for (const key of keys) {
        const a = get(key);
        out.s[key]!.push(a === undefined || a.n === 0 ? null : round(reducesByMax(key) ? a.acc : a.acc / a.n));
      }
    };
    for (let i = 0; i < this.size; i++) {
      const s = this.slot(i);
      const time = this.timeOf(origin, this.idx[s]!);
      if (time >= beforeMs) return;
      push(time, (key) => {
        const c = this.cols.get(key);
        return c ? { acc: c.acc[s]!, n: c.n[s]! } : undefined;
      });
    }
    if (this.openIdx !== -1) {
      const time = this.timeOf(origin, this.openIdx);
      if (time < beforeMs) push(time, (key) => this.openAcc.get(key));
    }
  }

  keys(): Iterable<string> {
    return [...this.cols.keys(), ...this.openAcc.keys()];
  }
}

/** Rounds to 6 significant digits: plenty for a chart, and it keeps the JSON short. */
export function roundSignificant(v: number): number {
  return v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(6));
}

/**
 * The downsampled history of one run. `add` is O(levels × keys) per row; memory is bounded by the
 * levels' capacities whatever the run's length.
 */
export class History {
  private readonly levels: Level[];
  private origin: number | undefined;
  private lastTimeMs = -Infinity;
  /** Rows accepted (for tests and diagnostics). */
  rows = 0;

  /** `levels` fine to coarse; the first should be raw (intervalMs 0), the last compacts when full. */
  constructor(levels: readonly HistoryLevel[] = DEFAULT_HISTORY_LEVELS) {
    if (levels.length === 0) throw new Error('History needs at least one level');
    // The last level compacts (unless raw: a raw-only history keeps the newest rows).
    this.levels = levels.map((l, i) => new Level(l, i === levels.length - 1 && l.intervalMs > 0));
  }

  /**
   * Adds one row. Rows must come in time order; a row whose time is not after the previous one's
   * (the same row seen again, or late) is ignored, so feeding the "newest row" every tick is safe.
   */
  add(timeMs: number, values: Record<string, number | null>): boolean {
    if (!(timeMs > this.lastTimeMs)) return false;
    this.lastTimeMs = timeMs;
    this.origin ??= timeMs;
    for (const l of this.levels) l.add(this.origin, timeMs, values);
    this.rows++;
    return true;
  }

  /** True once a row has fallen out of the raw level (the stitched history is then downsampled). */
  get downsampled(): boolean {
    const raw = this.levels[0]!;
    return this.rows > raw.size;
  }

  /** The whole run, stitched from the levels (see the module comment), oldest first. */
  toJSON(round: (v: number) => number = roundSignificant): HistoryJSON {
    const out: HistoryJSON = { t: [], s: {} };
    if (this.origin === undefined) return out;
    const origin = this.origin;
    const keySet = new Set<string>();
    for (const l of this.levels) for (const k of l.keys()) keySet.add(k);
    const keys = [...keySet].sort();
    for (const k of keys) out.s[k] = [];
    // Boundaries from fine to coarse: each level contributes what starts before the finer one.
    const bounds: number[] = [];
    let before = Infinity;
    for (const l of this.levels) {
      bounds.push(before);
      const first = l.firstTime(origin);
      if (first !== undefined) before = Math.min(before, first);
    }
    for (let i = this.levels.length - 1; i >= 0; i--) this.levels[i]!.emit(origin, bounds[i]!, keys, out, round);
    return out;
  }
}
