/**
 * The argument of the monitoring outputs (`--out prometheus-rw=URL,prefix=volley_,pushInterval=2s`):
 * a target (URL or host:port) followed by comma-separated `key=value` options. Every option can
 * also come from an environment variable named after the output and the option
 * (`VOLLEY_PROMETHEUS_RW_PREFIX=volley_`, `VOLLEY_INFLUXDB_TOKEN=...`); the argument wins.
 */
import { ExitCode, VolleyError, suggest } from '../errors/index.js';
import { parseDurationMs } from '../config/duration.js';

/** Trend stats the metrics snapshot carries (`SnapshotSeries.values` of a trend). */
export const TREND_STATS = ['p(99)', 'p(95)', 'p(90)', 'med', 'avg', 'min', 'max', 'count', 'sum'] as const;
export type TrendStat = (typeof TREND_STATS)[number];
/** Default trend stats of the monitoring outputs: every percentile and summary stat k6 dashboards use, and the count. */
export const DEFAULT_TREND_STATS: readonly TrendStat[] = ['p(99)', 'p(95)', 'p(90)', 'med', 'avg', 'min', 'max', 'count'];

/** A stat's name as a metric-name suffix, as k6's remote-write output forms it: 'p(99)' → 'p99', 'p(99.9)' → 'p999'. */
export function trendStatSuffix(stat: TrendStat): string {
  return stat.startsWith('p(') ? `p${stat.slice(2, -1).replace('.', '')}` : stat;
}

/** Options shared by the monitoring outputs (each output documents its own defaults). */
export interface MonitoringOptions {
  /** The part before the first comma: a URL, or host:port for the scrape endpoint. */
  target: string;
  /** Prepended to every metric (or measurement) name. */
  prefix: string;
  /** Added as a label/tag/attribute to every series when set (k6 dashboards filter on it). */
  testid: string | undefined;
  /** Static labels from `label.NAME=VALUE` options, added to every series (series tags win). */
  labels: Record<string, string>;
  /** Extra HTTP headers from `header.NAME=VALUE` options (push outputs). */
  headers: Record<string, string>;
  /** Ms between pushes (push outputs). */
  pushIntervalMs: number;
  /** Ms one push request may take before it is abandoned and retried. Default 5000. */
  timeoutMs: number;
  /** Ms `stop()` may spend sending what is still queued. Default 5000. */
  flushTimeoutMs: number;
  /** Most pushes kept while the endpoint is unreachable; the oldest are dropped past it. Default 120. */
  maxQueue: number;
  /** Trend stats exported, in order. Default `DEFAULT_TREND_STATS`. */
  trendStats: TrendStat[];
  /** Output-specific options (e.g. `token`, `serviceName`), by name, validated by the output. */
  extra: Map<string, string>;
}

/** How one output reads its argument. */
export interface MonitoringArgSpec {
  /** Output name, as in `--out NAME=...`. */
  output: string;
  /** What the target is, for messages: 'URL' or 'host:port'. */
  targetLabel: string;
  /** An example argument, for hints. */
  example: string;
  /** Whether the target may be omitted (then `defaultTarget`). */
  defaultTarget?: string;
  defaults: { prefix: string; pushIntervalMs: number };
  /** Output-specific option names accepted besides the common ones. */
  extraOptions?: readonly string[];
  /** Common options that make no sense for this output (e.g. pushInterval for the scrape endpoint). */
  excludeOptions?: readonly string[];
}

const COMMON = ['prefix', 'testid', 'pushInterval', 'timeout', 'flushTimeout', 'maxQueue', 'trendStats'] as const;

