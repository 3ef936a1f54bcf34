import { performance } from 'node:perf_hooks';
import type { SampleGroup } from './group.js';
import type { Metric } from './metric.js';
import type { SampleRecorder } from './recorder.js';
import type { TagSet, TagSetCache } from './tags.js';

/** A time window of the test, ms from its start, during which samples carry `value`. */
export interface PhaseWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly value: string;
}

/**
 * A recorder that adds one tag whose value depends on when the sample is recorded: `fault` is the
 * name of the fault window active then, or `none` (several at once: their names joined with `+`).
 * Before `start()` (setup) every sample gets `idle`.
 *
 * The current value is a field, switched by one timer per window edge (armed by `start`); a
 * sample costs one memoised `with1` (two Map lookups, bench/micro/tag-memo.mjs) and no clock read.
 * A sample recorded in the same event-loop turn as an edge, before the timer ran, keeps the old
 * value. Only made when the run has faults: without them, VUs record into the store directly.
 */
export class PhaseTagRecorder implements SampleRecorder {
  private current: string;
  private zeroMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: SampleRecorder,
    private readonly tag: string,
    private readonly windows: readonly PhaseWindow[],
    private readonly idle = 'none',
  ) {
    this.current = idle;
  }

  get tagSets(): TagSetCache {
    return this.inner.tagSets;
  }

  /** The tag value samples get now. */
  get value(): string {
    return this.current;
  }

  /** The test started (or starts) at `startEpochMs`: windows count from there. */
  start(startEpochMs: number): void {
    this.zeroMs = startEpochMs - performance.timeOrigin;
    this.tick();
  }

  /** Stops switching (the value stays what it is). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The tag value at `t` ms from the test's start, and when it next changes (ms from the start; Infinity: never). */
  valueAt(t: number): { value: string; nextMs: number } {
    let value = '';
    let next = Infinity;
    for (const w of this.windows) {
      if (t >= w.fromMs && t < w.toMs) {
        value = value === '' ? w.value : `${value}+${w.value}`;
        next = Math.min(next, w.toMs);
      } else if (w.fromMs > t) next = Math.min(next, w.fromMs);
    }
    return { value: value === '' ? this.idle : value, nextMs: next };
  }

  /** Sets the value for now and arms the timer for the next edge (a late timer still reads the clock). */
  private tick(): void {
    this.stop();
    const { value, nextMs } = this.valueAt(performance.now() - this.zeroMs);
    this.current = value;
    if (nextMs === Infinity) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.zeroMs + nextMs - performance.now()));
    this.timer.unref();
  }

  add(metric: Metric, value: number, tags: TagSet): void {
    this.inner.add(metric, value, this.inner.tagSets.with1(tags, this.tag, this.current));
  }

  record(group: SampleGroup, tags: TagSet, values: Float64Array): void {
    this.inner.record(group, this.inner.tagSets.with1(tags, this.tag, this.current), values);
  }
}
