/**
 * The dashboard server for real: node:http on 127.0.0.1 (port 0), real SSE streams read by a small
 * client, tokens, Host checks, port conflicts, the end of the run, lingering and closing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isVolleyError } from '../errors/index.js';
import { isLoopbackHost, hostHeaderName, tokenMatches } from './auth.js';
import { browserCommand } from './browser.js';
import { dashboardUrl, startDashboard, validateDashboardOptions, type Dashboard } from './index.js';
import { DashboardServer } from './server.js';
import { SyntheticRun } from './testing/synthetic.js';
import { buildPage } from './ui/page.js';
import type { WireEnd, WireInit, WireUpdate } from './wire.js';

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

interface SseEvent {
  event: string;
  data: string;
}

/** A minimal SSE reader: collects events (and comment lines) until closed. */
class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  status = 0;
  ended = false;
  private buf = '';
  private waiters: Array<() => void> = [];
  private req: ReturnType<typeof request> | undefined;

  open(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(url, (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (d: string) => this.onData(d));
        res.on('end', () => {
          this.ended = true;
          this.wake();
        });
        res.on('error', () => undefined);
        resolve();
      });
      this.req.on('error', reject);
      this.req.end();
    });
  }

  private onData(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\n\n')) !== -1) {
      const block = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments++;
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) this.events.push({ event, data: data.join('\n') });
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits (bounded) until `pred` holds. */
  async until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${this.events.map((e) => e.event).join(',')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  of<T>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as T);
  }

  close(): void {
    this.req?.destroy();
  }
}

async function withDashboard(opts: Parameters<typeof startDashboard>[0], fn: (d: Dashboard) => Promise<void>): Promise<void> {
  const d = await startDashboard({ port: 0, ...opts });
  try {
    await fn(d);
  } finally {
    await d.close();
  }
}

