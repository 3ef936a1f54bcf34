import { newSink, type Sink, type SinkDelta } from '../sinks.js';
import { newHistogram, percentileMs, type Histogram } from '../hdr.js';

/**
 * Windowed thresholds (`'p(95)<350 for 5m'`): the aggregation must hold over every window of that
 * length, not only over the whole run.
 *
 * **Sliding windows**, not tumbling ones: a tumbling grid (0–5m, 5–10m, …) can cut a bad 5-minute
 * stretch in two halves that each pass; a sliding window catches any bad stretch of the window's
 * length. This is how an alert expression over `[5m]` (Prometheus `histogram_quantile(0.95,
 * rate(…[5m]))`) is evaluated, so a passing windowed threshold means that expression never
 * crossed the line during the run.
 *
 * The windows slide by a **step** of W/60 (at least one bucket, 1 s) and keep the last 60 step
 * aggregates, so memory stays constant whatever the window length (a 24 h window keeps 60 sparse
 * histograms, not 86 400). A trend's window is a running histogram: each step adds the entering
 * step's counts and removes the leaving one's (merging 60 histograms per step instead cost 9.2 ms
 * per second of test for a 5m and a 1h window at 1,000 samples/s, the running one 0.36 ms; AMD
 * EPYC, 2 shared cores). A window starting between two steps is approximated by its neighbours
 * (at most W/60 off).
 *
 * Data: the per-second deltas the workers send (the same as the time series gets), attributed to
 * their bucket; a bucket is folded in when the caller says it is closed (`close`). Live
 * evaluation only judges full windows (a window of the first seconds has too few samples to
 * judge); at the end, a run shorter than its window is judged as one window over the whole run
 * (`partial`), so a short CI run does not pass a windowed threshold without any check.
 */

/** Steps per window: the window slides by W/STEPS_PER_WINDOW. */
export const STEPS_PER_WINDOW = 60;

/** A window's aggregate, read like the whole-run one. */
export interface WindowReader {
  get(agg: string): number | undefined;
  percentile(p: number): number | undefined;
}

/** Judges one window: true when the threshold holds (or there is nothing to judge). */
export type WindowJudge = (w: WindowReader, windowMs: number) => { ok: boolean; value: number | null };

/** Told of every judged window with data: its start and length (ms from the test start) and verdict. */
export type WindowObserver = (startMs: number, lengthMs: number, ok: boolean) => void;

/**
 * How a threshold's windows are laid: `sliding` (a windowed threshold, `for 5m`: windows of W
 * slide by W/60) or `tumbling` (a time budget, `per 1m`: back-to-back windows of W from the test
 * start, the last one ending with the run, so each second of the run is in exactly one window).
 */
export type WindowLayout = 'sliding' | 'tumbling';

/** What the windows of one threshold showed so far. */
export interface WindowVerdict {
  windowMs: number;
  /** Windows judged (with data). */
  windows: number;
  /** Windows in which the threshold did not hold. */
  failed: number;
  /** The value of the worst window (the one farthest on the wrong side), null before any window. */
  worst: number | null;
  /** Offset (ms from the test start) of the worst window's start. */
  worstStartMs: number | null;
  /** Offset of the first failing window's start, null when none failed. */
  firstFailStartMs: number | null;
  /** The value of the latest window (for live displays). */
  latest: number | null;
  /** The run was shorter than the window: the whole run was judged as one window. */
  partial?: true;
}

interface Tracked {
  verdict: WindowVerdict;
  judge: WindowJudge;
  observe: WindowObserver | undefined;
  /** Larger is worse (`<`, `<=` thresholds) or smaller is worse (`>`, `>=`); equality: any failing value. */
  worseIsHigher: boolean;
}

/** The windows of one metric key and one window length (several thresholds may share them). */
class Track {
  readonly stepBuckets: number;
  /** Step aggregates (drained deltas), oldest first; at most STEPS_PER_WINDOW. */
  private readonly ring: SinkDelta[] = [];
  /** Buckets in each step of `ring` (the last step of the run may be shorter). */
  private readonly ringBuckets: number[] = [];
  /** Bucket index of the first bucket in `ring[0]`. */
  private ringStartBucket = 0;
  private step: Sink | undefined;
  private stepBucketsIn = 0;
  private scratch: WindowReader | undefined;
  /** Every bucket so far, for the partial window of a short run (only until the first full window). */
  private whole: Sink | undefined;
  readonly thresholds: Tracked[] = [];
  private judged = 0;

  constructor(
    readonly windowMs: number,
    private readonly bucketMs: number,
    layout: WindowLayout = 'sliding',
  ) {
    // A tumbling window is one step long: the ring holds one step, judged as it completes.
    this.stepBuckets = Math.max(1, Math.round(windowMs / bucketMs / (layout === 'tumbling' ? 1 : STEPS_PER_WINDOW)));
  }

  private get windowSteps(): number {
    return Math.max(1, Math.round(this.windowMs / this.bucketMs / this.stepBuckets));
  }

