/**
 * The option table: every top-level option Volley reads, with its k6 name, where it lands in
 * `ResolvedOptions`, its kind, its default, and its CLI flag and `VOLLEY_*` variable (named like
 * k6's `K6_*`). sources.ts reads options through this table and docs/options.md documents it
 * (a test checks that every row is documented).
 */
import { readFileSync } from 'node:fs';
import type { ResolvedOptions } from './types.js';
import type { CliOptionFlags } from './types.js';

/** Options that are plain values (not scenarios, shortcuts, thresholds or `__ENV`). */
export type PlainOptions = Omit<ResolvedOptions, 'scenarios' | 'thresholds' | 'env' | 'proxies' | 'faults'>;
export type PlainKey = keyof PlainOptions;

export type ValueKind = 'duration' | 'int' | 'bool' | 'string' | 'strings' | 'transport' | 'trendStats' | 'timeUnit' | 'tags' | 'segment' | 'segmentSequence';

export interface PlainOptionSpec {
  /** Name in the script's `options` (k6's name). */
  readonly name: string;
  /** Field in ResolvedOptions. */
  readonly field: PlainKey;
  readonly kind: ValueKind;
  /** Smallest accepted value, for 'int'. */
  readonly min?: number;
  /** `VOLLEY_*` environment variable, if any. */
  readonly env?: string;
  /** CLI flag (as printed in messages), if any. */
  readonly flag?: string;
  /** Key in CliOptionFlags, when there is a flag. */
  readonly cli?: keyof CliOptionFlags;
  /** The flag's help line (`volley run --help`, docs/cli.md), when there is a flag. */
  readonly help?: string;
  /** The flag's one-letter alias, e.g. '-w'. */
  readonly short?: string;
}

/** Shortcut options and the places they can come from. */
export const SHORTCUT_SOURCES = {
  vus: { env: 'VOLLEY_VUS', flag: '--vus' },
  duration: { env: 'VOLLEY_DURATION', flag: '--duration' },
  iterations: { env: 'VOLLEY_ITERATIONS', flag: '--iterations' },
  stages: { env: 'VOLLEY_STAGES', flag: '--stages' },
} as const;

/** The CLI flag for `-e KEY=VALUE`. */
export const ENV_FLAG = '--env';

