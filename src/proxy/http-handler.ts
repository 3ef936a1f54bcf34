import { Agent, request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Readable, Writable } from 'node:stream';
import { drawLatencyMs, matches, type HttpFault, type HttpFaultKind } from './http-faults.js';
import type { InnerSocket } from './inner-socket.js';
import { sleep } from './units.js';

/** Fault counters of a proxy: per fault name, and injections per kind. */
export interface FaultCounters {
  byName: Map<string, { matched: number; injected: number }>;
  byKind: Map<string, number>;
}

/** What the handler reads from its proxy on every request (live: faults change during a test). */
export interface HandlerContext {
  readonly name: string;
  upstream: { host: string; port: number; hostHeader: string };
  faults: readonly HttpFault[];
  /** performance.now() of the fault clock's zero (windows are relative to it). */
  clockStartMs: number;
  readonly counters: FaultCounters;
  readonly random: () => number;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): not forwarded. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);

function forwardHeaders(raw: readonly string[], host: string | undefined): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {};
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (HOP.has(k)) continue;
    if (k === 'host' && host !== undefined) continue;
    const v = raw[i + 1]!;
    const prev = h[k];
    h[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [String(prev), v];
  }
  if (host !== undefined) h.host = host;
  return h;
}

/** The faults drawn for one request. */
interface Plan {
  latencyMs: number;
  terminal: HttpFault | undefined;
  bandwidthDown: HttpFault | undefined;
  bandwidthUp: HttpFault | undefined;
  truncate: HttpFault | undefined;
  stall: HttpFault | undefined;
  resetAfter: HttpFault | undefined;
  any: boolean;
}

function count(ctx: HandlerContext, f: HttpFault, injected: boolean): void {
  let c = ctx.counters.byName.get(f.name);
  if (!c) ctx.counters.byName.set(f.name, (c = { matched: 0, injected: 0 }));
  c.matched++;
  if (!injected) return;
  c.injected++;
  ctx.counters.byKind.set(f.kind, (ctx.counters.byKind.get(f.kind) ?? 0) + 1);
}

const TERMINAL: ReadonlySet<HttpFaultKind> = new Set(['status', 'hang']);

function plan(ctx: HandlerContext, req: IncomingMessage, path: string): Plan | undefined {
  if (ctx.faults.length === 0) return undefined;
  const now = performance.now() - ctx.clockStartMs;
  let p: Plan | undefined;
  for (const f of ctx.faults) {
    if (now < f.startMs || (f.endMs !== undefined && now >= f.endMs)) continue;
    if (!matches(f, req.method ?? 'GET', path, req.headers)) continue;
    const terminal = TERMINAL.has(f.kind) || (f.kind === 'reset' && f.when === 'before');
    p ??= { latencyMs: 0, terminal: undefined, bandwidthDown: undefined, bandwidthUp: undefined, truncate: undefined, stall: undefined, resetAfter: undefined, any: false };
    // A request gets at most one terminal fault (the first drawn); later ones are not drawn.
    if (terminal && p.terminal) continue;
    const hit = f.rate >= 1 || ctx.random() < f.rate;
    count(ctx, f, hit);
    if (!hit) continue;
    p.any = true;
    if (terminal) p.terminal = f;
    else if (f.kind === 'latency') p.latencyMs += drawLatencyMs(f, ctx.random);
    else if (f.kind === 'bandwidth') {
      if (f.direction === 'downstream') p.bandwidthDown = f;
      else p.bandwidthUp = f;
    } else if (f.kind === 'truncate') p.truncate = f;
    else if (f.kind === 'stall') p.stall = f;
    else if (f.kind === 'reset') p.resetAfter = f;
  }
  return p?.any ? p : undefined;
}

/** Sends a body, `bytesPerSec` at most, in slices of at most 100 ms of budget. */
async function throttled(from: Readable, to: Writable, bytesPerSec: number): Promise<void> {
  const perMs = bytesPerSec / 1000;
  const slice = Math.max(1, Math.floor(bytesPerSec / 10));
  let nextMs = performance.now();
  for await (const c of from as AsyncIterable<Buffer>) {
    for (let off = 0; off < c.length; off += slice) {
      const part = c.subarray(off, off + slice);
      nextMs = Math.max(nextMs, performance.now()) + part.length / perMs;
      await sleep(nextMs - performance.now());
      if (to.destroyed) return;
      if (!to.write(part)) await new Promise((r) => to.once('drain', r));
    }
  }
}

/**
 * Builds the request handler of an HTTP proxy: draw the faults, then answer (status, hang, reset) or
 * forward. Without body faults the response is piped: each chunk from upstream is written to the
 * client as it arrives (no buffering), so time to first byte and SSE event timing stay true.
 */
