/**
 * The `options` a script exports, as the user writes them (k6 names; durations as strings like
 * '30s'). Validated and normalised by the config module before the test starts.
 */

export interface StageOptions {
  duration: string;
  target: number;
}

interface ScenarioCommon {
  startTime?: string;
  gracefulStop?: string;
  exec?: string;
  env?: Record<string, string>;
  tags?: Record<string, string>;
}

export type ScenarioOptions = ScenarioCommon &
  (
    | { executor: 'shared-iterations'; vus?: number; iterations?: number; maxDuration?: string }
    | { executor: 'per-vu-iterations'; vus?: number; iterations?: number; maxDuration?: string }
    | { executor: 'constant-vus'; vus?: number; duration: string }
    | { executor: 'ramping-vus'; startVUs?: number; stages: StageOptions[]; gracefulRampDown?: string }
    | { executor: 'constant-arrival-rate'; rate: number; timeUnit?: string; duration: string; preAllocatedVUs: number; maxVUs?: number }
    | { executor: 'ramping-arrival-rate'; startRate?: number; timeUnit?: string; stages: StageOptions[]; preAllocatedVUs: number; maxVUs?: number }
    /** Locust's model: `users` started at `spawnRate` per second (default 1), kept until `duration` (runs as ramping-vus). */
    | { executor: 'users'; users: number; spawnRate?: number; duration: string }
  );

export type ThresholdOptions = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** A proxy Volley starts for the run (docs/faults.md); the script finds it at __ENV.VOLLEY_PROXY_<NAME>. */
export interface ProxyOptions {
  /** host:port; default 127.0.0.1:0 (any free port). */
  listen?: string;
  /** http://host:port (HTTP faults) or host:port / tcp://host:port (TCP faults). */
  upstream: string;
}

/** A fault on the test's timeline (docs/faults.md lists each kind's fields). */
export interface FaultOptions {
  proxy: string;
  startTime?: string | number;
  duration: string | number;
  /** Default 'status' when `status` is given. */
  kind?: string;
  /** Probability per request (HTTP) or per connection (TCP), default 1. */
  rate?: number;
  /** The `fault` tag of samples taken during the window; default `<proxy>-<status or kind>`. */
  name?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  [field: string]: unknown;
}

export interface Options {
  scenarios?: Record<string, ScenarioOptions>;
  proxies?: Record<string, ProxyOptions>;
  faults?: FaultOptions[];
  vus?: number;
  duration?: string;
  iterations?: number;
  stages?: StageOptions[];
  thresholds?: Record<string, ThresholdOptions[]>;
  summaryTrendStats?: string[];
  summaryTimeUnit?: 's' | 'ms' | 'us';
  setupTimeout?: string;
  teardownTimeout?: string;
  handleSummaryTimeout?: string;
  tags?: Record<string, string>;
  userAgent?: string;
  insecureSkipTLSVerify?: boolean;
  maxRedirects?: number;
  batch?: number;
  batchPerHost?: number;
  discardResponseBodies?: boolean;
  throw?: boolean;
  noConnectionReuse?: boolean;
  noVUConnectionReuse?: boolean;
  /** Largest HTTP response head accepted, bytes (default 16384). */
  maxResponseHeadSize?: number;
  /** A threshold on a metric with no samples passes, as in k6 (default false: it fails). */
  thresholdsPassWithoutSamples?: boolean;
  noCookiesReset?: boolean;
  minIterationDuration?: string;
  /** Prometheus endpoints of the system under test scraped during the run: 'prometheus=URL[#series+series]' (docs/capacity.md). */
  monitors?: string[];
  [k6OptionNotYetTyped: string]: unknown;
}