const PLAIN_OPTION_ROWS = [
  { name: 'setupTimeout', field: 'setupTimeoutMs', kind: 'duration', env: 'VOLLEY_SETUP_TIMEOUT' },
  { name: 'teardownTimeout', field: 'teardownTimeoutMs', kind: 'duration', env: 'VOLLEY_TEARDOWN_TIMEOUT' },
  { name: 'handleSummaryTimeout', field: 'handleSummaryTimeoutMs', kind: 'duration', env: 'VOLLEY_HANDLE_SUMMARY_TIMEOUT' },
  { name: 'userAgent', field: 'userAgent', kind: 'string', env: 'VOLLEY_USER_AGENT', flag: '--user-agent', cli: 'userAgent', help: 'User-Agent header for HTTP requests' },
  { name: 'insecureSkipTLSVerify', field: 'insecureSkipTLSVerify', kind: 'bool', env: 'VOLLEY_INSECURE_SKIP_TLS_VERIFY', flag: '--insecure-skip-tls-verify', cli: 'insecureSkipTLSVerify', help: 'skip TLS certificate verification' },
  { name: 'maxRedirects', field: 'maxRedirects', kind: 'int', min: 0, env: 'VOLLEY_MAX_REDIRECTS', flag: '--max-redirects', cli: 'maxRedirects', help: 'follow at most n redirects' },
  { name: 'batch', field: 'batch', kind: 'int', min: 1, env: 'VOLLEY_BATCH' },
  { name: 'batchPerHost', field: 'batchPerHost', kind: 'int', min: 0, env: 'VOLLEY_BATCH_PER_HOST' },
  { name: 'discardResponseBodies', field: 'discardResponseBodies', kind: 'bool', env: 'VOLLEY_DISCARD_RESPONSE_BODIES', flag: '--discard-response-bodies', cli: 'discardResponseBodies', help: 'do not keep response bodies (less memory)' },
  { name: 'tlsCACerts', field: 'tlsCACerts', kind: 'strings' },
  { name: 'httpTransport', field: 'httpTransport', kind: 'transport', env: 'VOLLEY_HTTP_TRANSPORT', flag: '--http-transport', cli: 'httpTransport', help: 'HTTP transport: fast (HTTP/1.1 fast path for http://, undici for the rest) or undici (every request)' },
  { name: 'localAddresses', field: 'localAddresses', kind: 'strings', env: 'VOLLEY_LOCAL_ADDRESSES', flag: '--local-addresses', cli: 'localAddresses', help: 'comma-separated source IPs the HTTP fast path spreads its connections over' },
  { name: 'h2c', field: 'h2c', kind: 'bool', env: 'VOLLEY_H2C', flag: '--h2c', cli: 'h2c', help: 'speak HTTP/2 to plain http:// origins without negotiation (h2c prior knowledge; implies the undici transport)' },
  { name: 'throw', field: 'throw', kind: 'bool', env: 'VOLLEY_THROW', flag: '--throw', cli: 'throw', help: 'throw on failed HTTP requests instead of returning status 0' },
  { name: 'noConnectionReuse', field: 'noConnectionReuse', kind: 'bool', env: 'VOLLEY_NO_CONNECTION_REUSE', flag: '--no-connection-reuse', cli: 'noConnectionReuse', help: 'close HTTP connections after each request' },
  { name: 'noVUConnectionReuse', field: 'noVUConnectionReuse', kind: 'bool', env: 'VOLLEY_NO_VU_CONNECTION_REUSE', flag: '--no-vu-connection-reuse', cli: 'noVUConnectionReuse', help: 'do not keep connections between iterations' },
  { name: 'noCookiesReset', field: 'noCookiesReset', kind: 'bool', env: 'VOLLEY_NO_COOKIES_RESET' },
  { name: 'maxResponseHeadSize', field: 'maxResponseHeadSize', kind: 'int', min: 1024, env: 'VOLLEY_MAX_RESPONSE_HEAD_SIZE' },
  { name: 'thresholdsPassWithoutSamples', field: 'thresholdsPassWithoutSamples', kind: 'bool', env: 'VOLLEY_THRESHOLDS_PASS_WITHOUT_SAMPLES' },
  { name: 'minIterationDuration', field: 'minIterationDurationMs', kind: 'duration', env: 'VOLLEY_MIN_ITERATION_DURATION' },
  { name: 'summaryTrendStats', field: 'summaryTrendStats', kind: 'trendStats', env: 'VOLLEY_SUMMARY_TREND_STATS', flag: '--summary-trend-stats', cli: 'summaryTrendStats', help: 'trend stats in the summary, e.g. avg,min,med,max,p(90),p(95),p(99)' },
  { name: 'summaryTimeUnit', field: 'summaryTimeUnit', kind: 'timeUnit', env: 'VOLLEY_SUMMARY_TIME_UNIT', flag: '--summary-time-unit', cli: 'summaryTimeUnit', help: 'time unit in the summary: s, ms or us' },
  { name: 'tags', field: 'tags', kind: 'tags', env: 'VOLLEY_TAGS', flag: '--tag', cli: 'tags', help: 'add a tag to every sample (repeatable)' },
  { name: 'workers', field: 'workers', kind: 'int', min: 1, env: 'VOLLEY_WORKERS', flag: '--workers', cli: 'workers', help: 'worker threads running VUs (default: one per core, at most the VUs needed)', short: '-w' },
  { name: 'noThresholds', field: 'noThresholds', kind: 'bool', env: 'VOLLEY_NO_THRESHOLDS', flag: '--no-thresholds', cli: 'noThresholds', help: 'do not evaluate thresholds' },
  { name: 'noSummary', field: 'noSummary', kind: 'bool', env: 'VOLLEY_NO_SUMMARY', flag: '--no-summary', cli: 'noSummary', help: 'do not print the end-of-test summary' },
  { name: 'noVUMemoryCheck', field: 'noVUMemoryCheck', kind: 'bool', env: 'VOLLEY_NO_VU_MEMORY_CHECK', flag: '--no-vu-memory-check', cli: 'noVUMemoryCheck', help: "start even when the VUs cannot fit in memory by Volley's estimate" },
  { name: 'executionSegment', field: 'executionSegment', kind: 'segment', env: 'VOLLEY_SEGMENT', flag: '--execution-segment', cli: 'executionSegment', help: 'run only this part of the test, as k6: 1/4 (= 0:1/4), 1/4:2/4; merge the runners with volley merge' },
  { name: 'monitors', field: 'monitors', kind: 'strings', env: 'VOLLEY_MONITORS', flag: '--monitor', cli: 'monitors', help: "scrape the system under test's Prometheus endpoint during the run: prometheus=URL[#series+series] (comma-separated for several)" },
  { name: 'executionSegmentSequence', field: 'executionSegmentSequence', kind: 'segmentSequence', env: 'VOLLEY_SEGMENT_SEQUENCE', flag: '--execution-segment-sequence', cli: 'executionSegmentSequence', help: "all runners' segments, e.g. 0,1/3,2/3,1: checks the segment and numbers VU ids across runners" },
] as const satisfies readonly PlainOptionSpec[];

