/**
 * `--out influxdb=URL[,options]`: writes the metrics snapshot to InfluxDB in line protocol, one
 * point per series per push, every `pushInterval` (default 1s, as k6) and at the end.
 *
 * URLs:
 * - `http://127.0.0.1:8086/k6`: InfluxDB 1.x, database `k6` (k6's form); the database is created at
 *   start (`CREATE DATABASE`, as k6 does; a failure only warns).
 * - `http://127.0.0.1:8086/write?db=k6`: InfluxDB 1.x write endpoint, as is (database created too).
 * - `http://127.0.0.1:8086/api/v2/write?org=ORG&bucket=BUCKET`: InfluxDB 2.x (or 3.x's v2 API), with
 *   `token=...` (or VOLLEY_INFLUXDB_TOKEN) sent as `Authorization: Token ...`.
 * Credentials in a 1.x URL (`http://user:pass@host:8086/k6`) become Basic auth. `precision=ms` is
 * added unless the URL sets one.
 *
 * Points: measurement = the k6 metric name (k6's naming; with `prefix`, and view names for
 * breakdowns and sub-metrics, see monitoring-views.ts), tags = the series' tags plus `testid` and
 * `label.NAME=VALUE`. Fields:
 *
 * | type    | `value` (k6-compatible, per push interval)          | cumulative fields               |
 * | ------- | --------------------------------------------------- | ------------------------------- |
 * | Counter | increase since the previous push                    | `count`                         |
 * | Gauge   | last value                                          | `min`, `max`                    |
 * | Rate    | share of non-zero samples since the previous push   | `rate`, `passes`, `fails`       |
 * | Trend   | mean of the samples since the previous push         | `count`, `sum`, and the trend stats (`p99` …) |
 *
 * k6 writes one point per sample with the sample in `value`, and its dashboards aggregate `value`
 * (`sum("value")` of http_reqs, `mean("value")` of http_req_duration); per-interval values keep
 * those queries meaningful. `value` is left out of an interval with no new samples (rates, trends).
 */
import type http from 'node:http';
import type { MetricsSnapshot, SnapshotSeries } from '../../metrics/snapshot.js';
import { httpPost, pushAgent } from '../monitoring-http.js';
import { monitoringArgError, parseHttpUrl, parseMonitoringArg, trendStatSuffix, type MonitoringArgSpec, type MonitoringOptions } from '../monitoring-options.js';
import { PushOutput, shownUrl } from '../monitoring-push-output.js';
import { seriesViews, viewBaseName } from '../monitoring-views.js';
import type { OutputContext } from '../types.js';
import { formatLine } from './line-protocol.js';

/** How `--out influxdb=...` is read. */
export const INFLUXDB_ARG: MonitoringArgSpec = {
  output: 'influxdb',
  targetLabel: 'InfluxDB URL',
  example: 'influxdb=http://127.0.0.1:8086/k6 (1.x) or influxdb=http://127.0.0.1:8086/api/v2/write?org=ORG&bucket=BUCKET,token=TOKEN (2.x)',
  defaultTarget: 'http://localhost:8086/k6',
  defaults: { prefix: '', pushIntervalMs: 1000 },
  extraOptions: ['token'],
};

/** Where and how to write. */
export interface InfluxTarget {
  /** The write URL, with precision=ms. */
  writeUrl: URL;
  version: 1 | 2;
  /** 1.x database (for CREATE DATABASE). */
  database?: string;
  /** 1.x query URL for CREATE DATABASE. */
  queryUrl?: URL;
}

/** Reads the URL forms above. Throws a VolleyError (E_OUTPUT) naming the accepted forms. */
export function parseInfluxTarget(target: string): InfluxTarget {
  const url = parseHttpUrl(INFLUXDB_ARG, target);
  const path = url.pathname.replace(/\/+$/, '');
  let t: InfluxTarget;
  if (path.endsWith('/api/v2/write')) {
    if (!url.searchParams.get('bucket') || !url.searchParams.get('org')) {
      throw monitoringArgError(INFLUXDB_ARG, `${shownUrl(url)}: an InfluxDB 2.x write URL needs ?org=...&bucket=...`);
    }
    t = { writeUrl: url, version: 2 };
  } else if (path.endsWith('/write')) {
    const db = url.searchParams.get('db');
    if (!db) throw monitoringArgError(INFLUXDB_ARG, `${shownUrl(url)}: an InfluxDB 1.x write URL needs ?db=DATABASE`);
    t = { writeUrl: url, version: 1, database: db, queryUrl: new URL(`${path.slice(0, -'/write'.length)}/query`, url) };
  } else {
    const segments = path.split('/').filter((s) => s !== '');
    if (segments.length !== 1) {
      throw monitoringArgError(INFLUXDB_ARG, `${shownUrl(url)} does not say which database: use http://HOST:8086/DATABASE, .../write?db=DATABASE or .../api/v2/write?org=ORG&bucket=BUCKET`);
    }
    const db = decodeURIComponent(segments[0]!);
    const writeUrl = new URL('/write', url);
    writeUrl.searchParams.set('db', db);
    t = { writeUrl, version: 1, database: db, queryUrl: new URL('/query', url) };
  }
  t.writeUrl.username = url.username;
  t.writeUrl.password = url.password;
  if (t.queryUrl) {
    t.queryUrl.username = url.username;
    t.queryUrl.password = url.password;
    for (const k of ['u', 'p']) {
      const v = url.searchParams.get(k);
      if (v !== null) t.queryUrl.searchParams.set(k, v);
    }
  }
  if (!t.writeUrl.searchParams.has('precision')) t.writeUrl.searchParams.set('precision', 'ms');
  return t;
}

