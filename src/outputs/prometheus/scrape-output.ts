/**
 * `--out prometheus=[HOST]:PORT[,options]`: serves the metrics snapshot at `GET /metrics` in the
 * Prometheus text format, from `start()` until `stop()`. Default 127.0.0.1:9464 (loopback unless a
 * host is given; `0.0.0.0:9464` for every interface). Names as k6's remote-write output (series.ts).
 * Options: prefix (default 'k6_'), testid, trendStats, label.NAME=VALUE.
 *
 * Cost: the text is rendered on request, at most once per snapshot (once a second), never on the
 * test's hot path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExitCode, VolleyError } from '../../errors/index.js';
import type { MetricsSnapshot } from '../../metrics/snapshot.js';
import { monitoringArgError, parseMonitoringArg, type MonitoringArgSpec, type MonitoringOptions } from '../monitoring-options.js';
import { seriesViews } from '../monitoring-views.js';
import type { Output, OutputContext, SampleBatch } from '../types.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition.js';
import { promSeries } from './series.js';

/** How `--out prometheus=...` is read. */
export const SCRAPE_ARG: MonitoringArgSpec = {
  output: 'prometheus',
  targetLabel: 'host:port',
  example: 'prometheus=127.0.0.1:9464',
  defaultTarget: '127.0.0.1:9464',
  defaults: { prefix: 'k6_', pushIntervalMs: 5000 },
  excludeOptions: ['pushInterval', 'timeout', 'flushTimeout', 'maxQueue', 'header'],
};

/** Default host of the scrape endpoint: loopback. */
export const DEFAULT_SCRAPE_HOST = '127.0.0.1';

/** `':9464'`, `'9464'`, `'127.0.0.1:9464'`, `'[::1]:9464'`, `'localhost:0'` → host and port. */
export function parseListenAddress(target: string): { host: string; port: number } | undefined {
  const t = target.trim();
  let host: string;
  let portText: string;
  if (/^\d+$/.test(t)) {
    host = DEFAULT_SCRAPE_HOST;
    portText = t;
  } else if (t.startsWith('[')) {
    const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(t);
    if (!m) return undefined;
    host = m[1]!;
    portText = m[2]!;
  } else {
    const colon = t.lastIndexOf(':');
    if (colon < 0) return undefined;
    host = t.slice(0, colon) || DEFAULT_SCRAPE_HOST;
    portText = t.slice(colon + 1);
    if (host.includes(':') || /[\s/[\]]/.test(host) || !/^\d+$/.test(portText)) return undefined;
  }
  const port = Number(portText);
  return port <= 65535 ? { host, port } : undefined;
}

export class ScrapeOutput implements Output {
  readonly wantsSamples = false;
  readonly description: string;
  /** Scrapes answered. */
  scrapes = 0;
  private readonly host: string;
  private readonly port: number;
  private server: http.Server | undefined;
  private latest: MetricsSnapshot | undefined;
  private rendered: { snapshot: MetricsSnapshot; text: string } | undefined;
  private state: 'new' | 'started' | 'stopped' = 'new';

  constructor(
    private readonly options: MonitoringOptions,
    ctx: OutputContext,
  ) {
    const addr = parseListenAddress(options.target);
    if (!addr) throw monitoringArgError(SCRAPE_ARG, `${JSON.stringify(options.target)} is not a host:port to listen on (e.g. :9464 or 127.0.0.1:9464)`);
    this.host = addr.host;
    this.port = addr.port;
    this.description = `prometheus (http://${this.hostForUrl()}:${this.port}/metrics)`;
  }

  /** The listening address (after start; port 0 resolves to the real port). */
  get address(): { host: string; port: number } {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return { host: this.host, port: a?.port ?? this.port };
  }

  /** The URL Prometheus should scrape. */
  get url(): string {
    return `http://${this.hostForUrl()}:${this.address.port}/metrics`;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 65_000; // Prometheus keeps its scrape connection open between scrapes
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((e: NodeJS.ErrnoException) => {
      throw new VolleyError('E_OUTPUT', `--out prometheus: cannot listen on ${this.host}:${this.port} (${e.code ?? e.message})`, {
        hint: e.code === 'EADDRINUSE' ? 'another process uses that port: pick another one, e.g. --out prometheus=:9465' : 'check the host:port given to --out prometheus=...',
        exitCode: ExitCode.InvalidConfig,
        cause: e,
      });
    });
    server.unref(); // the test, not the endpoint, decides when the process ends
    this.server = server;
    this.state = 'started';
  }

  addSamples(_batch: SampleBatch): void {
    // Snapshot-only output (wantsSamples = false).
  }

  addSnapshot(snapshot: MetricsSnapshot): void {
    if (this.state === 'stopped') return;
    this.latest = snapshot;
  }

  /** The exposition text of the latest snapshot ('' before the first one). */
  render(): string {
    const snap = this.latest;
    if (!snap) return '';
    if (this.rendered?.snapshot !== snap) {
      this.rendered = { snapshot: snap, text: renderExposition(promSeries(snap, seriesViews(snap), this.options)) };
    }
    return this.rendered.text;
  }

  async stop(_err?: unknown): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      this.scrapes++;
      const body = this.render();
      res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Volley metrics are at /metrics\n');
  }

  private hostForUrl(): string {
    return this.host.includes(':') ? `[${this.host}]` : this.host;
  }
}

/** The `prometheus` output factory. */
export function createScrapeOutput(arg: string, ctx: OutputContext): ScrapeOutput {
  return new ScrapeOutput(parseMonitoringArg(SCRAPE_ARG, arg), ctx);
}