export function createHandler(ctx: HandlerContext, agent: Agent): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const p = plan(ctx, req, q < 0 ? url : url.slice(0, q));
    if (p === undefined) {
      forward(ctx, agent, req, res, undefined);
      return;
    }
    if (p.latencyMs > 0) {
      req.pause();
      void sleep(p.latencyMs).then(() => {
        if (!res.destroyed) act(ctx, agent, req, res, p);
      });
    } else act(ctx, agent, req, res, p);
  };
}

function act(ctx: HandlerContext, agent: Agent, req: IncomingMessage, res: ServerResponse, p: Plan): void {
  const t = p.terminal;
  if (t === undefined) {
    forward(ctx, agent, req, res, p);
    return;
  }
  req.resume();
  const inner = req.socket as unknown as InnerSocket;
  switch (t.kind) {
    case 'status': {
      const body = t.body ?? JSON.stringify({ error: `fault injected by volley proxy`, fault: t.name, status: t.status });
      const headers: OutgoingHttpHeaders = { 'content-type': t.body === undefined ? 'application/json' : 'text/plain; charset=utf-8', ...t.headers, 'content-length': Buffer.byteLength(body) };
      res.writeHead(t.status, headers);
      res.end(body);
      return;
    }
    case 'reset':
      inner.resetClient();
      return;
    case 'hang':
      if (t.hangMs !== undefined) {
        const timer = setTimeout(() => res.destroy(), t.hangMs);
        res.once('close', () => clearTimeout(timer));
      }
      return; // until the client gives up, the hang ends or the proxy stops
    default:
      forward(ctx, agent, req, res, p);
  }
}

function forward(ctx: HandlerContext, agent: Agent, req: IncomingMessage, res: ServerResponse, p: Plan | undefined): void {
  const up = ctx.upstream;
  const ureq = request({ agent, host: up.host, port: up.port, method: req.method, path: req.url, headers: forwardHeaders(req.rawHeaders, up.hostHeader) });
  ureq.on('response', (ures) => {
    const headers: OutgoingHttpHeaders = {};
    const raw = ures.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i]!.toLowerCase();
      if (HOP.has(k)) continue;
      const prev = headers[k];
      headers[k] = prev === undefined ? raw[i + 1]! : Array.isArray(prev) ? [...prev, raw[i + 1]!] : [String(prev), raw[i + 1]!];
    }
    res.writeHead(ures.statusCode ?? 502, ures.statusMessage, headers);
    res.flushHeaders();
    if (p === undefined || (!p.bandwidthDown && !p.truncate && !p.stall && !p.resetAfter)) {
      ures.pipe(res);
      return;
    }
    void faultyBody(ures, res, p).catch(() => res.destroy());
  });
  ureq.on('error', (e: NodeJS.ErrnoException) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ error: `volley proxy ${ctx.name}: upstream ${up.host}:${up.port} failed: ${e.code ?? e.message}` });
    res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  res.on('close', () => {
    if (!res.writableFinished) ureq.destroy();
  });
  req.on('error', () => ureq.destroy());
  if (p?.bandwidthUp) {
    void throttled(req, ureq, p.bandwidthUp.bytesPerSec).then(
      () => ureq.end(),
      () => ureq.destroy(),
    );
  } else req.pipe(ureq);
}

/** The response body with body faults: throttle, stall once, truncate, or reset once it started. */
async function faultyBody(ures: IncomingMessage, res: ServerResponse, p: Plan): Promise<void> {
  const inner = res.socket as unknown as InnerSocket | null;
  if (p.resetAfter) {
    // Headers are out (flushed); give them a moment to reach the client, then reset.
    await sleep(5);
    ures.destroy();
    inner?.resetClient();
    return;
  }
  let sent = 0;
  let chunks = 0;
  let stalled = false;
  const perMs = p.bandwidthDown ? p.bandwidthDown.bytesPerSec / 1000 : 0;
  let nextMs = performance.now();
  for await (let c of ures as AsyncIterable<Buffer>) {
    if (res.destroyed) break;
    if (p.stall && !stalled && chunks >= p.stall.afterChunks) {
      stalled = true;
      await sleep(p.stall.stallMs);
    }
    if (p.truncate && sent + c.length >= p.truncate.truncateBytes) {
      c = c.subarray(0, p.truncate.truncateBytes - sent);
      if (c.length > 0) res.write(c);
      ures.destroy();
      // What was written still goes out; then the connection closes mid-body.
      inner?.destroy();
      return;
    }
    if (perMs > 0) {
      nextMs = Math.max(nextMs, performance.now()) + c.length / perMs;
      await sleep(nextMs - performance.now());
    }
    sent += c.length;
    chunks++;
    if (!res.write(c)) await new Promise((r) => res.once('drain', r));
  }
  if (p.stall && !stalled && chunks >= p.stall.afterChunks) await sleep(p.stall.stallMs);
  res.end();
}
