/**
 * Messages between the main thread (controller) and worker threads (engine). Plain
 * structured-clone data only; errors travel as SerializedVolleyError or {message, stack}.
 *
 * Sequence:  main spawns workers → each imports the script → 'ready'
 *            main → worker 0 'setup' → 'setup-done' (data as JSON text, as k6 serialises it)
 *            main → all 'start' → workers run their share, send 'metrics' every second → 'done'
 *            main → worker 0 'teardown' → 'teardown-done'; main → all 'exit'
 *            any time: main → 'stop' (interrupt everything); worker → 'abort' (exec.test.abort)
 */
import type { ResolvedOptions } from '../config/types.js';
import type { SerializedVolleyError } from '../errors/index.js';
import type { Breakdown } from '../metrics/breakdowns.js';
import type { ScenarioStatus } from '../metrics/live.js';
import type { MetricType, ValueType } from '../metrics/metric.js';
import type { DeltaEntry, RawSamples, SubmetricDef } from '../metrics/store.js';
import type { ExceptionGroup } from '../errors/exception-groups.js';
import type { Segment } from './segment.js';

export interface WorkerInit {
  bundleUrl: string;
  scriptPath: string;
  options: ResolvedOptions;
  /** This worker's part of the test (its runner's segment cut into workerCount parts). */
  segment: Segment;
  /** The runner's segment (`--execution-segment`), which numbers VU ids across runners. */
  runnerSegment: Segment;
  workerIndex: number;
  workerCount: number;
  submetrics: SubmetricDef[];
  collectSamples: boolean;
  /** The run's breakdowns (from the metric catalog the protocols declare). */
  breakdowns: readonly Breakdown[];
}

export type ToWorker =
  | { t: 'setup' }
  | { t: 'start'; startEpochMs: number; setupData: string | undefined }
  | { t: 'stop' }
  | { t: 'teardown'; setupData: string | undefined }
  | { t: 'exit' };

export type TypedDelta = DeltaEntry & { type: MetricType; contains: ValueType };

export type { ScenarioStatus } from '../metrics/live.js';

export interface MetricsMessage {
  t: 'metrics';
  /** Time-series bucket: whole intervals since the start; -1 before the start (setup). */
  bucket: number;
  entries: TypedDelta[];
  /** Metrics defined in this thread since its last message (with or without samples). */
  declared: Array<{ name: string; type: MetricType; contains: ValueType }>;
  /** Warnings about this worker (each sent once). */
  warnings: string[];
  samples: RawSamples | undefined;
  /** Metric id → name, for samples. */
  metricNames: string[] | undefined;
  scenarios: Record<string, ScenarioStatus>;
  exceptions: ExceptionGroup[];
  /** Generator health over the interval; undefined for partial intervals (setup, the last moments), too short to judge. */
  health: { eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number; cpuPercent: number } | undefined;
}

export type FromWorker =
  | { t: 'ready'; exports: string[] }
  | { t: 'setup-done'; data: string | undefined; error?: WorkerError }
  | MetricsMessage
  | { t: 'done'; /** How late (ms) the worker woke up at the start instant. */ startLateMs?: number }
  | { t: 'teardown-done'; error?: WorkerError }
  | { t: 'abort'; reason: string }
  | { t: 'fatal'; error: WorkerError };

/**
 * An error crossing the thread boundary keeps its identity in `code`: a VolleyError travels whole
 * (code, hint, exit code); anything else the script threw carries its own string `code` when it
 * has one (e.g. Node's 'ERR_...'), else 'E_SCRIPT_EXCEPTION'. The main thread decides by code only.
 */
export type WorkerError = SerializedVolleyError | { code: string; message: string; stack?: string | undefined; location?: string | undefined };
