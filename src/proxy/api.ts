import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseToxic, ApiError } from './toxics.js';
import type { ProxyCollection } from './collection.js';
import type { ProxySpec } from './proxy.js';

/** The version `GET /version` reports: Toxiproxy's API level this server implements, marked as Volley's. */
export const TOXIPROXY_API_VERSION = '2.12.0-volley';
const MAX_BODY_BYTES = 1024 * 1024;

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new ApiError('bad request body: larger than 1 MB', 413);
    parts.push(c);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiError(`bad request body: ${(e as Error).message}`, 400);
  }
}

/**
 * Toxiproxy's HTTP control API (api.go), so Toxiproxy clients drive `volley proxy` unchanged:
 *
 *   GET /version · POST /reset · GET|POST /proxies · POST /populate
 *   GET|POST|PATCH|DELETE /proxies/{proxy} · GET|POST /proxies/{proxy}/toxics
 *   GET|POST|PATCH|DELETE /proxies/{proxy}/toxics/{toxic}
 *
 * plus Volley's HTTP faults, which Toxiproxy lacks:
 *
 *   GET|POST /proxies/{proxy}/faults · GET|DELETE /proxies/{proxy}/faults/{fault}
 *
 * Errors are `{"error": "...", "status": N}`. As in Toxiproxy, browsers (User-Agent `Mozilla/…`)
 * get 403, so a web page cannot drive the proxy of someone who visits it.
 */
export function createApiServer(proxies: ProxyCollection): Server {
  return createServer((req, res) => {
    void route(proxies, req, res).catch((e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError(e instanceof Error ? e.message : String(e), 500);
      if (!res.headersSent) send(res, err.status, { error: err.message, status: err.status });
      else res.destroy();
    });
  });
}

async function route(proxies: ProxyCollection, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('User agent not allowed\n');
    return;
  }
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0]!;
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const update = method === 'POST' || method === 'PATCH';
  if (seg.length === 1 && seg[0] === 'version' && method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(`{"version": "${TOXIPROXY_API_VERSION}"}\n`);
    return;
  }
  if (seg.length === 1 && seg[0] === 'reset' && method === 'POST') {
    await proxies.reset();
    return send(res, 204);
  }
  if (seg.length === 1 && seg[0] === 'populate' && method === 'POST') {
    const r = await proxies.populate(await readJson(req));
    const body = { proxies: r.proxies.map((p) => p.toJSON()), ...(r.error ? { error: r.error.message, status: r.error.status } : {}) };
    return send(res, r.error ? r.error.status : 201, body);
  }
  if (seg[0] !== 'proxies') throw new ApiError('not found', 404);
  if (seg.length === 1) {
    if (method === 'GET') return send(res, 200, Object.fromEntries([...proxies.proxies].map(([n, p]) => [n, p.toJSON()])));
    if (method === 'POST') {
      const b = (await readJson(req)) as ProxySpec;
      const p = await proxies.add(b);
      return send(res, 201, p.toJSON());
    }
  }
  const proxy = seg[1] === undefined ? undefined : proxies.get(seg[1]);
  if (proxy && seg.length === 2) {
    if (method === 'GET') return send(res, 200, proxy.toJSON());
    if (update) {
      await proxy.update((await readJson(req)) as Record<string, unknown>);
      return send(res, 200, proxy.toJSON());
    }
    if (method === 'DELETE') {
      await proxies.remove(proxy.name);
      return send(res, 204);
    }
  }
  if (proxy && seg[2] === 'toxics') {
    if (seg.length === 3 && method === 'GET') return send(res, 200, proxy.toxics);
    if (seg.length === 3 && method === 'POST') return send(res, 200, proxy.addToxic(parseToxic(await readJson(req))));
    if (seg.length === 4 && method === 'GET') return send(res, 200, proxy.getToxic(seg[3]!));
    if (seg.length === 4 && update) return send(res, 200, proxy.updateToxic(seg[3]!, await readJson(req)));
    if (seg.length === 4 && method === 'DELETE') {
      proxy.removeToxic(seg[3]!);
      return send(res, 204);
    }
  }
  if (proxy && seg[2] === 'faults') {
    if (seg.length === 3 && method === 'GET') return send(res, 200, proxy.faults.map((f) => proxy.faultJson(f)));
    if (seg.length === 3 && method === 'POST') return send(res, 201, proxies.addFault(proxy.name, await readJson(req)));
    const f = seg.length === 4 ? proxy.faults.find((x) => x.name === seg[3]) : undefined;
    if (seg.length === 4 && method === 'GET') {
      if (!f) throw new ApiError('fault not found', 404);
      return send(res, 200, proxy.faultJson(f));
    }
    if (seg.length === 4 && method === 'DELETE') {
      proxy.removeFault(seg[3]!);
      return send(res, 204);
    }
  }
  throw new ApiError(`no route for ${method} ${path}`, proxy || seg.length <= 2 ? 405 : 404);
}
