/**
 * `volley aggregate`: an endpoint the runners of one test push to once a second (`volley run
 * --aggregate URL`), for one live view of the whole test: thresholds judged on the runners' merged
 * aggregates (an abortOnFail that fails there stops every runner), a progress line, the live
 * dashboard (`--dashboard`). The final, exact verdict and reports stay `volley merge`'s, from the
 * runners' summaries.
 *
 * With `--runners N`, it ends once N runners have pushed and each has finished (or gone silent for
 * 10 s), printing the thresholds as judged on the merge, and exits 0, or 99 when one failed or the
 * test was aborted. Without it, Ctrl-C ends it the same way.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { authorize, isLoopbackHost } from '../../dashboard/auth.js';
import { startDashboard, type Dashboard, type DashboardOptions } from '../../dashboard/index.js';
import { ExitCode, configError } from '../../errors/index.js';
import { buildSnapshot } from '../../metrics/snapshot.js';
import { LiveMerge, type MergedTick } from './merge-live.js';
import { MAX_PUSH_BYTES, PUSH_PATH, type AggregatePush, type AggregateReply } from './protocol.js';

export interface AggregateOptions {
  /** host:port to listen on. Default 127.0.0.1:6565. */
  listen?: string;
  /** End once this many runners have pushed and finished. */
  runners?: number;
  /** Secret every push must carry (`Authorization: Bearer`); needed off loopback. */
  token?: string;
  dashboard?: DashboardOptions;
  quiet?: boolean;
  /** For tests: hears the bound URL. */
  onListening?: (url: string) => void;
}

export const DEFAULT_AGGREGATE_PORT = 6565;
/** Push bodies read at once. */
const MAX_UPLOADS = 16;
/** With --runners N: once every runner seen is over, how long to wait for the others to appear. */
export const MISSING_RUNNERS_WAIT_MS = 30_000;

/** A running aggregate (the command's core, also started by tests). */
export interface RunningAggregate {
  url: string;
  /** The live dashboard's URL (with `dashboard`). */
  dashboardUrl: string | undefined;
  /** Resolves with the exit code once the test is over (or `stop()`). */
  finished: Promise<number>;
  stop(): void;
}

