/**
 * The live web dashboard (`volley run --dashboard`): an HTTP server that shows the running test in a
 * browser, fed once per second through the `DashboardSink` contract (types.ts).
 *
 *   const dash = await startDashboard({ port: 5665, open: true, linger: false });
 *   dash.start(meta); ... dash.update(u) every second ...; dash.end(summary);
 *   await dash.waitUntilClosed(); await dash.close();
 */
import type { AddressInfo } from 'node:net';
import { configError, type VolleyError } from '../errors/index.js';
import { isLoopbackHost } from './auth.js';
import { openBrowser } from './browser.js';
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from './defaults.js';
import { DashboardServer } from './server.js';
import type { DashboardOptions, DashboardSink } from './types.js';
import { buildPage } from './ui/page.js';

export type { DashboardSink, LiveUpdate, RunMeta } from './types.js';
export { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from './defaults.js';
export { dashboardFlags, dashboardOptionsFromFlags, type DashboardFlag, type DashboardFlagValues } from './flags.js';

export type { DashboardOptions } from './types.js';

/** A running dashboard. */
export interface Dashboard extends DashboardSink {
  /** The page's URL, with `?token=` when a token is set. A wildcard bind (0.0.0.0, ::) shows loopback. */
  url: string;
  /**
   * Without `linger`: resolves at once. With `linger`: resolves on Ctrl-C (SIGINT), SIGTERM or
   * `close()`, so the page stays readable after the test until the user is done with it.
   */
  waitUntilClosed(): Promise<void>;
  /** Ends the event streams (browsers get everything sent so far) and stops the server. Idempotent. */
  close(): Promise<void>;
}

/** Shortest dashboard token accepted (`openssl rand -hex 8` is 16). */
export const MIN_DASHBOARD_TOKEN_CHARS = 16;

/** Checks the options before anything is bound; throws the user's mistake as a VolleyError (exit 104). */
export function validateDashboardOptions(opts: DashboardOptions): { host: string; port: number; token: string | undefined } {
  const host = opts.host ?? DEFAULT_DASHBOARD_HOST;
  if (host.trim() === '') throw configError('E_DASHBOARD_HOST', 'the dashboard host is empty', 'give --dashboard-host an address, e.g. 127.0.0.1 (default) or 0.0.0.0 with --dashboard-token');
  const port = opts.port ?? DEFAULT_DASHBOARD_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw configError('E_DASHBOARD_PORT', `the dashboard port ${String(port)} is not a TCP port`, 'give --dashboard-port a whole number from 1 to 65535 (0 picks a free port); the default is 5665');
  }
  const token = opts.token;
  if (token !== undefined && token.trim() === '') {
    throw configError('E_DASHBOARD_TOKEN', 'the dashboard token is empty', 'give --dashboard-token a secret (e.g. the output of `openssl rand -hex 16`), or leave the flag out on loopback');
  }
  if (token !== undefined && token.length < MIN_DASHBOARD_TOKEN_CHARS) {
    throw configError(
      'E_DASHBOARD_TOKEN',
      `the dashboard token is ${token.length} character${token.length === 1 ? '' : 's'} long: at least ${MIN_DASHBOARD_TOKEN_CHARS} are needed, or it can be guessed`,
      'use a random secret, e.g. VOLLEY_DASHBOARD_TOKEN=$(openssl rand -hex 16)',
    );
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw configError(
      'E_DASHBOARD_TOKEN',
      `the dashboard would listen on ${host}, where other machines can reach it, without a token`,
      'add --dashboard-token <secret> (every request must then carry it; the printed URL includes it), or keep the default --dashboard-host 127.0.0.1',
    );
  }
  return { host, port, token };
}

/** Binds the dashboard and returns it. Throws VolleyError E_DASHBOARD_PORT / _HOST / _TOKEN (exit 104). */
export async function startDashboard(opts: DashboardOptions = {}): Promise<Dashboard> {
  const { host, port, token } = validateDashboardOptions(opts);
  const page = buildPage();
  const ds = new DashboardServer({ page, token, boundHost: host, ...(opts.warn ? { warn: opts.warn } : {}) });
  await listen(ds, host, port);
  const bound = (ds.server.address() as AddressInfo).port;
  const url = dashboardUrl(host, bound, token);

  let closing: Promise<void> | undefined;
  let onClosed: (() => void) | undefined;
  const closed = new Promise<void>((r) => (onClosed = r));
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await ds.closeStreams();
      await new Promise<void>((r) => {
        ds.server.close(() => r());
        ds.server.closeAllConnections();
      });
      onClosed!();
    })();
    return closing;
  };

  if (opts.open) openBrowser(url, opts.warn);

  return {
    url,
    start: (m) => ds.start(m),
    update: (u) => ds.update(u),
    end: (s) => ds.end(s),
    close,
    waitUntilClosed: async () => {
      if (!opts.linger) return;
      const onSignal = (): void => void close();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await closed;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  };
}

/** The URL to print and open. */
export function dashboardUrl(host: string, port: number, token: string | undefined): string {
  let h = host;
  if (h === '0.0.0.0') h = '127.0.0.1';
  else if (h === '::' || h === '[::]') h = '[::1]';
  else if (h.includes(':') && !h.startsWith('[')) h = `[${h}]`;
  return `http://${h}:${port}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
}

function listen(ds: DashboardServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      ds.server.off('listening', onListening);
      void ds.closeStreams();
      reject(listenError(e, host, port));
    };
    const onListening = (): void => {
      ds.server.off('error', onError);
      resolve();
    };
    ds.server.once('error', onError);
    ds.server.once('listening', onListening);
    ds.server.listen({ host, port, exclusive: true });
  });
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): VolleyError | Error {
  switch (e.code) {
    case 'EADDRINUSE':
      return configError(
        'E_DASHBOARD_PORT',
        `the dashboard cannot listen on port ${port} of ${host}: the port is already in use`,
        'choose another with --dashboard-port <port> (0 picks a free one), or stop the program that uses it (another volley run with --dashboard?)',
      );
    case 'EACCES':
      return configError('E_DASHBOARD_PORT', `the dashboard is not allowed to listen on port ${port} of ${host}`, 'ports below 1024 need privileges: choose one above 1024 with --dashboard-port');
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return configError('E_DASHBOARD_HOST', `the dashboard cannot listen on ${host}: no such address on this machine`, 'give --dashboard-host an address of this machine: 127.0.0.1 (default), 0.0.0.0 (all interfaces, with --dashboard-token) or one of its IPs');
    default:
      return e;
  }
}
