/**
 * Resolved, validated options: what the engine runs. Durations are in milliseconds here; the user
 * writes them as k6 duration strings ('30s', '1m30s'). Produced by `resolveOptions()`.
 */

export interface Stage {
  durationMs: number;
  target: number;
}

interface ScenarioBase {
  /** Scenario name (the key in `options.scenarios`; 'default' for shortcut options). */
  name: string;
  startTimeMs: number;
  /** Default 30s. */
  gracefulStopMs: number;
  /** Exported function to run; default 'default'. */
  exec: string;
  /** Extra `__ENV` entries for this scenario's VUs. */
  env: Record<string, string>;
  /** Extra tags on every sample of this scenario. */
  tags: Record<string, string>;
  /** k6's `options.browser`: present when the scenario's VUs may drive a browser (volley/browser). */
  browser?: BrowserScenarioOptions;
}

/** A scenario's `options.browser` (k6): Chromium is the only browser type. */
export interface BrowserScenarioOptions {
  type: 'chromium';
}

export interface SharedIterationsConfig extends ScenarioBase {
  executor: 'shared-iterations';
  vus: number;
  iterations: number;
  /** Default 10m. */
  maxDurationMs: number;
}
export interface PerVuIterationsConfig extends ScenarioBase {
  executor: 'per-vu-iterations';
  vus: number;
  iterations: number;
  maxDurationMs: number;
}
export interface ConstantVusConfig extends ScenarioBase {
  executor: 'constant-vus';
  vus: number;
  durationMs: number;
}
export interface RampingVusConfig extends ScenarioBase {
  executor: 'ramping-vus';
  startVUs: number;
  stages: Stage[];
  /** Default 30s. */
  gracefulRampDownMs: number;
}
/**
 * What an open-model executor does with an iteration that is due when every VU is busy:
 * 'drop' (k6's behaviour: counted in dropped_iterations, never measured) or 'queue' (wrk2/Vegeta:
 * it waits for a free VU, and its lateness shows in iteration_start_lag and
 * http_req_corrected_duration; beyond `maxQueue` waiting iterations, further ones are dropped).
 */
export type WhenBusy = 'drop' | 'queue';

interface OpenModelBase extends ScenarioBase {
  preAllocatedVUs: number;
  maxVUs: number;
  /** Default 'drop'. */
  whenBusy: WhenBusy;
  /** Default 100000. */
  maxQueue: number;
}

export interface ConstantArrivalRateConfig extends OpenModelBase {
  executor: 'constant-arrival-rate';
  rate: number;
  /** Default 1s. */
  timeUnitMs: number;
  durationMs: number;
}
export interface RampingArrivalRateConfig extends OpenModelBase {
  executor: 'ramping-arrival-rate';
  startRate: number;
  timeUnitMs: number;
  stages: Stage[];
}

export type ScenarioConfig =
  | SharedIterationsConfig
  | PerVuIterationsConfig
  | ConstantVusConfig
  | RampingVusConfig
  | ConstantArrivalRateConfig
  | RampingArrivalRateConfig;

export type ExecutorName = ScenarioConfig['executor'];

export interface ThresholdSpec {
  /** The expression as written, e.g. 'p(95)<300'. */
  threshold: string;
  abortOnFail: boolean;
  /** Default 0. */
  delayAbortEvalMs: number;
}

