import { BREAKDOWNS, OTHER, SEP, type Breakdown } from './breakdowns.js';
import type { BuiltinMetrics } from './builtin.js';
import type { Metric } from './metric.js';
import type { HttpPhases, SampleRecorder } from './recorder.js';
import type { MetricRegistry } from './registry.js';
import { newSink, type CounterSink, type RateSink, type Sink, type SinkDelta, type TrendSink } from './sinks.js';
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
    opts: { collectSamples?: boolean } = {},
  ) {
    for (const s of submetrics) {
      const list = this.subsByMetric.get(s.metric) ?? [];
      list.push(s);
      this.subsByMetric.set(s.metric, list);
    }
    for (const b of BREAKDOWNS) {
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
   * Every sample of one HTTP exchange (see `SampleRecorder.recordHttp` for the list and order).
   * The sinks of all twelve metrics are resolved once per tag set and kept on it (`TagSet.http`),
   * so a request is one property read and a walk of typed sink lists with monomorphic `add`s,
   * where twelve `add` calls each looked up `tags.sinks[id]` and dispatched on three sink classes.
   * Raw samples (--out json) are the same rows as twelve `add`s, with one clock read per
   * exchange instead of one per sample. Profile (bench/micro/engine-loop.mjs scripted, PROFILE=):
   * metric recording 8.5 % → 1.7 % of the worker's samples (store.js, HDR indexing inlined).
   */
  recordHttp(m: BuiltinMetrics, tags: TagSet, t: HttpPhases, failed: number, lagMs: number | undefined, sent: number, received: number): void {
    let h = tags.http as HttpSinks | undefined;
    if (h === undefined || h.m !== m) {
      h = this.httpSinks(m, tags);
      if (tags.id >= 0) tags.http = h;
    }
    const duration = t.duration;
    addCounter(h.reqs, 1);
    addTrend(h.duration, duration);
    addTrend(h.blocked, t.blocked);
    addTrend(h.connecting, t.connecting);
    addTrend(h.tls, t.tls_handshaking);
    addTrend(h.sending, t.sending);
    addTrend(h.waiting, t.waiting);
    addTrend(h.receiving, t.receiving);
    if (failed !== -1) {
      const f = h.failed;
      for (let i = 0; i < f.length; i++) f[i]!.add(failed);
    }
    if (lagMs !== undefined) addTrend(h.corrected, duration + lagMs);
    addCounter(h.sent, sent);
    addCounter(h.received, received);
    if (this.samples !== undefined) {
      const now = performance.timeOrigin + performance.now();
      this.pushSample(m.http_reqs.id, 1, tags, now);
      this.pushSample(m.http_req_duration.id, duration, tags, now);
      this.pushSample(m.http_req_blocked.id, t.blocked, tags, now);
      this.pushSample(m.http_req_connecting.id, t.connecting, tags, now);
      this.pushSample(m.http_req_tls_handshaking.id, t.tls_handshaking, tags, now);
      this.pushSample(m.http_req_sending.id, t.sending, tags, now);
      this.pushSample(m.http_req_waiting.id, t.waiting, tags, now);
      this.pushSample(m.http_req_receiving.id, t.receiving, tags, now);
      if (failed !== -1) this.pushSample(m.http_req_failed.id, failed, tags, now);
      if (lagMs !== undefined) this.pushSample(m.http_req_corrected_duration.id, duration + lagMs, tags, now);
      this.pushSample(m.data_sent.id, sent, tags, now);
      this.pushSample(m.data_received.id, received, tags, now);
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

  private httpSinks(m: BuiltinMetrics, tags: TagSet): HttpSinks {
    // Each list holds sinks made by newSink(metric.type), so its class follows the metric's type.
    const trend = (x: Metric): TrendSink[] => this.sinksOf(x, tags) as TrendSink[];
    const counter = (x: Metric): CounterSink[] => this.sinksOf(x, tags) as CounterSink[];
    return {
      m,
      reqs: counter(m.http_reqs),
      duration: trend(m.http_req_duration),
      blocked: trend(m.http_req_blocked),
      connecting: trend(m.http_req_connecting),
      tls: trend(m.http_req_tls_handshaking),
      sending: trend(m.http_req_sending),
      waiting: trend(m.http_req_waiting),
      receiving: trend(m.http_req_receiving),
      failed: this.sinksOf(m.http_req_failed, tags) as RateSink[],
      corrected: trend(m.http_req_corrected_duration),
      sent: counter(m.data_sent),
      received: counter(m.data_received),
    };
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

/** The sinks of the HTTP metrics for one tag set (see `MetricStore.recordHttp`). */
interface HttpSinks {
  /** The metric set these were resolved for (a store serves one registry; checked anyway). */
  m: BuiltinMetrics;
  reqs: CounterSink[];
  duration: TrendSink[];
  blocked: TrendSink[];
  connecting: TrendSink[];
  tls: TrendSink[];
  sending: TrendSink[];
  waiting: TrendSink[];
  receiving: TrendSink[];
  failed: RateSink[];
  corrected: TrendSink[];
  sent: CounterSink[];
  received: CounterSink[];
}

function addTrend(s: TrendSink[], v: number): void {
  for (let i = 0; i < s.length; i++) s[i]!.add(v);
}

function addCounter(s: CounterSink[], v: number): void {
  for (let i = 0; i < s.length; i++) s[i]!.add(v);
}

function emptySamples(): RawSamples {
  return { metric: [], value: [], tagSet: [], time: [], newTagSets: [], inlineTags: [] };
}
