/**
 * The live status of a run, once per second: what the progress line, the dashboard and any other
 * live reader show. Built by the controller from the workers' status and the last time-series row.
 */

/** One scenario's state in this thread's view (summed over workers by the controller). */
export interface ScenarioStatus {
  active: number;
  allocated: number;
  progress: number;
  done: boolean;
  /** Iterations cut short so far (gracefulStop, gracefulRampDown, a stop); absent in synthetic feeds. */
  interrupted?: number;
}

export interface LiveSnapshot {
  elapsedMs: number;
  plannedMs: number;
  vus: number;
  vusMax: number;
  iterations: number;
  /** Last second's values of the catalog's headline metrics (null when no data). */
  rps: number | null;
  p95: number | null;
  errorRate: number | null;
  scenarios: Array<{ name: string; executor: string } & ScenarioStatus & { iterations: number }>;
  failedThresholds: number;
  eventLoopDelayP99Ms: number;
  cpuPercent: number;
}
