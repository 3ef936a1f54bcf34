/**
 * `--out prometheus-rw=URL[,options]`: pushes the metrics snapshot to a Prometheus remote-write
 * endpoint (remote write 1.0: a protobuf WriteRequest, snappy block-compressed) every
 * `pushInterval` (default 5s, as k6) and at the end. One sample per series per push, stamped with
 * the snapshot's time; names as k6's `experimental-prometheus-rw` output (see series.ts).
 *
 * Default URL: http://localhost:9090/api/v1/write (k6's default). Options: prefix (default 'k6_'),
 * testid, trendStats, pushInterval, timeout, flushTimeout, maxQueue, label.NAME=VALUE,
 * header.NAME=VALUE, trendAsNativeHistogram=true, k6Tags=true (k6-tags.ts); credentials in the
 * URL become Basic auth.
 *
 * `trendAsNativeHistogram=true` (k6's option of the same name) sends each trend as a Prometheus
 * native histogram (`k6_http_req_duration_seconds`, schema 8: buckets 0.27 % wide, converted from
 * the HDR histogram) instead of its stat gauges, so Prometheus adds the histograms of several
 * runners and `histogram_quantile(0.99, sum(k6_http_req_duration_seconds))` is the p99 of all of
 * them. Prometheus needs `--enable-feature=native-histograms`.
 */
import type http from 'node:http';
import { compress } from 'snappy';
import type { MetricsSnapshot } from '../../metrics/snapshot.js';
import { httpPost, pushAgent } from '../monitoring-http.js';
import { monitoringArgError, parseHttpUrl, parseMonitoringArg, type MonitoringArgSpec, type MonitoringOptions } from '../monitoring-options.js';
import { PushOutput, shownUrl } from '../monitoring-push-output.js';
import { seriesViews } from '../monitoring-views.js';
import type { OutputContext } from '../types.js';
import { encodeWriteRequest } from './remote-write-proto.js';
import { promHistograms, promSeries, type PromNaming } from './series.js';
import { K6_TAGS_BREAKDOWN } from './k6-tags.js';
import type { Breakdown } from '../../metrics/breakdowns.js';
import { encodeHistogramSeries } from './native-histogram-proto.js';
import { EXPONENTIAL_SCHEMA } from '../../metrics/exponential.js';

/** How `--out prometheus-rw=...` is read. */
export const REMOTE_WRITE_ARG: MonitoringArgSpec = {
  output: 'prometheus-rw',
  targetLabel: 'remote-write URL',
  example: 'prometheus-rw=http://127.0.0.1:9090/api/v1/write,prefix=k6_',
  defaultTarget: 'http://localhost:9090/api/v1/write',
  defaults: { prefix: 'k6_', pushIntervalMs: 5000 },
  extraOptions: ['trendAsNativeHistogram', 'k6Tags'],
};

/** The headers remote write 1.0 requires. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
  'User-Agent': 'volley',
};

export class RemoteWriteOutput extends PushOutput<Buffer> {
  readonly url: URL;
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string>;
  /** Set with trendAsNativeHistogram: snapshots carry the trends' buckets at this schema. */
  readonly exponentialSchema: number | undefined;
  /** Set with k6Tags=true: the run also aggregates the k6 tag set, exported under k6's names. */
  readonly breakdowns: readonly Breakdown[] | undefined;
  private readonly naming: PromNaming;

  constructor(options: MonitoringOptions, ctx: OutputContext) {
    const url = parseHttpUrl(REMOTE_WRITE_ARG, options.target);
    const native = options.extra.get('trendAsNativeHistogram');
    if (native !== undefined && native !== 'true' && native !== 'false') throw monitoringArgError(REMOTE_WRITE_ARG, `trendAsNativeHistogram=${native} is not true or false`);
    const k6Tags = options.extra.get('k6Tags');
    if (k6Tags !== undefined && k6Tags !== 'true' && k6Tags !== 'false') throw monitoringArgError(REMOTE_WRITE_ARG, `k6Tags=${k6Tags} is not true or false`);
    super('prometheus-rw', shownUrl(url), options, ctx);
    this.exponentialSchema = native === 'true' ? EXPONENTIAL_SCHEMA : undefined;
    this.breakdowns = k6Tags === 'true' ? [K6_TAGS_BREAKDOWN] : undefined;
    this.naming = { ...options, k6Tags: k6Tags === 'true' };
    this.url = url;
    this.agent = pushAgent(url);
    this.headers = { ...options.headers, ...REMOTE_WRITE_HEADERS };
  }

  protected async build(snapshot: MetricsSnapshot): Promise<Buffer | undefined> {
    if (this.exponentialSchema !== undefined) {
      const plain = { ...snapshot, series: snapshot.series.filter((s) => s.type !== 'trend') };
      const series = promSeries(plain, seriesViews(plain), this.naming);
      const histograms = promHistograms(snapshot, seriesViews(snapshot), this.naming);
      if (series.length === 0 && histograms.length === 0) return undefined;
      return compress(Buffer.concat([encodeWriteRequest(series, snapshot.timeMs), encodeHistogramSeries(histograms, snapshot.timeMs)]));
    }
    const series = promSeries(snapshot, seriesViews(snapshot), this.naming);
    if (series.length === 0) return undefined;
    // snappy's async compress runs off the main thread.
    return compress(encodeWriteRequest(series, snapshot.timeMs));
  }

  protected send(body: Buffer, signal: AbortSignal): Promise<void> {
    return httpPost(this.url, body, this.headers, { timeoutMs: this.options.timeoutMs, signal, agent: this.agent });
  }

  protected sizeOf(body: Buffer): number {
    return body.byteLength;
  }

  protected override close(): void {
    this.agent.destroy();
  }
}

/** The `prometheus-rw` output factory. */
export function createRemoteWriteOutput(arg: string, ctx: OutputContext): RemoteWriteOutput {
  return new RemoteWriteOutput(parseMonitoringArg(REMOTE_WRITE_ARG, arg), ctx);
}
