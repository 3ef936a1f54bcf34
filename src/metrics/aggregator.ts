import { SEP, type Breakdown } from './breakdowns.js';
import type { MetricType, ValueType } from './metric.js';
import { newSink, type Sink } from './sinks.js';
import type { DeltaEntry, EntryPart } from './store.js';

/** One aggregate on the main thread: a metric's total, a sub-metric or a breakdown row. */
export interface Aggregate {
  readonly metric: string;
  readonly type: MetricType;
  readonly contains: ValueType;
  readonly part: EntryPart;
  readonly key: string;
  readonly sink: Sink;
}

/**
 * Main-thread aggregation: merges every worker's deltas exactly (HDR histograms added, counters
 * summed) into whole-test aggregates, and answers threshold and summary queries from them.
 */
export class Aggregator {
  private readonly byKey = new Map<string, Aggregate>();
  /** Metric name → type info, for metrics seen from any thread. */
  readonly metricTypes = new Map<string, { type: MetricType; contains: ValueType }>();

  /** Breakdown name → its tag names, in key order (to turn a row key back into tags). */
  private readonly byOf = new Map<string, readonly string[]>();

  /** `breakdowns`: the run's (the catalog's), so that rows can be read back as tags. */
  constructor(
    private readonly elapsedMs: () => number,
    readonly breakdowns: readonly Breakdown[] = [],
  ) {
    for (const b of breakdowns) this.byOf.set(b.name, b.by);
  }

  /** The tags of a breakdown row (empty values omitted); undefined for an unknown breakdown. */
  rowTags(part: string, key: string): Record<string, string> | undefined {
    const names = this.byOf.get(part);
    if (!names) return undefined;
    const vals = breakdownValues(key);
    const tags: Record<string, string> = {};
    names.forEach((n, i) => {
      if (vals[i]) tags[n] = vals[i]!;
    });
    return tags;
  }

  declare(name: string, type: MetricType, contains: ValueType): void {
    if (!this.metricTypes.has(name)) this.metricTypes.set(name, { type, contains });
  }

  merge(entries: readonly (DeltaEntry & { type: MetricType; contains: ValueType })[]): void {
    for (const e of entries) {
      this.declare(e.metric, e.type, e.contains);
      this.get(e.metric, e.part, e.key, e.type, e.contains).sink.merge(e.delta);
    }
  }

  /** The aggregate for a metric total ('total'), a sub-metric selector ('sub') or a breakdown row. */
  find(metric: string, part: EntryPart = 'total', key = ''): Aggregate | undefined {
    const a = this.byKey.get(fullKey(metric, part, key));
    if (a && a.sink.type === 'counter') (a.sink as unknown as { elapsedMs: number }).elapsedMs = this.elapsedMs();
    return a;
  }

  /** All aggregates of one part (e.g. every 'route' row), counter rates up to date. */
  list(part: EntryPart, metric?: string): Aggregate[] {
    const out: Aggregate[] = [];
    const el = this.elapsedMs();
    for (const a of this.byKey.values()) {
      if (a.part !== part || (metric !== undefined && a.metric !== metric)) continue;
      if (a.sink.type === 'counter') (a.sink as unknown as { elapsedMs: number }).elapsedMs = el;
      out.push(a);
    }
    return out;
  }

  /** Every aggregate (totals, sub-metrics, breakdown rows), for exporting them (see portable.ts). */
  all(): IterableIterator<Aggregate> {
    return this.byKey.values();
  }

  private get(metric: string, part: EntryPart, key: string, type: MetricType, contains: ValueType): Aggregate {
    const k = fullKey(metric, part, key);
    let a = this.byKey.get(k);
    if (!a) {
      a = { metric, type, contains, part, key, sink: newSink(type) };
      this.byKey.set(k, a);
    }
    return a;
  }
}

function fullKey(metric: string, part: EntryPart, key: string): string {
  return `${metric}${SEP}${part}${SEP}${key}`;
}

/** Splits a breakdown key into its tag values. */
export function breakdownValues(key: string): string[] {
  return key.split(SEP);
}
