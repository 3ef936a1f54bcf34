import { OTHER, SEP, type Breakdown } from './breakdowns.js';
import type { SampleGroup } from './group.js';
import type { Metric } from './metric.js';
import type { SampleRecorder } from './recorder.js';
import type { MetricRegistry } from './registry.js';
import { newSink, type CounterSink, type GaugeSink, type RateSink, type Sink, type SinkDelta, type TrendSink } from './sinks.js';
import { TagSetCache, type TagSet } from './tags.js';

/** A sub-metric wanted by a threshold: samples of `metric` whose tags include all of `tags`. */
export interface SubmetricDef {
  /** The selector as written, e.g. 'http_req_duration{route:/api/query}'. */
  key: string;
  metric: string;
  tags: Record<string, string>;
}

/** Which aggregate a delta entry belongs to. */
export type EntryPart = 'total' | 'sub' | Breakdown['name'];

export interface DeltaEntry {
  metric: string;
  part: EntryPart;
  /** '' for totals, the selector for sub-metrics, SEP-joined tag values for breakdowns. */
  key: string;
  delta: SinkDelta;
}

/** Samples as columns (only when an output asked for raw samples). */
export interface RawSamples {
  metric: number[];
  value: number[];
  tagSet: number[];
  /** Epoch ms. */
  time: number[];
  /** Tag sets first seen in this batch, by id; inline tags for non-interned sets (id -1) by row. */
  newTagSets: Array<[number, Record<string, string>]>;
  inlineTags: Array<[number, Record<string, string>]>;
}

interface Entry {
  metric: Metric;
  part: EntryPart;
  key: string;
  sink: Sink;
}

/**
 * The worker-side metric store: the SampleRecorder every VU writes into. Each (metric, tag set)
 * pair resolves once to the list of sinks it feeds (total, matching sub-metrics, breakdown rows),
 * cached on the TagSet, so `add` is an array walk. `drain()` returns everything recorded since the
 * last drain, as deltas for the main thread to merge exactly.
 */
export class MetricStore implements SampleRecorder {
  readonly tagSets = new TagSetCache();
  private readonly entries = new Map<string, Entry>();
  private readonly subsByMetric = new Map<string, SubmetricDef[]>();
  private readonly breakdownsByMetric = new Map<string, Breakdown[]>();
  private readonly breakdownRows = new Set<string>();
  private readonly rowsPer = new Map<string, number>();
  private samples: RawSamples | undefined;
  private sentTagSets = 0;

  constructor(
    private readonly registry: MetricRegistry,
    submetrics: readonly SubmetricDef[],
    opts: { collectSamples?: boolean; breakdowns?: readonly Breakdown[] } = {},
  ) {
    for (const s of submetrics) {
      const list = this.subsByMetric.get(s.metric) ?? [];
      list.push(s);
      this.subsByMetric.set(s.metric, list);
    }
    for (const b of opts.breakdowns ?? []) {
      for (const m of b.metrics) {
        const list = this.breakdownsByMetric.get(m) ?? [];
        list.push(b);
        this.breakdownsByMetric.set(m, list);
      }
    }
    if (opts.collectSamples) this.samples = emptySamples();
  }

  add(metric: Metric, value: number, tags: TagSet): void {
    const sinks = this.sinksOf(metric, tags);
    for (let i = 0; i < sinks.length; i++) sinks[i]!.add(value);
    if (this.samples !== undefined) this.pushSample(metric.id, value, tags, performance.timeOrigin + performance.now());
  }

  /**
   * Every sample of one group (see `SampleRecorder.record`). The sinks of all the group's metrics
   * are resolved once per tag set and kept on it (`TagSet.groups[group.id]`), split by sink class,
   * so a record is one property read and walks of typed sink lists with monomorphic `add`s, where
   * one `add` per metric looked up `tags.sinks[id]` and dispatched on three sink classes. Raw
   * samples (--out json) are the same rows as one `add` per slot, in slot order, with one clock
   * read per record instead of one per sample. Profile (bench/micro/engine-loop.mjs scripted,
   * PROFILE=), measured on HTTP's twelve-metric group: metric recording 8.5 % → 1.7 % of the
   * worker's samples.
   */
  record(group: SampleGroup, tags: TagSet, values: Float64Array): void {
    let g = tags.groups[group.id] as GroupSinks | undefined;
    if (g === undefined) {
      g = this.groupSinks(group, tags);
      if (tags.id >= 0) tags.groups[group.id] = g;
    }
    const ct = g.counterAt;
    for (let i = 0; i < ct.length; i++) {
      const v = values[ct[i]!]!;
      if (v === v) addCounter(g.counters[i]!, v);
    }
    const tt = g.trendAt;
    for (let i = 0; i < tt.length; i++) {
      const v = values[tt[i]!]!;
      if (v === v) addTrend(g.trends[i]!, v);
    }
    const rt = g.rateAt;
    for (let i = 0; i < rt.length; i++) {
      const v = values[rt[i]!]!;
      if (v === v) addRate(g.rates[i]!, v);
    }
    const gt = g.gaugeAt;
    for (let i = 0; i < gt.length; i++) {
      const v = values[gt[i]!]!;
      if (v === v) addGauge(g.gauges[i]!, v);
    }
    if (this.samples !== undefined) {
      const now = performance.timeOrigin + performance.now();
      const ids = g.ids;
      for (let i = 0; i < ids.length; i++) {
        const v = values[i]!;
        if (v === v) this.pushSample(ids[i]!, v, tags, now);
      }
    }
  }

