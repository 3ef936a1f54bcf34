/**
 * The dashboard's state and HTTP routes, on node:http:
 *
 *   GET /              the page (HTML with uPlot, CSS and the app inlined: one request, no network)
 *   GET /events        Server-Sent Events (see wire.ts): `init` with everything so far, then
 *                      `start`, `update` every second, `history` now and then, `end`
 *   GET /summary.json  the end-of-test summary, once the run ended (404 before)
 *
 * Memory stays bounded whatever the run's length: the downsampled `History`, the newest update and
 * the final summary; nothing per second is kept beyond that.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { SummaryData } from '../summary/types.js';
import { authorize } from './auth.js';
import { toWireEnd, toWireUpdate } from './feed.js';
import { History, type HistoryLevel } from './history.js';
import { formatEvent, SseHub } from './sse.js';
import type { DashboardSink, LiveUpdate, RunMeta } from './types.js';
import type { WireEnd, WireInit, WireUpdate } from './wire.js';

/** The page, built once (see ui/page.ts). */
export interface PageAssets {
  html: string;
  /** Content-Security-Policy header value for the page. */
  csp: string;
}

/** Options of `DashboardServer`. */
export interface DashboardServerOptions {
  page: PageAssets;
  /** Required token, or undefined for none (loopback only). */
  token: string | undefined;
  /** The host the server is bound to (accepted in Host headers when there is no token). */
  boundHost: string;
  /** History levels (default: DEFAULT_HISTORY_LEVELS). */
  levels?: readonly HistoryLevel[];
  /** Re-send the stitched history this often once it is downsampled, ms. Default 5 min. */
  resyncEveryMs?: number;
  /** SSE heartbeat, ms. Default 15 s. */
  heartbeatMs?: number;
  /** Hears problems that must not stop the run (a bug while building an update). */
  warn?: (message: string) => void;
}

/** The sink side and the HTTP side of the dashboard; `startDashboard` binds it to a port. */
export class DashboardServer implements DashboardSink {
  readonly server: Server;
  private readonly hub: SseHub;
  private readonly history: History;
  private meta: RunMeta | null = null;
  private last: WireUpdate | null = null;
  private endMsg: WireEnd | null = null;
  private summaryJson: string | null = null;
  private readonly page: { html: Buffer; gzip: Buffer; csp: string };
  private readonly resyncEveryMs: number;
  private lastResync = 0;
  /** The history as JSON, cached until the next row (catch-up of many pages at once is cheap). */
  private historyCache: { rows: number; json: string } | undefined;
  private warned = false;
  /** Threshold (metric + expr) → elapsed ms when it first failed. */
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly opts: DashboardServerOptions) {
    this.history = new History(opts.levels);
    this.hub = new SseHub({ heartbeatMs: opts.heartbeatMs ?? 15_000 });
    this.resyncEveryMs = opts.resyncEveryMs ?? 5 * 60_000;
    const html = Buffer.from(opts.page.html);
    this.page = { html, gzip: gzipSync(html), csp: opts.page.csp };
    this.server = createServer((req, res) => this.handle(req, res));
    // A dashboard holds open event streams: do not let the default timeouts cut them.
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = 5_000;
  }

  /** Connected browsers. */
  get clients(): number {
    return this.hub.size;
  }

  // ---- DashboardSink ----------------------------------------------------------------------------

  start(meta: RunMeta): void {
    this.meta = meta;
    this.hub.broadcast('start', JSON.stringify(meta));
  }

  update(u: LiveUpdate): void {
    try {
      const w = toWireUpdate(u, this.meta);
      for (const t of w.thresholds) {
        const key = `${t.metric}\u0000${t.expr}`;
        if (!t.ok && !this.failedAt.has(key)) this.failedAt.set(key, u.live.elapsedMs);
        t.failedAtMs = this.failedAt.get(key) ?? null;
      }
      if (u.row) this.history.add(u.row.timeMs, u.row.values);
      this.last = w;
      // Serialised once for every browser, and not at all when none is connected.
      if (this.hub.size > 0) this.hub.broadcast('update', JSON.stringify(w));
      if (this.history.downsampled && Date.now() - this.lastResync >= this.resyncEveryMs) {
        this.lastResync = Date.now();
        this.hub.broadcast('history', this.historyJson());
      }
    } catch (e) {
      // The run matters more than its dashboard: report once, keep going.
      if (!this.warned) {
        this.warned = true;
        this.opts.warn?.(`dashboard: could not publish an update: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }

  end(summary: SummaryData): void {
    this.summaryJson = JSON.stringify(summary, null, 2);
    this.endMsg = toWireEnd(summary);
    this.hub.broadcast('end', JSON.stringify(this.endMsg));
  }

  /** Ends the event streams (flushing the last events) and stops heartbeats. */
  closeStreams(): Promise<void> {
    return this.hub.close();
  }

  // ---- HTTP -------------------------------------------------------------------------------------

  private historyJson(): string {
    const rows = this.history.rows;
    if (this.historyCache?.rows !== rows) this.historyCache = { rows, json: JSON.stringify(this.history.toJSON()) };
    return this.historyCache.json;
  }

  /** The `init` event: everything a page needs to show the run so far. */
  initEvent(): string {
    const init: Omit<WireInit, 'history'> = { meta: this.meta, update: this.last, end: this.endMsg, serverTimeMs: Date.now() };
    // Splice the cached history JSON in rather than parse-and-restringify it.
    const json = JSON.stringify(init);
    return formatEvent('init', `${json.slice(0, -1)},"history":${this.historyJson()}}`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    } catch {
      return text(res, 400, 'bad request');
    }
    const denied = authorize(req, url, { token: this.opts.token, boundHost: this.opts.boundHost });
    if (denied) {
      if (denied.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="volley-dashboard"');
      return text(res, denied.status, denied.message);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return text(res, 405, 'method not allowed');
    }
    switch (url.pathname) {
      case '/':
      case '/index.html':
        return this.servePage(req, res);
      case '/events':
        if (req.method === 'HEAD') return text(res, 200, '');
        return this.hub.accept(req, res, this.initEvent());
      case '/summary.json':
        if (this.summaryJson === null) return text(res, 404, 'the test is still running: the summary is served once it ends');
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
        return void res.end(req.method === 'HEAD' ? undefined : this.summaryJson);
      case '/favicon.ico':
        res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
        return void res.end();
      default:
        return text(res, 404, 'not found');
    }
  }

  private servePage(req: IncomingMessage, res: ServerResponse): void {
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? this.page.gzip : this.page.html;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': body.length,
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      Vary: 'Accept-Encoding',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': this.page.csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      // The URL may carry the token: never send it anywhere as a referrer.
      'Referrer-Policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body ? `${body}\n` : undefined);
}