/** The plain options, in the order problems are reported. */
export const PLAIN_OPTIONS: readonly PlainOptionSpec[] = PLAIN_OPTION_ROWS;

/** Compile-time check: every plain field of ResolvedOptions has a row in PLAIN_OPTIONS. */
type Unlisted = Exclude<PlainKey, (typeof PLAIN_OPTION_ROWS)[number]['field']>;
export const EVERY_PLAIN_OPTION_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

/** Script-only options handled on their own (not in PLAIN_OPTIONS). */
export const STRUCTURED_OPTIONS = ['vus', 'duration', 'iterations', 'stages', 'scenarios', 'thresholds', 'proxies', 'faults'] as const;

/**
 * k6 options Volley accepts but does not implement yet: a script that sets them still runs, with a
 * warning that they are ignored.
 */
export const NOT_IMPLEMENTED_OPTIONS = [
  'paused',
  'noSetup',
  'noTeardown',
  'rps',
  'dns',
  'httpDebug',
  'tlsCipherSuites',
  'tlsVersion',
  'tlsAuth',
  'blacklistIPs',
  'blockHostnames',
  'hosts',
  'cloud',
  'ext',
  'systemTags',
  'metricSamplesBufferSize',
  'features',
] as const;

/** Every top-level name a script's `options` may use. */
export const ALL_OPTION_NAMES: readonly string[] = [...STRUCTURED_OPTIONS, ...PLAIN_OPTIONS.map((o) => o.name), ...NOT_IMPLEMENTED_OPTIONS];

function volleyVersion(): string {
  // dist/src/config/option-specs.js → the package root is three levels up.
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'volley' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not there: try the next candidate
    }
  }
  return 'dev';
}

/** The User-Agent header when `userAgent` is not set: "Volley/<version>" (k6 sends "Grafana k6/<version>"). */
export const DEFAULT_USER_AGENT = `Volley/${volleyVersion()}`;

/**
 * Defaults of the plain options (k6's, except summaryTrendStats, which adds p(99) as the issue
 * asks for the summary; k6's default is avg, min, med, max, p(90), p(95)).
 */
export const PLAIN_DEFAULTS: PlainOptions = {
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  summaryTimeUnit: undefined,
  setupTimeoutMs: 60_000,
  teardownTimeoutMs: 60_000,
  handleSummaryTimeoutMs: 120_000,
  tags: {},
  userAgent: DEFAULT_USER_AGENT,
  insecureSkipTLSVerify: false,
  maxRedirects: 10,
  maxResponseHeadSize: 16 * 1024,
  thresholdsPassWithoutSamples: false,
  batch: 20,
  batchPerHost: 6,
  discardResponseBodies: false,
  throw: false,
  tlsCACerts: [],
  httpTransport: 'fast',
  localAddresses: [],
  h2c: false,
  noConnectionReuse: false,
  noVUConnectionReuse: false,
  noCookiesReset: false,
  minIterationDurationMs: 0,
  workers: undefined,
  noThresholds: false,
  noSummary: false,
  noVUMemoryCheck: false,
  executionSegment: undefined,
  executionSegmentSequence: undefined,
  monitors: [],
};