export async function aggregateCommand(o: AggregateOptions): Promise<number> {
  const a = await startAggregate(o);
  const onSignal = (): void => a.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await a.finished;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function startAggregate(o: AggregateOptions): Promise<RunningAggregate> {
  const { host, port } = parseListen(o.listen ?? `127.0.0.1:${DEFAULT_AGGREGATE_PORT}`);
  if (o.token !== undefined && o.token.length < 16) throw configError('E_AGGREGATE_TOKEN', `--token is ${o.token.length} characters long: at least 16 are needed`, 'use a random secret, e.g. $(openssl rand -hex 16), and give the runners the same with --aggregate-token');
  if (!isLoopbackHost(host) && o.token === undefined) {
    throw configError('E_AGGREGATE_TOKEN', `volley aggregate would listen on ${host}, where other machines can push to it, without a token`, 'add --token <secret> (runners: --aggregate-token <secret>), or listen on 127.0.0.1');
  }
  if (o.runners !== undefined && (!Number.isInteger(o.runners) || o.runners < 1)) throw configError('E_AGGREGATE_RUNNERS', `--runners must be a whole number of at least 1, got ${String(o.runners)}`, 'give the number of runners of the test, e.g. --runners 4');
  const log = (l: string): void => {
    if (!o.quiet) process.stderr.write(`${l}\n`);
  };
  const merge = new LiveMerge(o.runners ?? 0);
  let uploads = 0;
  let dash: Dashboard | undefined;
  if (o.dashboard) dash = await startDashboard(o.dashboard);
  let dashStarted = false;
  let last: MergedTick | undefined;

  const server = createServer((req, res) => {
    void onRequest(req, res).catch((e: unknown) => reply(res, 500, { error: (e as Error).message }));
  });
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const denied = authorize(req, url, { token: o.token, boundHost: host });
    if (denied) return reply(res, denied.status, { error: denied.status === 401 ? 'this volley aggregate needs its token: give the runners --aggregate-token <secret> (or VOLLEY_AGGREGATE_TOKEN)' : denied.message });
    if (req.method === 'GET' && url.pathname === '/v1/status') return reply(res, 200, status(last));
    if (url.pathname !== PUSH_PATH) return reply(res, 404, { error: `no such endpoint: runners POST to ${PUSH_PATH}` });
    if (req.method !== 'POST') return reply(res, 405, { error: `POST to ${PUSH_PATH}` });
    // Pushes read at once: at most MAX_UPLOADS bodies (up to 64 MiB each) in memory.
    if (uploads >= MAX_UPLOADS) return reply(res, 503, { error: 'too many pushes at once: retried with the next second' });
    uploads++;
    let body: string | undefined;
    try {
      body = await readBody(req);
    } finally {
      uploads--;
    }
    if (body === undefined) return reply(res, 413, { error: `push larger than ${MAX_PUSH_BYTES} bytes` });
    let push: AggregatePush;
    try {
      push = checkPush(JSON.parse(body));
    } catch (e) {
      return reply(res, 400, { error: `bad push: ${(e as Error).message}` });
    }
    try {
      merge.accept(push, Date.now());
    } catch (e) {
      return reply(res, 409, { error: (e as Error).message });
    }
    const r: AggregateReply = { ok: true, ...(merge.abort !== undefined ? { abort: merge.abort } : {}) };
    reply(res, 200, r);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(configError('E_AGGREGATE_LISTEN', `cannot listen on ${host}:${port}: ${e.code ?? e.message}`, 'choose another --listen port (0 picks a free one)')));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  // A wildcard bind is reached by this machine's name (the runners are elsewhere).
  const shown = host === '0.0.0.0' || host === '::' ? hostname() : host;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${bound}`;
  log(`volley aggregate: runners push to ${url} (volley run --aggregate ${url})${o.runners ? `; ends when ${o.runners} runners have finished` : '; Ctrl-C ends it'}`);
  if (dash) log(`volley aggregate: dashboard at ${dash.url}`);
  o.onListening?.(url);

  let resolveFinished!: (code: number) => void;
  const finished = new Promise<number>((r) => (resolveFinished = r));
  let ended = false;
  const end = (missing?: string): void => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    const now = Date.now();
    let final: MergedTick | undefined;
    try {
      final = merge.tick(now, true);
    } catch (e) {
      log(`volley aggregate: cannot merge the runners' results: ${(e as Error).message}`);
    }
    let code: number = ExitCode.OK;
    if (missing) {
      log(`volley aggregate: ${missing}`);
      code = ExitCode.ExternalAbort;
    }
    if (!final) log('volley aggregate: no runner pushed');
    else {
      for (const t of final.thresholds) log(`  ${t.ok ? '✓' : '✗'} ${t.metric} '${t.expr}' ${t.value === null ? 'no data' : formatValue(t.value)}`);
      const lost = final.runners.filter((r) => r.lost).map((r) => r.name);
      if (lost.length > 0) log(`volley aggregate: runners that went silent: ${lost.join(', ')}`);
      if (final.abort) log(`volley aggregate: test aborted: ${final.abort}`);
      const failed = final.abort !== undefined || final.thresholds.some((t) => !t.ok);
      log(`volley aggregate: ${final.runners.length} runner${final.runners.length === 1 ? '' : 's'}; thresholds on the merge ${failed ? 'FAILED' : 'passed'} (the exact verdict and reports: volley merge of the runners' summaries)`);
      if (failed && code === ExitCode.OK) code = ExitCode.ThresholdsHaveFailed;
    }
    server.close();
    server.closeAllConnections();
    void (dash?.close() ?? Promise.resolve()).then(() => resolveFinished(code));
  };

  let overSince = 0;
  const timer = setInterval(() => {
    try {
      tick();
    } catch (e) {
      // A push that got past the checks but cannot be merged must not end the aggregate.
      log(`volley aggregate: warning: ${(e as Error).message}`);
    }
  }, 1000);
  const tick = (): void => {
    const now = Date.now();
    const t = merge.tick(now);
    if (!t) return;
    last = t;
    if (dash) {
      if (!dashStarted) {
        dash.start(t.meta);
        dashStarted = true;
      }
      const snapshot = buildSnapshot(t.agg, now, t.live.elapsedMs);
      if (t.rowsAgg) snapshot.series.push(...buildSnapshot(t.rowsAgg, now, t.live.elapsedMs).series);
      if (t.rows.length === 0) dash.update({ live: t.live, row: undefined, snapshot, thresholds: t.thresholds });
      for (const row of t.rows) dash.update({ live: t.live, row, snapshot, thresholds: t.thresholds });
    }
    const done = t.runners.filter((r) => r.done).length;
    log(
      `volley aggregate: ${t.runners.length} runner${t.runners.length === 1 ? '' : 's'}${done > 0 ? ` (${done} done)` : ''} · ${t.live.vus} VU${t.live.vus === 1 ? '' : 's'} · ${t.live.iterations} iteration${t.live.iterations === 1 ? '' : 's'}` +
        `${t.live.rps === null ? '' : ` · ${Math.round(t.live.rps)}/s`}${t.live.p95 === null ? '' : ` · p95 ${t.live.p95.toFixed(1)} ms`} · thresholds ${t.live.failedThresholds === 0 ? 'ok' : `${t.live.failedThresholds} failing`}`,
    );
    if (o.runners === undefined || !merge.allOver(now)) {
      overSince = 0;
      return;
    }
    if (merge.size >= o.runners) return end();
    // Every runner that pushed is over, but some never pushed (failed to start, wrong token…).
    overSince ||= now;
    if (now - overSince >= MISSING_RUNNERS_WAIT_MS) end(`expected ${o.runners} runners, ${merge.size} pushed: the others never reached this aggregate (a runner that failed to start, or a wrong --aggregate-token)`);
  };

  return { url, dashboardUrl: dash?.url, finished, stop: () => end() };
}

