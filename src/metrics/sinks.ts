import { addSparse, newHistogram, percentileMs, recordMs, toSparse, type Histogram } from './hdr.js';
import type { MetricType } from './metric.js';

/**
 * Sinks aggregate samples of one (sub-)metric. The same classes serve both sides: a worker adds
 * samples and periodically drains a delta (`drain()` returns it and resets), the main thread merges
 * deltas (`merge()`). Deltas are plain structured-clone data.
 */
export type SinkDelta =
  | { k: 'c'; sum: number }
  | { k: 'g'; last: number; min: number; max: number; t: number }
  | { k: 'r'; trues: number; total: number }
  | { k: 't'; count: number; sum: number; min: number; max: number; hist: Float64Array };

export interface Sink {
  readonly type: MetricType;
  /** Samples since the last drain (0 = nothing to send). */
  readonly dirty: boolean;
  add(value: number): void;
  drain(): SinkDelta;
  merge(d: SinkDelta): void;
  /** k6 aggregation by name (avg, min, max, med, count, rate, value, passes, fails); undefined if not applicable. */
  get(agg: string): number | undefined;
  percentile(p: number): number | undefined;
}

export class CounterSink implements Sink {
  readonly type = 'counter' as const;
  sum = 0;
  dirty = false;
  /** Set by the owner to compute `rate` (per second over the test so far). */
  elapsedMs = 0;
  add(v: number): void {
    this.sum += v;
    this.dirty = true;
  }
  drain(): SinkDelta {
    const d: SinkDelta = { k: 'c', sum: this.sum };
    this.sum = 0;
    this.dirty = false;
    return d;
  }
  merge(d: SinkDelta): void {
    if (d.k === 'c') this.sum += d.sum;
  }
  get(agg: string): number | undefined {
    if (agg === 'count') return this.sum;
    if (agg === 'rate') return this.elapsedMs > 0 ? this.sum / (this.elapsedMs / 1000) : 0;
    return undefined;
  }
  percentile(): undefined {
    return undefined;
  }
}

export class GaugeSink implements Sink {
  readonly type = 'gauge' as const;
  last = 0;
  min = Infinity;
  max = -Infinity;
  /** Epoch ms of the last value (so merges across threads keep the latest). */
  t = -Infinity;
  dirty = false;
  add(v: number): void {
    this.last = v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.t = performance.timeOrigin + performance.now();
    this.dirty = true;
  }
  drain(): SinkDelta {
    const d: SinkDelta = { k: 'g', last: this.last, min: this.min, max: this.max, t: this.t };
    this.min = Infinity;
    this.max = -Infinity;
    this.dirty = false;
    return d;
  }
  merge(d: SinkDelta): void {
    if (d.k !== 'g') return;
    if (d.t >= this.t) {
      this.last = d.last;
      this.t = d.t;
    }
    if (d.min < this.min) this.min = d.min;
    if (d.max > this.max) this.max = d.max;
    this.dirty = true;
  }
  get(agg: string): number | undefined {
    if (!Number.isFinite(this.t)) return undefined;
    if (agg === 'value') return this.last;
    if (agg === 'min') return this.min;
    if (agg === 'max') return this.max;
    return undefined;
  }
  percentile(): undefined {
    return undefined;
  }
}

export class RateSink implements Sink {
  readonly type = 'rate' as const;
  trues = 0;
  total = 0;
  get dirty(): boolean {
    return this.total !== 0;
  }
  add(v: number): void {
    if (v !== 0) this.trues++;
    this.total++;
  }
  drain(): SinkDelta {
    const d: SinkDelta = { k: 'r', trues: this.trues, total: this.total };
    this.trues = 0;
    this.total = 0;
    return d;
  }
  merge(d: SinkDelta): void {
    if (d.k !== 'r') return;
    this.trues += d.trues;
    this.total += d.total;
  }
  get(agg: string): number | undefined {
    if (agg === 'rate') return this.total === 0 ? 0 : this.trues / this.total;
    if (agg === 'passes') return this.trues;
    if (agg === 'fails') return this.total - this.trues;
    if (agg === 'count') return this.total;
    return undefined;
  }
  percentile(): undefined {
    return undefined;
  }
}

export class TrendSink implements Sink {
  readonly type = 'trend' as const;
  readonly hist: Histogram = newHistogram();
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  get dirty(): boolean {
    return this.count !== 0;
  }
  add(v: number): void {
    recordMs(this.hist, v);
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }
  drain(): SinkDelta {
    const d: SinkDelta = { k: 't', count: this.count, sum: this.sum, min: this.min, max: this.max, hist: toSparse(this.hist) };
    this.hist.reset();
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    return d;
  }
  merge(d: SinkDelta): void {
    if (d.k !== 't' || d.count === 0) return;
    addSparse(this.hist, d.hist);
    this.count += d.count;
    this.sum += d.sum;
    if (d.min < this.min) this.min = d.min;
    if (d.max > this.max) this.max = d.max;
  }
  /** Empties the sink (main-thread interval sinks are reused every second). */
  clear(): void {
    this.hist.reset();
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }
  get(agg: string): number | undefined {
    if (this.count === 0) return undefined;
    switch (agg) {
      case 'avg':
        return this.sum / this.count;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'med':
        return this.percentile(50);
      case 'count':
        return this.count;
      default:
        return undefined;
    }
  }
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    // A bucket's value may lie outside the exact extremes by the histogram's resolution (1 µs,
    // 3 digits): above the max, or 0 for a value under 1 µs (a CLS of 0.0004). Never report outside them.
    return Math.max(this.min, Math.min(percentileMs(this.hist, p), this.max));
  }
}

export function newSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}
