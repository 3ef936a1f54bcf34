import { connect } from 'node:net';
import type { Server } from 'node:http';
import type { Writable } from 'node:stream';
import { configError } from '../errors/index.js';
import { createApiServer } from './api.js';
import { ProxyCollection } from './collection.js';
import { parseHttpFault, tokenizeFault } from './http-faults.js';
import { parseUpstream, splitHostPort, type Proxy } from './proxy.js';
import { ApiError, TOXIC_ATTRIBUTES, TOXIC_TYPES, isToxicType, parseToxic, type Toxic } from './toxics.js';

/** Options of `volley proxy`. */
export interface ProxyCommandOptions {
  /** Address of the proxy (default 127.0.0.1:9000); with `upstream`. */
  listen?: string;
  upstream?: string;
  /** Name of that proxy in the API (default "main"). */
  name?: string;
  /** One-line HTTP faults (`status=503 rate=0.2 path=/v1/*`). */
  faults?: string[];
  /** One-line toxics (`latency latency=100 jitter=10 stream=upstream toxicity=0.5`). */
  toxics?: string[];
  /** Control API address (default 127.0.0.1:8474, Toxiproxy's); "off" for none. */
  api?: string;
  out?: Writable;
  signal?: AbortSignal;
  onListening?: (r: RunningProxies) => void;
}

export interface RunningProxies {
  proxies: ProxyCollection;
  /** URL of the control API, if any. */
  apiUrl: string | undefined;
}

/** Parses `--toxic` lines into Toxiproxy toxics; every problem at once, as VolleyError E_PROXY_TOXIC. */
export function parseToxicLines(lines: readonly string[]): Toxic[] {
  const problems: string[] = [];
  const out: Toxic[] = [];
  lines.forEach((line, i) => {
    try {
      const f = tokenizeFault(line);
      // The type is the bare word ('reset_peer timeout=100'); only without one does an attribute
      // named like a type (latency=100) name it. Else 'timeout=' made a reset_peer a timeout toxic.
      const type = f.type ?? TOXIC_TYPES.find((t) => f[t] === true) ?? TOXIC_TYPES.find((t) => f[t] !== undefined);
      const attributes: Record<string, number> = {};
      // The API ignores unknown attributes, as Toxiproxy does; a command line says so instead.
      const known = isToxicType(type) ? TOXIC_ATTRIBUTES[type] : undefined;
      for (const [k, v] of Object.entries(f)) {
        if (['type', 'name', 'stream', 'toxicity'].includes(k) || v === true) continue;
        if (known && !(k in known)) throw new Error(`a ${String(type)} toxic has no attribute ${k} (attributes: ${Object.keys(known).join(', ')})`);
        const n = Number(v);
        if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new Error(`${k} must be a plain number (ms, KB/s or bytes, as in Toxiproxy), got "${String(v)}"`);
        attributes[k] = n;
      }
      out.push(parseToxic({ type, name: f.name, stream: f.stream, toxicity: f.toxicity === undefined ? undefined : Number(f.toxicity), attributes }));
    } catch (e) {
      problems.push(`--toxic #${i + 1} "${line}": ${(e as Error).message}`);
    }
  });
  if (problems.length > 0) throw configError('E_PROXY_TOXIC', problems.join('\n'), `toxic types: ${TOXIC_TYPES.join(', ')}; e.g. --toxic 'latency latency=100 jitter=10 stream=downstream toxicity=1'`);
  return out;
}