  /** The sinks a (metric, tag set) pair feeds, resolved once and cached on interned tag sets. */
  private sinksOf(metric: Metric, tags: TagSet): Sink[] {
    let sinks = tags.sinks[metric.id] as Sink[] | undefined;
    if (sinks === undefined) {
      sinks = this.resolve(metric, tags);
      if (tags.id >= 0) tags.sinks[metric.id] = sinks;
    }
    return sinks;
  }

  private groupSinks(group: SampleGroup, tags: TagSet): GroupSinks {
    const g: GroupSinks = { ids: [], counterAt: [], counters: [], trendAt: [], trends: [], rateAt: [], rates: [], gaugeAt: [], gauges: [] };
    group.metrics.forEach((spec, slot) => {
      const metric = this.registry.declare(spec);
      g.ids.push(metric.id);
      // Each list holds sinks made by newSink(metric.type), so its class follows the metric's type.
      const sinks = this.sinksOf(metric, tags);
      switch (metric.type) {
        case 'counter':
          g.counterAt.push(slot);
          g.counters.push(sinks as CounterSink[]);
          break;
        case 'trend':
          g.trendAt.push(slot);
          g.trends.push(sinks as TrendSink[]);
          break;
        case 'rate':
          g.rateAt.push(slot);
          g.rates.push(sinks as RateSink[]);
          break;
        case 'gauge':
          g.gaugeAt.push(slot);
          g.gauges.push(sinks as GaugeSink[]);
          break;
      }
    });
    return g;
  }

  private pushSample(metricId: number, value: number, tags: TagSet, time: number): void {
    const s = this.samples!;
    s.metric.push(metricId);
    s.value.push(value);
    s.tagSet.push(tags.id);
    s.time.push(time);
    if (tags.id < 0) s.inlineTags.push([s.metric.length - 1, tags.tags as Record<string, string>]);
  }

  /** Everything recorded since the last drain (only sinks that saw samples, plus all gauges). */
  drain(): DeltaEntry[] {
    const out: DeltaEntry[] = [];
    for (const e of this.entries.values()) {
      if (e.sink.dirty) out.push({ metric: e.metric.name, part: e.part, key: e.key, delta: e.sink.drain() });
    }
    return out;
  }

  /** Raw samples since the last call, or undefined when not collecting. */
  drainSamples(): RawSamples | undefined {
    const s = this.samples;
    if (!s) return undefined;
    for (let id = this.sentTagSets; id < this.tagSets.size; id++) {
      const ts = this.tagSets.byIndex(id);
      if (ts) s.newTagSets.push([id, ts.tags as Record<string, string>]);
    }
    this.sentTagSets = this.tagSets.size;
    this.samples = emptySamples();
    return s;
  }

  private resolve(metric: Metric, tags: TagSet): Sink[] {
    const sinks: Sink[] = [this.entry(metric, 'total', '').sink];
    const subs = this.subsByMetric.get(metric.name);
    if (subs) {
      for (const s of subs) {
        let match = true;
        for (const k in s.tags) {
          if (tags.tags[k] !== s.tags[k]) {
            match = false;
            break;
          }
        }
        if (match) sinks.push(this.entry(metric, 'sub', s.key).sink);
      }
    }
    const bds = this.breakdownsByMetric.get(metric.name);
    if (bds) {
      for (const b of bds) {
        let key = '';
        for (let i = 0; i < b.by.length; i++) key += (i ? SEP : '') + (tags.tags[b.by[i]!] ?? '');
        const rowKey = `${b.name}${SEP}${key}`;
        if (!this.breakdownRows.has(rowKey)) {
          const n = this.rowsPer.get(b.name) ?? 0;
          if (n >= b.max) key = OTHER;
          else {
            this.breakdownRows.add(rowKey);
            this.rowsPer.set(b.name, n + 1);
          }
        }
        sinks.push(this.entry(metric, b.name, key).sink);
      }
    }
    return sinks;
  }

  private entry(metric: Metric, part: EntryPart, key: string): Entry {
    const full = `${metric.id}${SEP}${part}${SEP}${key}`;
    let e = this.entries.get(full);
    if (!e) {
      e = { metric, part, key, sink: newSink(metric.type) };
      this.entries.set(full, e);
    }
    return e;
  }

  /** The registry this store records for. */
  get metricRegistry(): MetricRegistry {
    return this.registry;
  }
}

/** The sinks of one sample group's metrics for one tag set, by sink class (see `MetricStore.record`). */
interface GroupSinks {
  /** Metric id of each slot, in slot order (raw samples). */
  ids: number[];
  /** Slot of each counter metric, and its sinks. */
  counterAt: number[];
  counters: CounterSink[][];
  trendAt: number[];
  trends: TrendSink[][];
  rateAt: number[];
  rates: RateSink[][];
  gaugeAt: number[];
  gauges: GaugeSink[][];
}

function addTrend(s: TrendSink[], v: number): void {
  for (let i = 0; i < s.length; i++) s[i]!.add(v);
}

function addCounter(s: CounterSink[], v: number): void {
  for (let i = 0; i < s.length; i++) s[i]!.add(v);
}

function addRate(s: RateSink[], v: number): void {
  for (let i = 0; i < s.length; i++) s[i]!.add(v);
}

function addGauge(s: GaugeSink[], v: number): void {
  for (let i = 0; i < s.length; i++) s[i]!.add(v);
}

function emptySamples(): RawSamples {
  return { metric: [], value: [], tagSet: [], time: [], newTagSets: [], inlineTags: [] };
}