test('serves the page with a strict CSP and no outside references', async () => {
  await withDashboard({}, async (d) => {
    assert.match(d.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get(d.url);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/html/);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /script-src 'sha256-/);
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.match(r.body, /var uPlot=/, 'uPlot inlined');
    // Nothing is loaded from elsewhere: no src/href except the inline favicon and in-page links.
    const refs = [...r.body.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(refs.every((u) => u.startsWith('data:')), refs.join(' '));
    const gz = await get(d.url, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    const head = await get(d.url, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal((await get(d.url, {}, 'POST')).status, 405);
    assert.equal((await get(`${d.url}nope`)).status, 404);
    assert.equal((await get(`${d.url}favicon.ico`)).status, 204);
  });
});

test('page scripts match the CSP hashes', () => {
  const { html, csp } = buildPage({ js: 'var uPlot = function () {};', css: '' });
  assert.match(html, /<script>var uPlot = function \(\) \{\};<\/script>/);
  assert.equal((csp.match(/'sha256-/g) ?? []).length, 2);
});

test('a token is required on every request: query, bearer header or X-Volley-Token', async () => {
  await withDashboard({ token: 's3cret&x-0123456789' }, async (d) => {
    assert.match(d.url, /\?token=s3cret%26x-0123456789$/);
    const base = d.url.slice(0, d.url.indexOf('?'));
    for (const path of ['', 'events', 'summary.json']) {
      const r = await get(base + path);
      assert.equal(r.status, 401, `/${path} without token`);
      assert.match(r.body, /token/);
      assert.match(String(r.headers['www-authenticate']), /Bearer/);
      assert.equal((await get(`${base}${path}?token=wrong`)).status, 401, `/${path} with a wrong token`);
    }
    assert.equal((await get(d.url)).status, 200);
    assert.equal((await get(base, { authorization: 'Bearer s3cret&x-0123456789' })).status, 200);
    assert.equal((await get(base, { 'x-volley-token': 's3cret&x-0123456789' })).status, 200);
    // With a token, the Host header does not matter (it may be reached by any name).
    assert.equal((await get(d.url, { host: 'loadbox.example:5665' })).status, 200);
  });
});

test('without a token, only loopback Host headers are answered (DNS rebinding)', async () => {
  await withDashboard({}, async (d) => {
    const port = new URL(d.url).port;
    assert.equal((await get(d.url, { host: `localhost:${port}` })).status, 200);
    assert.equal((await get(d.url, { host: `[::1]:${port}` })).status, 200);
    const r = await get(d.url, { host: `attacker.example:${port}` });
    assert.equal(r.status, 403);
    assert.match(r.body, /--dashboard-token/);
  });
});

test('binding beyond loopback without a token is refused with a hint; bad options are named', () => {
  for (const host of ['0.0.0.0', '::', '192.0.2.10', 'myhost.example']) {
    assert.throws(
      () => validateDashboardOptions({ host }),
      (e: unknown) => isVolleyError(e) && e.code === 'E_DASHBOARD_TOKEN' && e.exitCode === 104 && /--dashboard-token/.test(e.hint ?? '') && e.message.includes(host),
      host,
    );
  }
  assert.doesNotThrow(() => validateDashboardOptions({ host: '0.0.0.0', token: 't'.repeat(16) }));
  assert.throws(
    () => validateDashboardOptions({ host: '0.0.0.0', token: 't' }),
    (e: unknown) => isVolleyError(e) && e.code === 'E_DASHBOARD_TOKEN' && e.exitCode === 104 && /1 character long: at least 16/.test(e.message) && /openssl rand/.test(e.hint ?? ''),
  );
  assert.doesNotThrow(() => validateDashboardOptions({ host: 'localhost' }));
  assert.doesNotThrow(() => validateDashboardOptions({ host: '127.0.0.2' }));
  assert.throws(() => validateDashboardOptions({ port: 70000 }), (e: unknown) => isVolleyError(e) && e.code === 'E_DASHBOARD_PORT' && /70000/.test(e.message));
  assert.throws(() => validateDashboardOptions({ port: 1.5 }), (e: unknown) => isVolleyError(e) && e.code === 'E_DASHBOARD_PORT');
  assert.throws(() => validateDashboardOptions({ token: ' ' }), (e: unknown) => isVolleyError(e) && e.code === 'E_DASHBOARD_TOKEN');
  assert.deepEqual(validateDashboardOptions({}), { host: '127.0.0.1', port: 5665, token: undefined });
});

test('a port in use is a VolleyError naming the port', async () => {
  await withDashboard({}, async (d) => {
    const port = Number(new URL(d.url).port);
    await assert.rejects(startDashboard({ port }), (e: unknown) => {
      assert.ok(isVolleyError(e));
      assert.equal(e.code, 'E_DASHBOARD_PORT');
      assert.equal(e.exitCode, 104);
      assert.ok(e.message.includes(String(port)), e.message);
      assert.match(e.hint ?? '', /--dashboard-port/);
      return true;
    });
  });
});

test('auth helpers', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'a.localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1', 'localhost.example.com']) assert.equal(isLoopbackHost(h), false, h);
  assert.equal(hostHeaderName('127.0.0.1:5665'), '127.0.0.1');
  assert.equal(hostHeaderName('[::1]:5665'), '::1');
  assert.equal(hostHeaderName('localhost'), 'localhost');
  assert.equal(hostHeaderName(undefined), undefined);
  assert.equal(tokenMatches('abc', 'abc'), true);
  assert.equal(tokenMatches('abcd', 'abc'), false);
  assert.equal(tokenMatches(undefined, 'abc'), false);
  assert.equal(dashboardUrl('0.0.0.0', 1, 'a b'), 'http://127.0.0.1:1/?token=a%20b');
  assert.equal(dashboardUrl('::1', 2, undefined), 'http://[::1]:2/');
  assert.deepEqual(browserCommand('http://x/?a=1&b=2', 'linux'), { command: 'xdg-open', args: ['http://x/?a=1&b=2'] });
  assert.deepEqual(browserCommand('http://x/', 'darwin'), { command: 'open', args: ['http://x/'] });
  assert.equal(browserCommand('http://x/?a&b', 'win32').args.at(-1), 'http://x/?a&b');
});

test('events: init on connect, start, one update per update(), end with the verdict; summary.json after', async () => {
  await withDashboard({}, async (d) => {
    const base = d.url;
    const early = new SseClient();
    await early.open(`${base}events`);
    assert.equal(early.status, 200);
    await early.until(() => early.of('init').length === 1, 'init');
    const init0 = early.of<WireInit>('init')[0]!;
    assert.equal(init0.meta, null);
    assert.deepEqual(init0.history, { t: [], s: {} });

    const run = new SyntheticRun();
    d.start(run.meta);
    await early.until(() => early.of('start').length === 1, 'start');
    for (let i = 0; i < 30; i++) d.update(run.next());
    await early.until(() => early.of('update').length === 30, '30 updates');
    const last = early.of<WireUpdate>('update').at(-1)!;
    assert.equal(last.live.elapsedMs, 30_000);
    assert.ok(last.totals.requests > 0);
    assert.equal(last.routes.length, 5);

    // A page opened mid-run catches up: 30 points of history and the newest tables.
    const late = new SseClient();
    await late.open(`${base}events`);
    await late.until(() => late.of('init').length === 1, 'late init');
    const init = late.of<WireInit>('init')[0]!;
    assert.deepEqual(init.meta, run.meta);
    assert.equal(init.history.t.length, 30);
    assert.equal(init.history.t[0], run.meta.startTimeMs);
    assert.equal(init.update?.live.elapsedMs, 30_000);
    assert.equal(init.end, null);

    // When a threshold first failed is the server's memory, not the page's.
    for (let i = 0; i < 2; i++) {
      const f = run.next();
      f.thresholds = f.thresholds.map((t, k) => (k === 1 ? { ...t, ok: false } : t));
      d.update(f);
    }
    await early.until(() => early.of('update').length === 32, '2 more updates');
    const th = early.of<WireUpdate>('update').at(-1)!.thresholds;
    assert.deepEqual(th.map((t) => t.failedAtMs), [null, 31_000, null, null]);

    assert.equal((await get(`${base}summary.json`)).status, 404);
    const summary = run.summary();
    d.end(summary);
    await early.until(() => early.of('end').length === 1, 'end');
    const end = early.of<WireEnd>('end')[0]!;
    assert.deepEqual(end.summary.volley.verdict, summary.volley.verdict);
    const sj = await get(`${base}summary.json`);
    assert.equal(sj.status, 200);
    assert.deepEqual(JSON.parse(sj.body), summary);

    // After the end, a new page gets the end in its init.
    const after = new SseClient();
    await after.open(`${base}events`);
    await after.until(() => after.of('init').length === 1, 'init after end');
    assert.equal(after.of<WireInit>('init')[0]!.end?.summary.volley.verdict.exitCode, 99);

    // close() ends every stream after what was sent.
    await d.close();
    await early.until(() => early.ended && late.ended && after.ended, 'streams ended');
  });
});

test('heartbeats, client clean-up, history resync, and an update bug does not throw into the run', async () => {
  const warnings: string[] = [];
  const ds = new DashboardServer({
    page: buildPage({ js: '', css: '' }),
    token: undefined,
    boundHost: '127.0.0.1',
    heartbeatMs: 40,
    resyncEveryMs: 0,
    levels: [
      { intervalMs: 0, capacity: 5 },
      { intervalMs: 10_000, capacity: 100 },
    ],
    warn: (m) => warnings.push(m),
  });
  await new Promise<void>((r) => ds.server.listen(0, '127.0.0.1', r));
  const port = (ds.server.address() as AddressInfo).port;
  try {
    const c = new SseClient();
    await c.open(`http://127.0.0.1:${port}/events`);
    await c.until(() => c.comments >= 2, 'heartbeats');
    assert.equal(ds.clients, 1);

    const run = new SyntheticRun();
    ds.start(run.meta);
    for (let i = 0; i < 4; i++) ds.update(run.next());
    assert.equal(c.of('history').length, 0, 'no resync while the history is raw');
    for (let i = 0; i < 20; i++) ds.update(run.next());
    await c.until(() => c.of('history').length > 0, 'history resync');
    const h = c.of<{ t: number[] }>('history').at(-1)!;
    assert.ok(h.t.length < 24 && h.t.length >= 5, `downsampled to ${h.t.length} points`);

    ds.update({ broken: true } as never);
    ds.update({ broken: true } as never);
    assert.equal(warnings.length, 1, 'reported once');
    assert.match(warnings[0]!, /dashboard/);

    c.close();
    const deadline = Date.now() + 3000;
    while (ds.clients > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(ds.clients, 0, 'a closed browser is forgotten');
  } finally {
    await ds.closeStreams();
    await new Promise<void>((r) => {
      ds.server.close(() => r());
      ds.server.closeAllConnections();
    });
  }
});

test('waitUntilClosed: at once without linger; with linger until close() or SIGINT', async () => {
  const a = await startDashboard({ port: 0 });
  await a.waitUntilClosed();
  await a.close();
  await a.close(); // idempotent

  const b = await startDashboard({ port: 0, linger: true });
  let done = false;
  const w = b.waitUntilClosed().then(() => (done = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(done, false);
  assert.equal((await get(b.url)).status, 200, 'still serving after the run');
  await b.close();
  await w;
  assert.equal(done, true);

  const c = await startDashboard({ port: 0, linger: true });
  const wc = c.waitUntilClosed();
  await new Promise((r) => setTimeout(r, 20));
  process.emit('SIGINT');
  await wc;
  await assert.rejects(get(c.url), 'closed after Ctrl-C');
  assert.equal(process.listenerCount('SIGINT'), 0, 'its signal handler is removed');
});