/** Resolves when something accepts a TCP connection at host:port, rejects after `timeoutMs`. */
export function probe(host: string, port: number, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const t = setTimeout(() => s.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.destroy();
      resolve();
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

/**
 * `volley proxy --listen 127.0.0.1:9000 --upstream http://127.0.0.1:8080 --fault '…' --toxic '…'`:
 * starts the proxy (when an upstream is given) and the Toxiproxy-compatible control API, prints
 * them, and runs until SIGINT/SIGTERM (or `signal`).
 * @throws VolleyError (exit code 104): E_PROXY_FAULT, E_PROXY_TOXIC, E_PROXY_UPSTREAM, E_PROXY_LISTEN.
 */
export async function runProxyCommand(opts: ProxyCommandOptions): Promise<void> {
  const out = opts.out ?? process.stdout;
  const faultProblems: string[] = [];
  const faults = (opts.faults ?? []).flatMap((line, i) => {
    let fields: Record<string, unknown>;
    try {
      fields = tokenizeFault(line);
    } catch (e) {
      faultProblems.push(`--fault #${i + 1}: ${(e as Error).message}`);
      return [];
    }
    const { fault, problems } = parseHttpFault(fields, `--fault #${i + 1}`, `fault${i + 1}`);
    faultProblems.push(...problems);
    return fault ? [fault] : [];
  });
  if (faultProblems.length > 0) throw configError('E_PROXY_FAULT', faultProblems.join('\n'), "write a fault as key=value pairs, e.g. --fault 'status=503 rate=0.2 path=/v1/*' (see docs/faults.md)");
  const toxics = parseToxicLines(opts.toxics ?? []);
  if ((faults.length > 0 || toxics.length > 0) && !opts.upstream) throw configError('E_PROXY_UPSTREAM', '--fault and --toxic need --upstream', 'e.g. --upstream http://127.0.0.1:8080');

  const collection = new ProxyCollection();
  let proxy: Proxy | undefined;
  let api: Server | undefined;
  try {
    if (opts.upstream) {
      let up;
      try {
        up = parseUpstream(opts.upstream);
      } catch (e) {
        throw configError('E_PROXY_UPSTREAM', `--upstream: ${(e as Error).message}`, 'e.g. --upstream http://127.0.0.1:8080 or --upstream 127.0.0.1:5432');
      }
      if (up.mode === 'tcp' && faults.length > 0) throw configError('E_PROXY_FAULT', `--fault needs an HTTP upstream (http://…), not ${opts.upstream}`, 'for a TCP upstream, use --toxic');
      await probe(up.host, up.port).catch((e: NodeJS.ErrnoException) => {
        throw configError('E_PROXY_UPSTREAM', `--upstream ${opts.upstream}: unreachable (${e.code ?? e.message})`, 'start the upstream first, or check the address');
      });
      const listen = opts.listen ?? '127.0.0.1:9000';
      if (!splitHostPort(listen)) throw configError('E_PROXY_LISTEN', `--listen "${listen}" must be host:port`, 'e.g. --listen 127.0.0.1:9000');
      proxy = await collection.add({ name: opts.name ?? 'main', listen, upstream: opts.upstream }).catch((e: unknown) => {
        throw configError('E_PROXY_LISTEN', `--listen ${listen}: ${e instanceof ApiError ? e.message : String(e)}`, 'pick a free port, or stop what uses it');
      });
      for (const f of faults) proxy.addFault(f);
      proxy.setToxics(toxics);
    }
    const apiAddr = opts.api ?? '127.0.0.1:8474';
    let apiUrl: string | undefined;
    if (apiAddr !== 'off') {
      const hp = splitHostPort(apiAddr);
      if (!hp) throw configError('E_PROXY_LISTEN', `--api "${apiAddr}" must be host:port or off`, 'e.g. --api 127.0.0.1:8474');
      const server = createApiServer(collection);
      api = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) => reject(configError('E_PROXY_LISTEN', `--api ${apiAddr}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`, 'pick another port with --api, or --api off')));
        server.listen(hp.port, hp.host, () => resolve());
      });
      const a = server.address();
      apiUrl = a && typeof a === 'object' ? `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : undefined;
    }
    out.write(describeProxies(collection, apiUrl));
    opts.onListening?.({ proxies: collection, apiUrl });
  } catch (e) {
    api?.close();
    await collection.close();
    throw e;
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      opts.signal?.removeEventListener('abort', stop);
      out.write('\nvolley proxy: stopping\n');
      api?.closeAllConnections();
      api?.close();
      void collection.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (opts.signal?.aborted) stop();
    else opts.signal?.addEventListener('abort', stop);
  });
}

/** The banner: each proxy with its faults and toxics, and the API. */
export function describeProxies(c: ProxyCollection, apiUrl: string | undefined): string {
  const lines: string[] = [];
  for (const p of c.proxies.values()) {
    lines.push(`volley proxy ${p.name}: ${p.listen} → ${p.upstream}  (${p.mode})`);
    for (const f of p.faults) {
      const j = p.faultJson(f);
      delete j.matched;
      delete j.injected;
      lines.push(`  fault  ${Object.entries(j).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ')}`);
    }
    for (const t of p.toxics) lines.push(`  toxic  ${t.name}: ${t.type} ${t.stream} toxicity=${t.toxicity} ${JSON.stringify(t.attributes)}`);
  }
  lines.push(apiUrl ? `control API (Toxiproxy-compatible) on ${apiUrl}` : 'control API off');
  lines.push('', 'Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
