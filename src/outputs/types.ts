import type { Breakdown } from '../metrics/breakdowns.js';
import type { TimeChart } from '../metrics/catalog.js';
/**
 * Outputs: where every raw sample of a run can be streamed (`--out json=samples.ndjson`), in the
 * spirit of k6's `output.Output`: a small lifecycle, samples pushed in batches, all I/O off the
 * test's critical path.
 */
import type { MetricType, ValueType } from '../metrics/metric.js';
import type { ThresholdSpecLike } from '../metrics/thresholds/validate.js';
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import type { LiveSnapshot } from '../metrics/live.js';
import type { ThresholdEval } from '../metrics/thresholds/index.js';
import type { SummaryData, SummaryTable, TimelineWindow } from '../summary/types.js';

/**
 * A batch of samples as columns, as the metric store drains them from one producer (a worker
 * thread). Row `i` is the sample `(metric[i], value[i], tagSet[i], time[i])`, for `i < length`.
 *
 * Tag sets travel once: `tagSets` holds only the sets the producer interned since its previous
 * batch, and rows refer to them (and to earlier ones) by id. An output must therefore see every
 * batch of a producer in order, and keep the tag sets of batches it does not write (see
 * `TagSetTable`). Rows whose `tagSet` is -1 carry their tags in `inlineTags[i]` (tag sets past the
 * interning cap, `MAX_INTERNED_TAG_SETS`).
 */
export interface SampleBatch {
  /** Metric names by metric id, in the producer's registry. */
  metricNames: readonly string[];
  /** Tag sets first seen since the producer's previous batch: id → tags. */
  tagSets: ReadonlyMap<number, Readonly<Record<string, string>>>;
  /** Metric id per row. */
  metric: Uint16Array | readonly number[];
  /** Value per row: ms for time metrics, bytes for data, 1/0 for rates, the number itself otherwise. */
  value: Float64Array | readonly number[];
  /** Tag-set id per row; -1: see `inlineTags`. */
  tagSet: Int32Array | readonly number[];
  /** Time per row, epoch milliseconds (fractional: sub-ms precision). */
  time: Float64Array | readonly number[];
  /** Number of rows. */
  length: number;
  /** Tags of rows whose tag set has id -1, by row index. */
  inlineTags?: ReadonlyArray<Readonly<Record<string, string>> | undefined>;
  /**
   * The producer (worker index) the ids belong to: tag-set ids are only unique per producer, so
   * batches from several workers must say which one they come from. Default 0.
   */
  source?: number;
}

/**
 * An output. Lifecycle: `start()` once, `addSamples()` any number of times, `stop()` once.
 * Samples added before `start()` resolves are kept and written once it has; samples added after
 * `stop()` are ignored.
 */
export interface Output {
  /** For the run banner, e.g. 'json (samples.ndjson)'. */
  readonly description: string;
  /** Opens the destination. Rejects with a VolleyError (E_OUTPUT) if it cannot. */
  start(): Promise<void>;
  /**
   * Takes a batch. Synchronous and cheap: it never waits for I/O and never throws. When the
   * destination cannot keep up, memory stays bounded: batches are dropped, counted and warned
   * about once (the summary and thresholds do not depend on outputs).
   */
  addSamples(batch: SampleBatch): void;
  /** Flushes everything buffered and closes the destination. `err`: the run failed (still flush). */
  stop(err?: unknown): Promise<void>;
  /**
   * False for outputs that only want aggregated snapshots (monitoring exports): then workers do
   * not collect raw samples for them, which costs nothing on the hot path. Default true.
   */
  readonly wantsSamples?: boolean;
  /**
   * Called once per second during the run (and once at the end) with the whole test's aggregates
   * so far. Synchronous and cheap, like `addSamples`: buffer and send elsewhere.
   */
  addSnapshot?(snapshot: MetricsSnapshot): void;
  /**
   * Per-tag tables this output exports besides the declared ones (e.g. the k6 tag set of
   * `prometheus-rw=…,k6Tags=true`): the run aggregates them too, bounded by their `max` rows.
   */
  readonly breakdowns?: readonly Breakdown[] | undefined;
  /** Snapshot outputs that export distributions: the snapshot carries trends' exponential buckets at this schema. */
  readonly exponentialSchema?: number | undefined;
  /** Live readers (the dashboard): the test is starting (once, before the first `addLive`). */
  beginRun?(meta: RunMeta): void;
  /** Live readers: once per second during the run, the live status with the snapshot. Cheap and synchronous. */
  addLive?(update: LiveUpdate): void;
  /** The test ended: the final summary (before `stop`). */
  endRun?(summary: SummaryData): void;
}

/** What a live reader knows of the run before it starts. */
export interface RunMeta {
  script: string;
  /** Epoch ms when the test started. */
  startTimeMs: number;
  /** Planned duration (ms) without graceful stops. */
  plannedMs: number;
  /** Scenario name → one-line description (k6 wording). */
  scenarios: Record<string, string>;
  version: string;
  /** Fault windows and spikes on the test's timeline (ms from its start): the dashboard shades them. */
  windows?: TimelineWindow[];
  /**
   * Time charts the protocols declare (the run's catalog: LLM, SSE, WebSocket): the dashboard draws
   * each once one of its columns has a value. Absent: none.
   */
  charts?: readonly TimeChart[];
  /**
   * Tables the protocols declare over their breakdowns (the run's catalog: LLM ROUTES): the
   * dashboard shows each, live, once its breakdown has rows. Absent: none.
   */
  tables?: readonly SummaryTable[];
}

/** Once per second, for live readers. */
export interface LiveUpdate {
  /** Progress, VUs, last-second headline values, per-scenario status, generator health. */
  live: LiveSnapshot;
  /**
   * The newest complete one-second row of the time series (keys as in `TimeSeries.series`: vus,
   * the catalog's columns, volley_event_loop_delay.p99, volley_cpu).
   */
  row: { timeMs: number; values: Record<string, number | null> } | undefined;
  /** Cumulative aggregates incl. the breakdown rows (each series says its view). */
  snapshot: MetricsSnapshot;
  /** Latest threshold verdicts. */
  thresholds: readonly ThresholdEval[];
}

/** What an output may know about the run. */
export interface OutputContext {
  /** Metric name → type and value kind (for k6's Metric lines). Consulted lazily, so it may grow. */
  metricTypes: ReadonlyMap<string, { type: MetricType; contains: ValueType }>;
  /** Relative output paths resolve against this directory. */
  cwd: string;
  /** The run's thresholds (k6 writes them, and the sub-metrics they define, in Metric lines). */
  thresholds?: Record<string, readonly ThresholdSpecLike[]>;
  /** Where warnings go (disk too slow, write errors). Default: a line on stderr. */
  warn?: (message: string) => void;
  /** Most bytes of serialized samples held in memory before batches are dropped. Default 64 MiB. */
  maxBufferedBytes?: number;
}

/** Creates an output from the argument after `name=` in `--out name=arg`. */
export type OutputFactory = (arg: string, ctx: OutputContext) => Output;