  /** Folds one closed bucket's data in (the workers' deltas; undefined: the bucket had none for this key). */
  push(bucket: number, data: readonly SinkDelta[] | undefined): void {
    if (data) {
      // One step sink, reused: merging a worker's sparse delta costs its non-empty buckets only.
      this.step ??= newSink(kindOf(data[0]!));
      for (const d of data) this.step.merge(d);
    }
    if (this.stepBucketsIn === 0 && this.ring.length === 0) this.ringStartBucket = bucket;
    this.stepBucketsIn++;
    if (this.stepBucketsIn < this.stepBuckets) return;
    this.endStep();
    if (this.ring.length === this.windowSteps) this.judge();
  }

  /** The end of the run: the last, shorter step closes the last window; a run shorter than the window is judged whole. */
  finish(): void {
    if (this.stepBucketsIn > 0) {
      const full = this.ring.length === this.windowSteps;
      this.endStep();
      if (full || this.judged > 0) this.judge();
    }
    if (this.judged === 0 && this.ring.length > 0) {
      this.judge();
      for (const t of this.thresholds) if (t.verdict.windows > 0) t.verdict.partial = true;
    }
  }

  private endStep(): void {
    const d = this.step?.drain();
    const buckets = this.stepBucketsIn;
    this.stepBucketsIn = 0;
    if (this.ring.length === this.windowSteps) {
      const old = this.ring.shift()!;
      this.ringBuckets.shift();
      if (old.k === 't' && this.trend) this.trend.remove(old);
      this.ringStartBucket += this.stepBuckets;
    }
    this.ringBuckets.push(buckets);
    // A step without data keeps its slot (an empty counter delta is neutral for every type that matters here).
    this.ring.push(d ?? EMPTY);
    if (d?.k === 't') (this.trend ??= new RunningTrend()).add(d);
  }

  /** A trend's window, kept as a running histogram: each step adds its delta and removes the expired one's. */
  private trend: RunningTrend | undefined;

  private judge(): void {
    const proto = this.ring.find((d) => d !== EMPTY);
    if (!proto) return;
    const type = kindOf(proto);
    let buckets = 0;
    for (const b of this.ringBuckets) buckets += b;
    const lengthMs = buckets * this.bucketMs;
    if (type === 'trend') {
      // Merging 60 histograms per window costs ~1 µs per non-empty bucket each (bench: 9 ms per
      // second of test for a 5m and a 1h window on 1,000 samples/s); the running histogram adds one
      // and removes one per step.
      this.scratch = this.trend!.reader(this.ring);
    } else {
      const sink = newSink(type);
      for (const d of this.ring) if (d !== EMPTY) sink.merge(d);
      if (sink.type === 'counter') (sink as Sink & { elapsedMs: number }).elapsedMs = lengthMs;
      this.scratch = sink;
    }
    const startMs = this.ringStartBucket * this.bucketMs;
    this.judged++;
    for (const t of this.thresholds) {
      const r = t.judge(this.scratch, lengthMs);
      if (r.value === null) continue;
      t.observe?.(startMs, lengthMs, r.ok);
      const v = t.verdict;
      v.windows++;
      v.latest = r.value;
      const worse = v.worst === null || (t.worseIsHigher ? r.value > v.worst : r.value < v.worst);
      if (!r.ok) {
        v.failed++;
        v.firstFailStartMs ??= startMs;
      }
      if (worse) {
        v.worst = r.value;
        v.worstStartMs = startMs;
      }
    }
  }
}

const EMPTY: SinkDelta = { k: 'c', sum: 0 };

/**
 * The windows of a test's windowed thresholds. Feed it the workers' per-bucket deltas (`add`),
 * tell it which buckets are closed (`close`), read each threshold's verdict (`verdict`).
 */
export class ThresholdWindows {
  private readonly tracks = new Map<string, Track>();
  /** Selector key → tracks on it. */
  private readonly byKey = new Map<string, Track[]>();
  private readonly verdicts: WindowVerdict[] = [];
  /** Pending (not yet closed) buckets: bucket → selector key → the workers' deltas. */
  private readonly pending = new Map<number, Map<string, SinkDelta[]>>();
  private closed = 0;

  constructor(private readonly bucketMs = 1000) {}

  /**
   * Registers a windowed threshold on `key` (a metric or sub-metric selector); returns its verdict
   * index. `layout` (default sliding) and `observe` (told of every judged window) serve time budgets.
   */
  watch(key: string, windowMs: number, judge: WindowJudge, worseIsHigher: boolean, layout: WindowLayout = 'sliding', observe?: WindowObserver): number {
    const id = `${key}\u0000${windowMs}\u0000${layout}`;
    let track = this.tracks.get(id);
    if (!track) {
      track = new Track(windowMs, this.bucketMs, layout);
      this.tracks.set(id, track);
      const list = this.byKey.get(key) ?? [];
      list.push(track);
      this.byKey.set(key, list);
    }
    const verdict: WindowVerdict = { windowMs, windows: 0, failed: 0, worst: null, worstStartMs: null, firstFailStartMs: null, latest: null };
    track.thresholds.push({ verdict, judge, worseIsHigher, observe });
    this.verdicts.push(verdict);
    return this.verdicts.length - 1;
  }

