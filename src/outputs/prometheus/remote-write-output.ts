/**
 * `--out prometheus-rw=URL[,options]`: pushes the metrics snapshot to a Prometheus remote-write
 * endpoint (remote write 1.0: a protobuf WriteRequest, snappy block-compressed) every
 * `pushInterval` (default 5s, as k6) and at the end. One sample per series per push, stamped with
 * the snapshot's time; names as k6's `experimental-prometheus-rw` output (see series.ts).
 *
 * Default URL: http://localhost:9090/api/v1/write (k6's default). Options: prefix (default 'k6_'),
 * testid, trendStats, pushInterval, timeout, flushTimeout, maxQueue, label.NAME=VALUE,
 * header.NAME=VALUE; credentials in the URL become Basic auth.
 */
import type http from 'node:http';
import { compress } from 'snappy';
import type { MetricsSnapshot } from '../../metrics/snapshot.js';
import { httpPost, pushAgent } from '../monitoring-http.js';
import { parseHttpUrl, parseMonitoringArg, type MonitoringArgSpec, type MonitoringOptions } from '../monitoring-options.js';
import { PushOutput, shownUrl } from '../monitoring-push-output.js';
import { seriesViews } from '../monitoring-views.js';
import type { OutputContext } from '../types.js';
import { encodeWriteRequest } from './remote-write-proto.js';
import { promSeries } from './series.js';

/** How `--out prometheus-rw=...` is read. */
export const REMOTE_WRITE_ARG: MonitoringArgSpec = {
  output: 'prometheus-rw',
  targetLabel: 'remote-write URL',
  example: 'prometheus-rw=http://127.0.0.1:9090/api/v1/write,prefix=k6_',
  defaultTarget: 'http://localhost:9090/api/v1/write',
  defaults: { prefix: 'k6_', pushIntervalMs: 5000 },
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

  constructor(options: MonitoringOptions, ctx: OutputContext) {
    const url = parseHttpUrl(REMOTE_WRITE_ARG, options.target);
    super('prometheus-rw', shownUrl(url), options, ctx);
    this.url = url;
    this.agent = pushAgent(url);
    this.headers = { ...options.headers, ...REMOTE_WRITE_HEADERS };
  }

  protected async build(snapshot: MetricsSnapshot): Promise<Buffer | undefined> {
    const series = promSeries(snapshot, seriesViews(snapshot), this.options);
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