/** `pushInterval` → `PUSH_INTERVAL`. */
function envName(output: string, option: string): string {
  const o = output.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  return `VOLLEY_${o}_${option.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/**
 * Parses `TARGET[,key=value...]`. Throws one VolleyError (E_OUTPUT, exit code 104) listing every
 * problem: unknown options (with the closest known one), bad durations or numbers, unknown trend
 * stats, a missing target.
 *
 * `trendStats` takes a comma-separated list like k6's (`trendStats=p(95),p(99),max`): tokens without
 * `=` after it continue the list.
 */
export function parseMonitoringArg(spec: MonitoringArgSpec, arg: string, env: Readonly<Record<string, string | undefined>> = process.env): MonitoringOptions {
  const problems: string[] = [];
  const allowed = [...COMMON.filter((c) => !spec.excludeOptions?.includes(c)), ...(spec.extraOptions ?? [])];
  const tokens = arg === '' ? [] : arg.split(',');
  let target = (tokens.shift() ?? '').trim();
  if (target.includes('=') && !target.includes('://') && spec.defaultTarget !== undefined) {
    // `prometheus=prefix=x`: options only, default target.
    tokens.unshift(target);
    target = '';
  }
  if (target === '') {
    if (spec.defaultTarget !== undefined) target = spec.defaultTarget;
    else problems.push(`a ${spec.targetLabel} is required`);
  }
  const values = new Map<string, string>();
  const labels: Record<string, string> = {};
  const headers: Record<string, string> = {};
  let listKey: string | undefined;
  for (const raw of tokens) {
    const token = raw.trim();
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (listKey !== undefined) {
        values.set(listKey, `${values.get(listKey)},${token}`);
        continue;
      }
      problems.push(`option ${JSON.stringify(token)} has no value: write it as key=value`);
      continue;
    }
    const key = token.slice(0, eq).trim();
    const value = token.slice(eq + 1).trim();
    listKey = key === 'trendStats' ? key : undefined;
    if (key.startsWith('label.') && key.length > 6) {
      labels[key.slice(6)] = value;
    } else if (key.startsWith('header.') && key.length > 7 && !spec.excludeOptions?.includes('header')) {
      headers[key.slice(7)] = value;
    } else if (allowed.includes(key)) {
      values.set(key, value);
    } else {
      const close = suggest(key, allowed);
      problems.push(`unknown option ${JSON.stringify(key)}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ''}`);
    }
  }
  for (const name of allowed) {
    if (values.has(name)) continue;
    const v = env[envName(spec.output, name)];
    if (v !== undefined && v !== '') values.set(name, v);
  }

  const duration = (name: string, dflt: number, min = 1): number => {
    const v = values.get(name);
    if (v === undefined) return dflt;
    const ms = parseDurationMs(v);
    if (ms === undefined || ms < min) {
      problems.push(`${name}=${v} is not a duration of at least ${min}ms (e.g. 5s, 500ms)`);
      return dflt;
    }
    return ms;
  };
  const pushIntervalMs = duration('pushInterval', spec.defaults.pushIntervalMs, 100);
  const timeoutMs = duration('timeout', 5000);
  const flushTimeoutMs = duration('flushTimeout', 5000, 0);
  let maxQueue = 120;
  const mq = values.get('maxQueue');
  if (mq !== undefined) {
    if (/^\d+$/.test(mq) && Number(mq) >= 1) maxQueue = Number(mq);
    else problems.push(`maxQueue=${mq} is not a whole number of at least 1`);
  }
  let trendStats = [...DEFAULT_TREND_STATS];
  const ts = values.get('trendStats');
  if (ts !== undefined) {
    const list = ts.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '');
    const bad = list.filter((s) => !(TREND_STATS as readonly string[]).includes(s));
    if (bad.length > 0 || list.length === 0) {
      problems.push(`trendStats=${ts}: ${bad.length > 0 ? `unknown stat ${bad.map((b) => JSON.stringify(b)).join(', ')}` : 'empty list'} (the snapshot has ${TREND_STATS.join(', ')})`);
    } else {
      trendStats = [...new Set(list)] as TrendStat[];
    }
  }
  const prefix = values.get('prefix') ?? spec.defaults.prefix;
  if (prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(prefix)) {
    problems.push(`prefix=${prefix} must start with a letter or _ and hold only letters, digits, _ and .`);
  }
  if (problems.length > 0) {
    throw new VolleyError('E_OUTPUT', `--out ${spec.output}: ${problems.join('; ')}`, {
      hint: `write it as --out ${spec.example} (options: ${allowed.join(', ')}, label.NAME=VALUE${spec.excludeOptions?.includes('header') ? '' : ', header.NAME=VALUE'}; or env ${envName(spec.output, 'prefix')} and so on)`,
      exitCode: ExitCode.InvalidConfig,
    });
  }
  const extra = new Map<string, string>();
  for (const name of spec.extraOptions ?? []) {
    const v = values.get(name);
    if (v !== undefined) extra.set(name, v);
  }
  return {
    target,
    prefix,
    testid: values.get('testid') || undefined,
    labels,
    headers,
    pushIntervalMs,
    timeoutMs,
    flushTimeoutMs,
    maxQueue,
    trendStats,
    extra,
  };
}

/** A VolleyError for a bad target or output-specific option, in the same shape as `parseMonitoringArg`'s. */
export function monitoringArgError(spec: MonitoringArgSpec, problem: string): VolleyError {
  return new VolleyError('E_OUTPUT', `--out ${spec.output}: ${problem}`, {
    hint: `write it as --out ${spec.example}`,
    exitCode: ExitCode.InvalidConfig,
  });
}

/** Parses an http(s) URL target; throws `monitoringArgError` for anything else. */
export function parseHttpUrl(spec: MonitoringArgSpec, target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw monitoringArgError(spec, `${JSON.stringify(target)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw monitoringArgError(spec, `${JSON.stringify(target)} must be an http:// or https:// URL`);
  }
  return url;
}
