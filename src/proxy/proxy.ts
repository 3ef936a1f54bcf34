import { Agent, createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { httpConnection, tcpConnection, type Connection } from './connections.js';
import { createHandler, type FaultCounters, type HandlerContext } from './http-handler.js';
import { faultJson, type HttpFault } from './http-faults.js';
import { ApiError, updateToxic, type Toxic } from './toxics.js';

/** A proxy as created through the API or the command line. */
export interface ProxySpec {
  name: string;
  /** `host:port` (port 0: any free port). */
  listen: string;
  /**
   * `http://host:port`: an HTTP proxy (HTTP faults and toxics); `host:port` or `tcp://host:port`:
   * a TCP proxy (toxics only).
   */
  upstream: string;
  enabled?: boolean;
}

/** `host:port` split; IPv6 in brackets. */
export function splitHostPort(s: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] === '' ? '127.0.0.1' : m[2]!), port };
}

/** The upstream of a spec, or an ApiError saying what is wrong with it. */
export function parseUpstream(s: string): { mode: 'http' | 'tcp'; host: string; port: number; hostHeader: string } {
  if (/^https:/i.test(s)) throw new ApiError(`upstream ${s}: https is not supported (the proxy speaks plain HTTP or TCP); proxy the TCP port with host:port`, 400);
  if (/^http:/i.test(s)) {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new ApiError(`upstream "${s}" is not a valid URL`, 400);
    }
    if (u.pathname !== '/' || u.search !== '') throw new ApiError(`upstream ${s}: give the origin only (http://host:port), paths are passed through`, 400);
    return { mode: 'http', host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80), hostHeader: u.host };
  }
  const hp = splitHostPort(s.replace(/^tcp:\/\//i, ''));
  if (!hp) throw new ApiError(`upstream "${s}" must be host:port, tcp://host:port or http://host:port`, 400);
  return { mode: 'tcp', ...hp, hostHeader: `${hp.host}:${hp.port}` };
}

/**
 * One proxy: a listener, its connections, its toxics (TCP) and HTTP faults. State table:
 *
 *   stopped --start()--> enabled --stop() / enabled:false--> stopped   (connections closed, like Toxiproxy's `down`)
 */
export class Proxy {
  readonly name: string;
  listen: string;
  upstream: string;
  enabled = false;
  toxics: Toxic[] = [];
  readonly mode: 'http' | 'tcp';
  private readonly ctx: HandlerContext;
  private readonly server: Server;
  private readonly http: HttpServer | undefined;
  private readonly agent: Agent | undefined;
  private readonly connections = new Set<Connection>();
  /** Connections on which each toxic type was drawn active (TCP side of `faults_injected`). */
  readonly toxicDraws = new Map<string, number>();

  constructor(spec: ProxySpec, random: () => number = Math.random) {
    this.name = spec.name;
    this.listen = spec.listen;
    this.upstream = spec.upstream;
    const up = parseUpstream(spec.upstream);
    if (!splitHostPort(spec.listen)) throw new ApiError(`listen "${spec.listen}" must be host:port, e.g. 127.0.0.1:9000`, 400);
    this.mode = up.mode;
    const counters: FaultCounters = { byName: new Map(), byKind: new Map() };
    this.ctx = { name: spec.name, upstream: up, faults: [], clockStartMs: performance.now(), counters, random };
    const hooks = {
      random,
      onDraw: (t: Toxic) => this.toxicDraws.set(t.type, (this.toxicDraws.get(t.type) ?? 0) + 1),
      onClose: (c: Connection) => this.connections.delete(c),
    };
    if (up.mode === 'http') {
      this.agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
      const http = createHttpServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, createHandler(this.ctx, this.agent));
      http.on('clientError', (_e, socket) => {
        // A malformed request: answer 400 if the socket can still take it, never crash.
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        else socket.destroy();
      });
      this.http = http;
      this.server = createServer({ allowHalfOpen: true, noDelay: true }, (client: Socket) => {
        this.connections.add(httpConnection(client, this.toxics, hooks, (inner) => http.emit('connection', inner)));
      });
    } else {
      this.server = createServer({ allowHalfOpen: true, noDelay: true }, (client: Socket) => {
        this.connections.add(tcpConnection(client, this.ctx.upstream, this.toxics, hooks));
      });
    }
    this.server.on('error', () => {});
  }

  /** Starts listening; `listen` then holds the actual address (port 0 resolved). */
  async start(): Promise<void> {
    if (this.enabled) return;
    const hp = splitHostPort(this.listen)!;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => {
        this.server.off('listening', onListening);
        reject(new ApiError(`listen tcp ${this.listen}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`, 500));
      };
      const onListening = () => {
        this.server.off('error', onError);
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(hp.port, hp.host);
    });
    const a = this.server.address();
    if (a && typeof a === 'object') this.listen = `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    this.enabled = true;
  }

  /** Stops listening and closes every connection (FIN): Toxiproxy's `enabled: false`. */
  async stop(): Promise<void> {
    if (!this.enabled) return;
    this.enabled = false;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const c of [...this.connections]) c.kill(false);
    await closed;
  }

  /** Stops and frees everything (the upstream keep-alive pool too). */
  async destroy(): Promise<void> {
    await this.stop();
    this.agent?.destroy();
    this.http?.close();
  }

  /** Applies `POST /proxies/{name}`: enabled, listen, upstream. */
  async update(body: Record<string, unknown>): Promise<void> {
    const listen = typeof body.listen === 'string' && body.listen !== '' ? body.listen : this.listen;
    const upstream = typeof body.upstream === 'string' && body.upstream !== '' ? body.upstream : this.upstream;
    const enabled = typeof body.enabled === 'boolean' ? body.enabled : this.enabled;
    if (upstream !== this.upstream) {
      const up = parseUpstream(upstream);
      if (up.mode !== this.mode) throw new ApiError(`upstream ${upstream}: a ${this.mode} proxy cannot change to ${up.mode}; create a new proxy`, 400);
      this.ctx.upstream = up;
      this.upstream = upstream;
    }
    if (listen !== this.listen) {
      if (!splitHostPort(listen)) throw new ApiError(`listen "${listen}" must be host:port`, 400);
      await this.stop();
      this.listen = listen;
    }
    if (enabled) await this.start();
    else await this.stop();
  }

  // Toxics (Toxiproxy API).

  getToxic(name: string): Toxic {
    const t = this.toxics.find((x) => x.name === name);
    if (!t) throw new ApiError('toxic not found', 404);
    return t;
  }
  addToxic(t: Toxic): Toxic {
    if (this.toxics.some((x) => x.name === t.name)) throw new ApiError('toxic already exists', 409);
    this.setToxics([...this.toxics, t]);
    return t;
  }
  updateToxic(name: string, body: unknown): Toxic {
    const old = this.getToxic(name);
    const t = updateToxic(old, body);
    this.setToxics(this.toxics.map((x) => (x === old ? t : x)));
    return t;
  }
  removeToxic(name: string): void {
    const old = this.getToxic(name);
    this.setToxics(this.toxics.filter((x) => x !== old));
  }
  setToxics(toxics: Toxic[]): void {
    this.toxics = toxics;
    for (const c of this.connections) c.sync(toxics);
  }

  // HTTP faults.

  get faults(): readonly HttpFault[] {
    return this.ctx.faults;
  }
  addFault(f: HttpFault): void {
    if (this.mode !== 'http') throw new ApiError(`proxy ${this.name} is a TCP proxy: HTTP faults need an http:// upstream (use toxics)`, 400);
    if (this.ctx.faults.some((x) => x.name === f.name)) throw new ApiError(`fault ${f.name} already exists`, 409);
    this.ctx.faults = [...this.ctx.faults, f];
  }
  removeFault(name: string): void {
    if (!this.ctx.faults.some((x) => x.name === name)) throw new ApiError('fault not found', 404);
    this.ctx.faults = this.ctx.faults.filter((x) => x.name !== name);
  }
  /** Resets the fault clock: windows (`start`, `duration`) count from `atMs` (performance.now() scale). */
  setClockStart(atMs: number = performance.now()): void {
    this.ctx.clockStartMs = atMs;
  }
  /** Per kind (HTTP fault kinds and toxic types): requests or connections a fault was injected into. */
  injectedByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, n] of this.ctx.counters.byKind) out[k] = n;
    for (const [k, n] of this.toxicDraws) out[k] = (out[k] ?? 0) + n;
    return out;
  }
  faultJson(f: HttpFault): Record<string, unknown> {
    return faultJson(f, this.ctx.counters.byName.get(f.name) ?? { matched: 0, injected: 0 });
  }

  /** Toxiproxy's proxy JSON, plus Volley's `faults`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxics,
      ...(this.mode === 'http' ? { faults: this.ctx.faults.map((f) => this.faultJson(f)) } : {}),
    };
  }
}
