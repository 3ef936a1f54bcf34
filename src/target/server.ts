import { createServer, type Server } from 'node:http';
import { attachWebSocketEcho } from './websocket.js';
import type { AddressInfo } from 'node:net';
import { VolleyError, configError, ExitCode } from '../errors/index.js';
import { buildRoutes, internalRoute, type Resettable } from './compile.js';
import type { NormalizedConfig, RouteConfig, TargetConfig } from './config.js';
import { TargetRequest, TargetResponse } from './context.js';
import { DEMO_PROFILE } from './demo-profile.js';
import { gauges, internalHandlers } from './internal.js';
import { validateTargetConfig } from './load-config.js';
import { Service } from './service.js';
import type { TargetStats } from './stats.js';

/** Options of `startTarget`. */
export interface TargetOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Routes and behaviours (as in a YAML file, or `loadTargetConfig()` output). Default: none. */
  config?: TargetConfig;
  /** Shorthand: routes added to `config.routes`. */
  routes?: RouteConfig[];
  /**
   * 'demo': serve the demo product API (plus any routes given, which take precedence);
   * 'none': only the given routes. Default: config.profile, else 'demo' when no routes are given.
   */
  profile?: 'demo' | 'none';
}

/** A route as served (after crud/uploads expansion). */
export interface RouteInfo {
  name: string;
  method: string;
  path: string;
  kind: string;
}

/** A started target. */
export interface RunningTarget {
  /** Base URL, e.g. "http://127.0.0.1:43121". */
  url: string;
  port: number;
  host: string;
  /** Routes served, in precedence order (internal endpoints not included). */
  routes: RouteInfo[];
  /** The profile in use. */
  profile: 'demo' | 'none';
  /** The validated config in use (demo routes included). */
  config: NormalizedConfig;
  /** Ground truth since start or the last reset (same as GET /__volley/stats). */
  stats(opts?: { histograms?: boolean }): TargetStats;
  /** Zeroes the stats; with `state`, also resets CRUD/upload stores and rate-limit buckets. */
  reset(opts?: { state?: boolean }): void;
  /** Stops listening and drops open connections (hung and streaming requests included). */
  close(): Promise<void>;
}

/** Error code when the port cannot be bound (exit code 104). */
export const E_TARGET_PORT = 'E_TARGET_PORT';

/**
 * Starts the target service.
 * @throws VolleyError E_TARGET_CONFIG for an invalid config, E_TARGET_PORT when the port is taken.
 */
export async function startTarget(opts: TargetOptions = {}): Promise<RunningTarget> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw configError(E_TARGET_PORT, `port must be a whole number from 0 to 65535, got ${port}`);
  const input: TargetConfig = { ...(opts.config ?? {}), routes: [...(opts.config?.routes ?? []), ...(opts.routes ?? [])] };
  const user = validateTargetConfig(input, 'config');
  const profile = opts.profile ?? user.profile ?? (user.routes.length === 0 ? 'demo' : 'none');
  const config = profile === 'demo' ? withDemo(user) : user;

  const svc = new Service(config);
  const built = buildRoutes(config, svc);
  const stores: Resettable[] = built.stores;
  const resetState = () => {
    for (const s of stores) s.reset();
    svc.resetRateLimits();
  };
  const ih = internalHandlers(svc, resetState);
  // Internal endpoints first (they cannot be shadowed) except /metrics, which a user route may claim.
  svc.addRoutes([
    internalRoute(svc, 'stats', 'GET', '/__volley/stats', ih.stats),
    internalRoute(svc, 'reset', 'POST', '/__volley/reset', ih.reset),
    internalRoute(svc, 'metrics', 'GET', '/__volley/metrics', ih.metrics),
    internalRoute(svc, 'routes', 'GET', '/__volley/routes', ih.routes),
  ]);
  svc.addRoutes(built.routes);
  svc.addRoutes([internalRoute(svc, 'metrics', 'GET', '/metrics', ih.metrics)]);
  svc.setUnmatched(internalRoute(svc, '(unmatched)', '*', '*', { respond: () => undefined }, svc.stats.unmatched));

  const server = createServer({
    IncomingMessage: TargetRequest,
    ServerResponse: TargetResponse,
    maxHeaderSize: config.server.maxHeaderSize,
    // Checked by the service instead, so that the 400 carries x-request-id like every other answer.
    requireHostHeader: false,
  });
  server.keepAliveTimeout = config.server.keepAliveTimeout;
  server.on('request', svc.onRequest);
  server.on('clientError', svc.onClientError);
  const closeWebSockets = attachWebSocketEcho(server);
  await listen(server, port, host);
  const addr = server.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' || host.includes(':') ? `[${addr.address}]` : host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${addr.port}`,
    port: addr.port,
    host,
    profile,
    config,
    routes: built.routes.map((r) => ({ name: r.name, method: r.method, path: r.path, kind: r.kind })),
    stats: (o) => svc.stats.snapshot(gauges(svc), o?.histograms ?? false),
    reset: (o) => {
      svc.stats.reset();
      if (o?.state) resetState();
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        closeWebSockets();
        svc.shutdown();
      })),
  };
}

function listen(server: Server<typeof TargetRequest, typeof TargetResponse>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(configError(E_TARGET_PORT, `port ${port} on ${host} is already in use`, `Stop what listens there or pick another port (--port ${port + 1}, or 0 for any free port).`));
      else if (e.code === 'EACCES') reject(configError(E_TARGET_PORT, `no permission to listen on port ${port}`, 'Ports below 1024 need privileges; pick a port above 1024.'));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(configError(E_TARGET_PORT, `cannot listen on host ${host}:${port} (${e.code})`, 'Use an address of this machine, e.g. 127.0.0.1.'));
      else reject(new VolleyError(E_TARGET_PORT, `cannot listen on ${host}:${port}: ${e.message}`, { exitCode: ExitCode.GenericError, cause: e }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * The demo profile plus the user's routes and top-level settings. User routes come first (they win on
 * the same method and path), and a demo route whose path a user route also declares is dropped, so
 * that the two never share a stats label.
 */
function withDemo(user: NormalizedConfig): NormalizedConfig {
  const demo = validateTargetConfig(DEMO_PROFILE, 'demo profile');
  const taken = new Set(user.routes.map((r) => r.path));
  return { ...user, routes: [...user.routes, ...demo.routes.filter((r) => !taken.has(r.path))] };
}
