/**
 * What a runner (`volley run --aggregate URL`) sends to `volley aggregate` once a second, and what
 * it hears back. Every push is whole (the runner's cumulative aggregates, not a delta), so a lost or
 * repeated push changes nothing and an aggregate started late catches up at once.
 */
import type { PortableAggregate } from '../../metrics/portable.js';
import type { LiveSnapshot } from '../../metrics/live.js';
import type { RunMeta } from '../../outputs/types.js';
import type { SeriesSpec } from '../../metrics/catalog.js';
import type { Breakdown } from '../../metrics/breakdowns.js';
import type { ThresholdSpecLike } from '../../metrics/thresholds/index.js';

/** The path runners POST to. */
export const PUSH_PATH = '/v1/push';
/** Largest push accepted (a runner's aggregates with HDR histograms: typically 10–500 KB). */
export const MAX_PUSH_BYTES = 64 * 1024 * 1024;

export interface AggregatePush {
  v: 1;
  /** The runner's name: host, process and segment (`pod-3:41:3/4:1`), unique per runner. */
  runner: string;
  /** Numbers the runner's pushes: one older than the last accepted is ignored (it arrived late). */
  seq: number;
  segment: string;
  /** The bundled script's hash: runners of one test share it. */
  scriptHash: string;
  meta: RunMeta;
  /** The run's thresholds (as the script gave them) and the catalog pieces merging needs. */
  thresholds: Record<string, readonly ThresholdSpecLike[]>;
  /** At the end, a threshold whose metric got no samples fails (unless thresholdsPassWithoutSamples). */
  failWithoutSamples: boolean;
  series: readonly SeriesSpec[];
  breakdowns: readonly Breakdown[];
  live: LiveSnapshot;
  /** The runner's newest complete second (epoch ms of its start) and its values. */
  row: { timeMs: number; values: Record<string, number | null> } | null;
  /**
   * Cumulative aggregates: each replaces the runner's previous one of the same (metric, part, key).
   * Totals and sub-metrics come in every push, breakdown rows in some (they cost more to encode).
   */
  aggregates: PortableAggregate[];
  /** The runner's test is over (its last push). */
  done: boolean;
}

export interface AggregateReply {
  ok: true;
  /** Set once an abortOnFail threshold failed on the whole test: every runner stops. */
  abort?: string;
}