  get size(): number {
    return this.verdicts.length;
  }

  verdict(i: number): WindowVerdict {
    return this.verdicts[i]!;
  }

  /**
   * One worker's deltas for bucket `bucket` (whole `bucketMs` intervals since the start). Entries
   * are the worker's drained sinks: totals (`part 'total'`, key '') and sub-metrics (`part 'sub'`,
   * key = the selector).
   */
  add(bucket: number, entries: ReadonlyArray<{ metric: string; part: string; key: string; delta: SinkDelta }>): void {
    if (bucket < this.closed || this.byKey.size === 0) return; // late data: the whole-run totals still have it
    let b = this.pending.get(bucket);
    for (const e of entries) {
      const key = e.part === 'total' ? e.metric : e.part === 'sub' ? e.key : undefined;
      if (key === undefined || !this.byKey.has(key)) continue;
      if (!b) {
        b = new Map();
        this.pending.set(bucket, b);
      }
      const list = b.get(key);
      if (list) list.push(e.delta);
      else b.set(key, [e.delta]);
    }
  }

  /** Buckets below `upTo` are complete: fold them into the windows, in order. */
  close(upTo: number): void {
    for (; this.closed < upTo; this.closed++) {
      const b = this.pending.get(this.closed);
      this.pending.delete(this.closed);
      for (const [key, tracks] of this.byKey) {
        const data = b?.get(key);
        // Deltas are read, never changed: tracks of several window lengths share them.
        for (const t of tracks) t.push(this.closed, data);
      }
    }
  }

  /** The end of the run: closes every pending bucket and the last windows. */
  finish(): void {
    const last = Math.max(this.closed, ...[...this.pending.keys()].map((k) => k + 1));
    this.close(last);
    for (const t of this.tracks.values()) t.finish();
  }
}

/** The metric type a delta belongs to. */
function kindOf(d: SinkDelta): 'trend' | 'rate' | 'gauge' | 'counter' {
  return d.k === 't' ? 'trend' : d.k === 'r' ? 'rate' : d.k === 'g' ? 'gauge' : 'counter';
}

/** The internals of hdr-histogram-js that let counts be added and removed by index (same layout as the deltas'). */
interface CountsByIndex {
  countsArrayLength: number;
  addToCountAtIndex(i: number, n: number): void;
  addToTotalCount(n: number): void;
  valueFromIndex(i: number): number;
  recordValueWithCount(v: number, n: number): void;
}

/**
 * The histogram of a sliding window: step deltas are added when they enter the window and
 * removed when they leave it, by bucket index (the deltas' sparse pairs come from histograms of the
 * same layout). Sum and count follow; min and max are read from the deltas in the window.
 */
class RunningTrend {
  private readonly hist: Histogram = newHistogram();
  private count = 0;
  private sum = 0;

  add(d: Extract<SinkDelta, { k: 't' }>): void {
    this.apply(d, 1);
  }

  remove(d: Extract<SinkDelta, { k: 't' }>): void {
    this.apply(d, -1);
  }

  private apply(d: Extract<SinkDelta, { k: 't' }>, sign: 1 | -1): void {
    if (d.count === 0) return;
    const h = this.hist as unknown as CountsByIndex;
    const pairs = d.hist;
    for (let j = 0; j < pairs.length; j += 2) {
      const i = pairs[j]!;
      const n = pairs[j + 1]!;
      if (i < h.countsArrayLength) {
        h.addToCountAtIndex(i, sign * n);
        h.addToTotalCount(sign * n);
      } else if (sign > 0) {
        h.recordValueWithCount(h.valueFromIndex(i), n); // grows the histogram (autoResize)
      }
    }
    this.count += sign * d.count;
    this.sum += sign * d.sum;
  }

  /** A reader over the window whose deltas are `ring`. */
  reader(ring: readonly SinkDelta[]): WindowReader {
    let min = Infinity;
    let max = -Infinity;
    for (const d of ring) {
      if (d.k !== 't' || d.count === 0) continue;
      if (d.min < min) min = d.min;
      if (d.max > max) max = d.max;
    }
    const count = this.count;
    const sum = this.sum;
    const hist = this.hist;
    // Within the window's exact extremes, as TrendSink.percentile (a bucket may lie outside them).
    const pct = (p: number): number | undefined => (count > 0 ? Math.max(min, Math.min(percentileMs(hist, p), max)) : undefined);
    return {
      get: (agg) => {
        if (count <= 0) return undefined;
        switch (agg) {
          case 'avg':
            return sum / count;
          case 'min':
            return min;
          case 'max':
            return max;
          case 'med':
            return pct(50);
          case 'count':
            return count;
          default:
            return undefined;
        }
      },
      percentile: pct,
    };
  }
}
