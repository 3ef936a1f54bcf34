import type { SampleGroup } from './group.js';
import type { SampleRecorder } from './recorder.js';
import type { SinkDelta } from './sinks.js';
import type { DeltaEntry } from './store.js';

/**
 * One worker's count of things open (calls in flight, streams, sessions): changed by ±1 and
 * recorded as the level's one-slot group at each change only (nothing per token or message). The
 * main thread sums the workers' counts (`LevelSums` below).
 */
export class LevelCounter {
  private count = 0;
  private readonly slot = new Float64Array(1);
  constructor(private readonly group: SampleGroup) {}

  change(recorder: SampleRecorder, delta: number): void {
    this.count += delta;
    this.slot[0] = this.count;
    recorder.record(this.group, recorder.tagSets.empty, this.slot);
  }
}

/**
 * Levels across worker threads. A level (`llm_in_flight`, `sse_open`, `ws_open`: how many things
 * are open) is a gauge each worker sets to its own count; the test's level is the sum over workers,
 * not the latest worker's count. The main thread passes each worker's deltas through `sum`, which
 * replaces a level's delta by the sum of every worker's newest value, so that the whole-test
 * aggregate (live thresholds, abortOnFail, Prometheus/OTLP exports) and the windowed thresholds
 * see what the time series and the summary show.
 *
 * A delta's min and max are the worker's own within its flush; the other workers' values at those
 * instants are unknown, so the sum's are estimated with their newest values.
 */
export class LevelSums {
  /** Entry key (metric, part, key) → each worker's newest value and the newest change's time. */
  private readonly byKey = new Map<string, { values: number[]; t: number }>();

  constructor(private readonly levels: ReadonlySet<string>) {}

  /** `entries` with each level's delta replaced by the sum over workers (the same array when it has none). */
  sum<E extends DeltaEntry>(worker: number, entries: readonly E[]): readonly E[] {
    if (this.levels.size === 0) return entries;
    let out: E[] | undefined;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.delta.k !== 'g' || !this.levels.has(e.metric)) continue;
      out ??= entries.slice();
      out[i] = { ...e, delta: this.add(worker, `${e.metric}\u0000${e.part}\u0000${e.key}`, e.delta) };
    }
    return out ?? entries;
  }

  private add(worker: number, key: string, d: Extract<SinkDelta, { k: 'g' }>): SinkDelta {
    let per = this.byKey.get(key);
    if (!per) this.byKey.set(key, (per = { values: [], t: -Infinity }));
    per.values[worker] = d.last;
    // The sum changed when any worker's count did: it is as new as the newest change (a merge keeps
    // the newest value, and this worker's change may be older than another's already merged).
    if (d.t > per.t) per.t = d.t;
    let others = 0;
    for (let w = 0; w < per.values.length; w++) if (w !== worker && per.values[w] !== undefined) others += per.values[w]!;
    // A worker with no sample yet drains min +Infinity / max -Infinity: they stay so in the sum.
    return { k: 'g', last: others + d.last, min: others + d.min, max: others + d.max, t: per.t };
  }
}