export interface ResolvedOptions {
  scenarios: ScenarioConfig[];
  /** Fault-injection proxies Volley starts for the run (options.proxies); [] when none. */
  proxies: ProxyOption[];
  /** Faults on the test's timeline (options.faults); [] when none. */
  faults: FaultOption[];
  /** Metric (or sub-metric 'name{tag:value}') → its thresholds. */
  thresholds: Record<string, ThresholdSpec[]>;
  /** Default ['avg','min','med','max','p(90)','p(95)','p(99)'] (k6's default plus p(99), as issue 3 asks). */
  summaryTrendStats: string[];
  /** Unit for time values in the text summary; undefined = adaptive. */
  summaryTimeUnit: 's' | 'ms' | 'us' | undefined;
  /** Default 60s. */
  setupTimeoutMs: number;
  /** Default 60s. */
  teardownTimeoutMs: number;
  /** Time limit of the script's `handleSummary(data)`. Default 2m (k6's). */
  handleSummaryTimeoutMs: number;
  /** Tags added to every sample. */
  tags: Record<string, string>;
  /** `__ENV` as the script sees it: process environment overlaid with `-e KEY=VALUE`. */
  env: Record<string, string>;
  /** HTTP defaults. */
  userAgent: string;
  insecureSkipTLSVerify: boolean;
  /** Default 10. */
  maxRedirects: number;
  /** Max parallel requests in one http.batch (default 20) and per host (default 6). */
  batch: number;
  batchPerHost: number;
  discardResponseBodies: boolean;
  /** When true, network errors throw instead of returning status 0 (k6 `throw`). */
  throw: boolean;
  /** PEM CA certificates trusted for https in addition to Node's roots (Volley's option). Default none. */
  tlsCACerts: string[];
  /**
   * Which HTTP transport VUs use: 'fast' (default: the HTTP/1.1 fast path for plain http://, undici
   * for the rest) or 'undici' (undici for every request).
   */
  httpTransport: 'fast' | 'undici';
  /** Source IPs the fast path spreads its connections over (more than ~28k connections to one target). Default none. */
  localAddresses: string[];
  /** Prometheus endpoints of the system under test scraped during the run: 'prometheus=URL[#series+series]' (src/monitors/). Default none. */
  monitors: string[];
  /** Speak HTTP/2 to plain http:// origins without negotiation (h2c prior knowledge). Default false (HTTP/2 is negotiated over TLS). */
  h2c: boolean;
  /** Close connections after every request. */
  noConnectionReuse: boolean;
  /** Do not keep connections across a VU's iterations. */
  noVUConnectionReuse: boolean;
  /** Keep cookies across iterations (default false: the jar is reset each iteration, as k6). */
  noCookiesReset: boolean;
  /** Largest HTTP response head (status line and headers) accepted, bytes; default 16 KiB. */
  maxResponseHeadSize: number;
  /** A threshold on a metric with no samples passes (k6's behaviour) instead of failing. */
  thresholdsPassWithoutSamples: boolean;
  /** Minimum iteration duration (pads short iterations with sleep); default 0. */
  minIterationDurationMs: number;
  /** Worker threads; undefined = decide from the test. */
  workers: number | undefined;
  /** Skip threshold evaluation (k6 --no-thresholds). */
  noThresholds: boolean;
  /** Do not print the end-of-test summary (k6 --no-summary). */
  noSummary: boolean;
  /** Start even when the VUs cannot fit in this machine's memory by Volley's estimate. */
  noVUMemoryCheck: boolean;
  /** The part of the test this runner executes, k6's form ("1/4", "0:1/4", "1/4:2/4"); undefined = all of it. */
  executionSegment: string | undefined;
  /** All runners' segments, k6's form ("0,1/4,1/2,1"): checks the segment and numbers VU ids. */
  executionSegmentSequence: string | undefined;
}

/** Options given as `volley run` flags (the option table's `cli` keys, plus the shortcuts and `-e`). */
export interface CliOptionFlags {
  /** --vus / -u */
  vus?: number;
  /** --duration / -d, e.g. '30s' (a unit is required, as in k6). */
  duration?: string;
  /** --iterations / -i */
  iterations?: number;
  /** --stages / -s: '10s:5,20s:10' (k6's repeatable --stage, joined with commas). */
  stages?: string;
  /** -e / --env KEY=VALUE, already split (see parseKeyValueList). */
  env?: Record<string, string>;
  /** --tag NAME=VALUE */
  tags?: Record<string, string>;
  /** Thresholds can only be set in the script. */
  thresholds?: never;
  /** --summary-trend-stats 'avg,p(95),p(99.9)' */
  summaryTrendStats?: string;
  /** --summary-time-unit s|ms|us */
  summaryTimeUnit?: string;
  noThresholds?: boolean;
  noSummary?: boolean;
  noVUMemoryCheck?: boolean;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
  maxRedirects?: number;
  throw?: boolean;
  noConnectionReuse?: boolean;
  noVUConnectionReuse?: boolean;
  discardResponseBodies?: boolean;
  workers?: number;
  /** --http-transport fast|undici */
  httpTransport?: string;
  /** --local-addresses 127.0.0.1,127.0.0.2 */
  localAddresses?: string;
  /** --h2c */
  h2c?: boolean;
  /** --execution-segment 1/4:2/4 */
  executionSegment?: string;
  /** --execution-segment-sequence 0,1/4,1/2,1 */
  executionSegmentSequence?: string;
  /** --monitor prometheus=http://127.0.0.1:9100/metrics[,prometheus=…] */
  monitors?: string;
}

/** A proxy of `options.proxies` (read by faults-config.ts; docs/faults.md). */
export interface ProxyOption {
  readonly name: string;
  /** host:port; default 127.0.0.1:0 (any free port: the script reads the address from __ENV.VOLLEY_PROXY_<NAME>). */
  readonly listen: string;
  readonly upstream: string;
  readonly mode: 'http' | 'tcp';
}

/** A fault of `options.faults`: a window of the test's timeline on one proxy. */
export interface FaultOption {
  /** The `fault` tag value of samples taken during the window. */
  readonly name: string;
  readonly proxy: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly kind: string;
  /** Probability per request (HTTP kinds) or per connection (TCP kinds), [0, 1]. */
  readonly rate: number;
  /** The kind's own fields as written (status, headers, latency, ...). */
  readonly params: Readonly<Record<string, unknown>>;
}