/** Cumulative values of a series at the previous push, for per-interval `value`. */
interface Previous {
  count: number;
  sum: number;
  passes: number;
  fails: number;
}

export class InfluxDbOutput extends PushOutput<Buffer> {
  readonly target: InfluxTarget;
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string>;
  private readonly baseTags: Record<string, string>;
  private readonly previous = new Map<string, Previous>();
  private created: Promise<void> = Promise.resolve();

  constructor(options: MonitoringOptions, ctx: OutputContext) {
    const target = parseInfluxTarget(options.target);
    super('influxdb', shownUrl(target.writeUrl), options, ctx);
    this.target = target;
    this.agent = pushAgent(target.writeUrl);
    const token = options.extra.get('token');
    this.headers = { 'Content-Type': 'text/plain; charset=utf-8', 'User-Agent': 'volley', ...options.headers };
    if (token) this.headers.Authorization = `Token ${token}`;
    this.baseTags = { ...options.labels };
    if (options.testid) this.baseTags.testid = options.testid;
  }

  /** 1.x: creates the database (as k6 does). Not awaited by start(); the first push waits for it (bounded by the timeout). */
  protected override open(): void {
    const { queryUrl, database } = this.target;
    if (!queryUrl || !database) return;
    const url = new URL(queryUrl.href);
    url.searchParams.set('q', `CREATE DATABASE "${database.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    this.created = httpPost(url, '', { 'User-Agent': 'volley', ...this.options.headers }, { timeoutMs: this.options.timeoutMs, agent: this.agent }).catch((e: Error) => {
      // Unreachable: the pushes will say so (once). Refused (no admin rights, 2.x...): say it here.
      if (e.name === 'PushError' && (e as { permanent?: boolean }).permanent) {
        this.warn(`output ${this.description}: could not create database ${JSON.stringify(database)} (${e.message}); writing anyway`);
      }
    });
  }

  protected build(snapshot: MetricsSnapshot): Buffer | undefined {
    const views = seriesViews(snapshot);
    const prefix = this.options.prefix;
    const lines: string[] = [];
    for (let i = 0; i < snapshot.series.length; i++) {
      const s = snapshot.series[i]!;
      const measurement = prefix + viewBaseName(views[i]!, s.name);
      const tags: Record<string, string> = { ...this.baseTags, ...s.tags };
      const line = formatLine(measurement, tags, this.fields(measurement, s), snapshot.timeMs);
      if (line !== '') lines.push(line);
    }
    if (lines.length === 0) return undefined;
    return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  }

  protected async send(body: Buffer, signal: AbortSignal): Promise<void> {
    await this.created;
    return httpPost(this.target.writeUrl, body, this.headers, { timeoutMs: this.options.timeoutMs, signal, agent: this.agent });
  }

  protected sizeOf(body: Buffer): number {
    return body.byteLength;
  }

  protected override close(): void {
    this.agent.destroy();
  }

  /** The fields of one point; updates the series' previous values. */
  private fields(measurement: string, s: SnapshotSeries): Record<string, number> {
    const v = s.values;
    const key = `${measurement}\u0000${Object.keys(s.tags)
      .sort()
      .map((k) => `${k}\u0001${s.tags[k]}`)
      .join('\u0000')}`;
    let prev = this.previous.get(key);
    if (!prev) this.previous.set(key, (prev = { count: 0, sum: 0, passes: 0, fails: 0 }));
    const f: Record<string, number> = {};
    switch (s.type) {
      case 'counter': {
        const count = v.count ?? 0;
        f.value = count - prev.count;
        f.count = count;
        prev.count = count;
        break;
      }
      case 'gauge':
        f.value = v.value ?? 0;
        f.min = v.min ?? 0;
        f.max = v.max ?? 0;
        break;
      case 'rate': {
        const passes = v.passes ?? 0;
        const fails = v.fails ?? 0;
        const n = passes - prev.passes + (fails - prev.fails);
        if (n > 0) f.value = (passes - prev.passes) / n;
        f.rate = v.rate ?? 0;
        f.passes = passes;
        f.fails = fails;
        prev.passes = passes;
        prev.fails = fails;
        break;
      }
      case 'trend': {
        const count = v.count ?? 0;
        const sum = v.sum ?? 0;
        if (count > prev.count) f.value = (sum - prev.sum) / (count - prev.count);
        f.count = count;
        f.sum = sum;
        for (const stat of this.options.trendStats) if (stat !== 'count' && stat !== 'sum') f[trendStatSuffix(stat)] = v[stat] ?? 0;
        prev.count = count;
        prev.sum = sum;
        break;
      }
    }
    return f;
  }
}

/** The `influxdb` output factory. */
export function createInfluxDbOutput(arg: string, ctx: OutputContext): InfluxDbOutput {
  return new InfluxDbOutput(parseMonitoringArg(INFLUXDB_ARG, arg), ctx);
}
