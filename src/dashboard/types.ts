/**
 * The contract between a run and the live dashboard. The CLI feeds a DashboardSink once per
 * second; the dashboard serves it to browsers (Server-Sent Events).
 */
import type { MetricsSnapshot } from '../metrics/snapshot.js';
import type { ThresholdEval } from '../metrics/thresholds/index.js';
import type { LiveSnapshot } from '../scheduler/controller.js';
import type { SummaryData } from '../summary/types.js';

export interface RunMeta {
  script: string;
  /** Epoch ms when the test started. */
  startTimeMs: number;
  /** Planned duration (ms) without graceful stops. */
  plannedMs: number;
  /** Scenario name → one-line description (k6 wording). */
  scenarios: Record<string, string>;
  version: string;
}

export interface LiveUpdate {
  /** Progress, VUs, last-second RPS/p95/error rate, per-scenario status, generator health. */
  live: LiveSnapshot;
  /**
   * The newest complete one-second row of the time series (keys as in `TimeSeries.series`: vus,
   * http_reqs, iterations, http_req_failed, checks, http_req_duration.p50/.p90/.p95/.p99/.max/.avg,
   * data_received, data_sent, dropped_iterations, volley_event_loop_delay.p99, volley_cpu).
   */
  row: { timeMs: number; values: Record<string, number | null> } | undefined;
  /** Cumulative aggregates incl. per-route (tags name, method), per-scenario, per-check and per-error series. */
  snapshot: MetricsSnapshot;
  /** Latest threshold verdicts. */
  thresholds: readonly ThresholdEval[];
}

export interface DashboardSink {
  /** The test is starting. */
  start(meta: RunMeta): void;
  /** Once per second during the run. Cheap and synchronous. */
  update(u: LiveUpdate): void;
  /** The test ended: the final summary. */
  end(summary: SummaryData): void;
}