function status(t: MergedTick | undefined): unknown {
  if (!t) return { runners: [], thresholds: [] };
  return { runners: t.runners, live: t.live, abort: t.abort ?? null, thresholds: t.thresholds.map((x) => ({ metric: x.metric, expr: x.expr, ok: x.ok, value: x.value })) };
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

/** The body, or undefined past MAX_PUSH_BYTES (the rest is drained, not kept). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_PUSH_BYTES) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The fields the merge relies on, checked (a push from another version or another tool is refused, not half-read). */
function checkPush(x: unknown): AggregatePush {
  const p = x as Partial<AggregatePush> | null;
  if (p === null || typeof p !== 'object') throw new Error('not a JSON object');
  if (p.v !== 1) throw new Error(`version ${String(p.v)} (this volley aggregate reads 1)`);
  for (const k of ['runner', 'segment', 'scriptHash'] as const) if (typeof p[k] !== 'string') throw new Error(`"${k}" must be a string`);
  if (!Array.isArray(p.aggregates)) throw new Error('"aggregates" must be a list');
  if (!p.meta || typeof p.meta.startTimeMs !== 'number' || typeof p.meta.plannedMs !== 'number') throw new Error('"meta" needs startTimeMs and plannedMs');
  if (!p.live || typeof p.live.vus !== 'number' || !Array.isArray(p.live.scenarios)) throw new Error('"live" needs vus and scenarios');
  if (!p.thresholds || typeof p.thresholds !== 'object') throw new Error('"thresholds" must be an object');
  if (!Array.isArray(p.series) || !Array.isArray(p.breakdowns)) throw new Error('"series" and "breakdowns" must be lists');
  if (typeof p.done !== 'boolean') throw new Error('"done" must be true or false');
  if (typeof p.failWithoutSamples !== 'boolean') throw new Error('"failWithoutSamples" must be true or false');
  if (typeof p.seq !== 'number') throw new Error('"seq" must be a number');
  const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
  const live = p.live as unknown as Record<string, unknown>;
  for (const k of ['elapsedMs', 'plannedMs', 'vus', 'vusMax', 'iterations', 'failedThresholds', 'eventLoopDelayP99Ms', 'cpuPercent']) if (typeof live[k] !== 'number') throw new Error(`"live.${k}" must be a number`);
  for (const k of ['rps', 'p95', 'errorRate']) if (live[k] !== null && typeof live[k] !== 'number') throw new Error(`"live.${k}" must be a number or null`);
  for (const sc of p.live.scenarios as unknown[]) {
    if (!isObj(sc) || typeof sc.name !== 'string' || typeof sc.executor !== 'string' || typeof sc.done !== 'boolean') throw new Error('"live.scenarios" entries need name, executor and done');
    for (const k of ['active', 'allocated', 'progress', 'iterations']) if (typeof sc[k] !== 'number') throw new Error(`"live.scenarios[].${k}" must be a number`);
  }
  for (const x of p.series as unknown[]) if (!isObj(x) || typeof x.metric !== 'string' || typeof x.as !== 'string') throw new Error('"series" entries need metric and as');
  for (const x of p.breakdowns as unknown[]) if (!isObj(x) || typeof x.name !== 'string' || !Array.isArray(x.by)) throw new Error('"breakdowns" entries need name and by');
  for (const a of p.aggregates as unknown[]) {
    if (!isObj(a) || typeof a.metric !== 'string' || typeof a.part !== 'string' || typeof a.key !== 'string' || typeof a.type !== 'string') throw new Error('"aggregates" entries need metric, part, key and type');
  }
  if (p.row !== null && (!isObj(p.row) || typeof p.row.timeMs !== 'number' || !isObj(p.row.values))) throw new Error('"row" must be null or { timeMs, values }');
  if (p.row) for (const v of Object.values(p.row.values)) if (v !== null && typeof v !== 'number') throw new Error('"row.values" must be numbers or null');
  return p as AggregatePush;
}

/** `host:port`, `:port` or `port` (host 127.0.0.1), `[::1]:port`. */
export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))?:?(\d+)$/.exec(s.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) throw configError('E_AGGREGATE_LISTEN', `--listen ${JSON.stringify(s)} is not host:port`, 'e.g. --listen 127.0.0.1:6565, or --listen 0.0.0.0:6565 --token <secret> for runners on other machines');
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
