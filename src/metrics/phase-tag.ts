import { performance } from 'node:perf_hooks';
import type { BuiltinMetrics } from './builtin.js';
import type { Metric } from './metric.js';
import type { HttpPhases, SampleRecorder } from './recorder.js';
import type { TagSet, TagSetCache } from './tags.js';

/** A time window of the test, ms from its start, during which samples carry `value`. */
export interface PhaseWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly value: string;
}

/**
 * A recorder that adds one tag whose value depends on when the sample is taken: `fault` is the
 * name of the fault window active at that moment, or `none` (several at once: their names joined
 * with `+`). Before `start()` (setup) every sample gets `idle`.
 *
 * Hot path: the current value is cached with the time it next changes, so a sample costs one
 * performance.now() and one memoised `with1` (two Map lookups, bench/micro/tag-memo.mjs).
 */
export class PhaseTagRecorder implements SampleRecorder {
  private current: string;
  private nextChangeMs = Infinity;
  private zeroMs = 0;

  constructor(
    private readonly inner: SampleRecorder & Required<Pick<SampleRecorder, 'recordHttp'>>,
    private readonly tag: string,
    private readonly windows: readonly PhaseWindow[],
    private readonly idle = 'none',
  ) {
    this.current = idle;
  }

  get tagSets(): TagSetCache {
    return this.inner.tagSets;
  }

  /** The test started at `startEpochMs`: windows count from there. */
  start(startEpochMs: number): void {
    this.zeroMs = startEpochMs - performance.timeOrigin;
    this.nextChangeMs = -Infinity;
  }

  /** The tag value at performance.now() `nowMs` (recomputed only when a window opens or closes). */
  valueAt(nowMs: number): string {
    if (nowMs < this.nextChangeMs) return this.current;
    const t = nowMs - this.zeroMs;
    let value = '';
    let next = Infinity;
    for (const w of this.windows) {
      if (t >= w.fromMs && t < w.toMs) {
        value = value === '' ? w.value : `${value}+${w.value}`;
        next = Math.min(next, w.toMs);
      } else if (w.fromMs > t) next = Math.min(next, w.fromMs);
    }
    this.current = value === '' ? this.idle : value;
    this.nextChangeMs = this.zeroMs + next;
    return this.current;
  }

  private tagged(tags: TagSet): TagSet {
    return this.inner.tagSets.with1(tags, this.tag, this.valueAt(performance.now()));
  }

  add(metric: Metric, value: number, tags: TagSet): void {
    this.inner.add(metric, value, this.tagged(tags));
  }

  recordHttp(m: BuiltinMetrics, tags: TagSet, t: HttpPhases, failed: number, lagMs: number | undefined, sent: number, received: number): void {
    this.inner.recordHttp(m, this.tagged(tags), t, failed, lagMs, sent, received);
  }
}
