/**
 * Browser VUs end to end (volley/browser): `volley run` drives Debian's Chromium against a real
 * loopback server. Web vitals are recorded and agree with what the server does (a delayed first
 * byte), a threshold on one gates the exit code, a page that never answers is a counted failure,
 * a Chromium killed under the run is replaced, and no Chromium process outlives the run (checked by
 * PID), whether it ends by itself or by Ctrl-C.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { BIN, ROOT, startTestServer, writeScript, type TestServer } from './helpers.js';
import { CHROMIUM } from './browser.js';

const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/setup installs it in CI)`;

/** TTFB of /slow, ms: the server holds the response this long. */
const SLOW_MS = 300;

const PAGE = '<!doctype html><html><head><title>Volley</title></head><body><h1>Dashboard</h1><input id="q"><button id="b">go</button><a id="next" href="/slow?page=2">next</a></body></html>';

function pageServer(): Promise<TestServer> {
  return startTestServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/hang') return true; // never answers
    if (path === '/my_messages.php') {
      // k6 browser's documented example page (test.k6.io): a login form, then a welcome.
      res.setHeader('content-type', 'text/html');
      res.end(
        req.method === 'POST'
          ? '<!doctype html><title>Messages</title><h2>Welcome, admin!</h2>'
          : '<!doctype html><title>Login</title><form method="post"><input name="login"><input name="password" type="password"><input type="submit" value="Go"></form>',
      );
      return true;
    }
    if (path === '/slow' || path === '/page') {
      setTimeout(
        () => {
          res.setHeader('content-type', 'text/html');
          res.end(PAGE);
        },
        path === '/slow' ? SLOW_MS : 0,
      );
      return true;
    }
    return false;
  });
}

/** Chromium browser processes (not their helpers) below `root`, from `ps`. */
function chromiumPids(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,comm=']).toString().trim().split('\n').map((l) => l.trim().split(/\s+/));
  const parent = new Map(rows.map(([p, pp]) => [Number(p), Number(pp)]));
  const comm = new Map(rows.map(([p, , c]) => [Number(p), c ?? '']));
  const below = (p: number) => {
    for (let q = parent.get(p); q !== undefined && q > 1; q = parent.get(q)) if (q === root) return true;
    return false;
  };
  return [...parent.keys()].filter((p) => comm.get(p) === 'chromium' && below(p) && comm.get(parent.get(p)!) !== 'chromium');
}

/** Every process in the tree of `pid` (Chromium's renderers and zygote included). */
function tree(pids: number[]): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=']).toString().trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out = new Set(pids);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [p, pp] of rows) if (out.has(pp!) && !out.has(p!)) (out.add(p!), (grown = true));
  }
  return [...out];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    // A zombie is dead, only not yet reaped.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every Chromium process seen during the run (browser processes and their children). */
  seen: Set<number>;
  /** The browser processes among them (one per worker, and any relaunched one). */
  browsers: Set<number>;
}

/** `volley run`, watching its Chromium processes; `during(pids, child)` once a browser is up. */
function run(args: string[], env: Record<string, string>, during?: (browsers: number[], childPid: number) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const seen = new Set<number>();
    const browserSet = new Set<number>();
    let called = false;
    const poll = setInterval(() => {
      const browsers = chromiumPids(child.pid!);
      for (const p of browsers) browserSet.add(p);
      for (const p of tree(browsers)) seen.add(p);
      if (!called && browsers.length > 0 && during) {
        called = true;
        during(browsers, child.pid!);
      }
    }, 200);
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, seen, browsers: browserSet });
    });
  });
}

async function assertNoOrphans(seen: Set<number>): Promise<void> {
  assert.ok(seen.size > 0, 'Chromium was seen running');
  // Chromium's helpers may take a moment to follow their browser out.
  const deadline = Date.now() + 5000;
  let left = [...seen].filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter(alive);
  }
  assert.deepEqual(left, [], `Chromium processes left behind: ${left.join(', ')}`);
}

const SCENARIO = (executor: string) => `{ ui: { ${executor}, options: { browser: { type: 'chromium' } } } }`;

describe('browser VUs (real Chromium, loopback server)', { skip }, () => {
  it('records web vitals that agree with the page (TTFB ≥ the server delay), gates exit 99 on browser_web_vital_fcp, counts a page that never loads, leaves no Chromium behind', async () => {
    const server = await pageServer();
    const summary = join(dirname(writeScript('')), 'summary.json');
    try {
      const script = writeScript(`
        import { browser } from 'k6/browser';
        import { check } from 'k6';
        export const options = {
          scenarios: ${SCENARIO("executor: 'shared-iterations', vus: 1, iterations: 2")},
          thresholds: { browser_web_vital_fcp: ['p(95)<1'], browser_web_vital_ttfb: ['p(95)<60000'] },
        };
        export default async function () {
          const page = await browser.newPage();
          try {
            await page.goto(__ENV.BASE + '/slow');
            await page.locator('#q').type('volley');
            await page.locator('#b').click();
            await Promise.all([page.waitForNavigation(), page.locator('#next').click()]);
            check(page, { 'navigated by the link': (p) => p.url().endsWith('/slow?page=2') });
            await page.screenshot({ path: __ENV.SHOT });
            let timedOut = false;
            try { await page.goto(__ENV.BASE + '/hang'); } catch (e) { timedOut = /Timeout/i.test(String(e)); }
            check(timedOut, { 'a page that never loads times out': (t) => t });
          } finally {
            await page.close();
          }
        }`, 'vitals.js');
      const shot = join(dirname(summary), 'page.png');
      const r = await run([script, '--quiet', '-e', `BASE=${server.url}`, '-e', `SHOT=${shot}`, '--summary-export', summary], { K6_BROWSER_TIMEOUT: '1500ms' });
      assert.equal(r.code, 99, r.stderr);
      assert.match(r.stdout + r.stderr, /browser_web_vital_fcp/);
      const m = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }> }).metrics;
      // The server holds /slow's first byte SLOW_MS: TTFB is at least that, FCP after it.
      assert.ok(m.browser_web_vital_ttfb!.values.min! >= SLOW_MS - 5, `ttfb ${JSON.stringify(m.browser_web_vital_ttfb!.values)}`);
      // …and not much more on loopback (the slack is for a loaded 2-core CI machine).
      assert.ok(m.browser_web_vital_ttfb!.values.med! < SLOW_MS + 1000, `ttfb ${JSON.stringify(m.browser_web_vital_ttfb!.values)}`);
      assert.ok(m.browser_web_vital_fcp!.values.min! >= m.browser_web_vital_ttfb!.values.min!, 'FCP comes after the first byte');
      assert.ok(m.browser_web_vital_lcp!.values.max! > 0);
      assert.ok('browser_web_vital_cls' in m && 'browser_web_vital_inp' in m, Object.keys(m).join(' '));
      assert.equal(m.browser_web_vital_fcp!.thresholds!['p(95)<1']!.ok, false);
      assert.equal(m.browser_web_vital_ttfb!.thresholds!['p(95)<60000']!.ok, true);
      // A rate's passes are its 1s: the two loads of /hang timed out and count as failed requests;
      // the four loads of /slow (two per iteration) did not.
      assert.equal(m.browser_http_req_failed!.values.passes, 2, JSON.stringify(m.browser_http_req_failed));
      assert.equal(m.browser_http_req_failed!.values.fails, 4);
      assert.ok(m.browser_data_received!.values.count! > PAGE.length * 4);
      assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [...Buffer.from('PNG')], 'page.screenshot wrote a PNG');
      assert.equal(m.checks!.values.passes, 4, r.stderr);
      await assertNoOrphans(r.seen);
    } finally {
      await server.close();
    }
  });

  it("k6 browser's documented example runs as written (newContext, type, waitForNavigation + click, k6-utils' async check)", async () => {
    const server = await pageServer();
    const summary = join(dirname(writeScript('')), 'summary.json');
    try {
      const script = writeScript(`
        import { browser } from 'k6/browser';
        import { check } from 'https://jslib.k6.io/k6-utils/1.5.0/index.js';

        export const options = {
          scenarios: { ui: { executor: 'shared-iterations', options: { browser: { type: 'chromium' } } } },
          thresholds: { checks: ['rate==1.0'] },
        };

        export default async function () {
          const context = await browser.newContext();
          const page = await context.newPage();
          try {
            await page.goto(__ENV.BASE + '/my_messages.php');
            await page.locator('input[name="login"]').type('admin');
            await page.locator('input[name="password"]').type('123');
            await Promise.all([page.waitForNavigation(), page.locator('input[type="submit"]').click()]);
            await check(page.locator('h2'), {
              header: async (h2) => (await h2.textContent()) == 'Welcome, admin!',
            });
          } finally {
            await page.close();
          }
        }`, 'login.js');
      const r = await run([script, '--quiet', '-e', `BASE=${server.url}`, '--summary-export', summary], {});
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const m = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> }).metrics;
      assert.deepEqual([m.checks!.values.passes, m.checks!.values.fails], [1, 0]);
      // The form page and the POST that answered it.
      assert.equal(server.counts.get('/my_messages.php'), 2);
      await assertNoOrphans(r.seen);
    } finally {
      await server.close();
    }
  });

  it('a Chromium killed under the run is replaced: the run goes on and ends cleanly, nothing left behind', async () => {
    const server = await pageServer();
    try {
      const script = writeScript(`
        import { browser } from 'k6/browser';
        import { sleep } from 'k6';
        export const options = { scenarios: ${SCENARIO("executor: 'constant-vus', vus: 1, duration: '5s', gracefulStop: '5s'")} };
        export default async function () {
          const page = await browser.newPage();
          try { await page.goto(__ENV.BASE + '/page'); sleep(0.2); } finally { await page.close(); }
        }`, 'crash.js');
      let killed = 0;
      const r = await run([script, '--quiet', '-e', `BASE=${server.url}`, '--summary-export', join(dirname(script), 's.json')], {}, (browsers) => {
        killed = browsers[0]!;
        process.kill(killed, 'SIGKILL');
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(killed > 0);
      assert.ok([...r.browsers].some((p) => p !== killed), 'a new Chromium was started after the crash');
      const m = JSON.parse(readFileSync(join(dirname(script), 's.json'), 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
      // Pages loaded after the crash: more than the one or two before it.
      assert.ok(m.metrics.iterations!.values.count! >= 3, JSON.stringify(m.metrics.iterations));
      await assertNoOrphans(r.seen);
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C (SIGINT) mid-run: exit 105 and every Chromium process gone', async () => {
    const server = await pageServer();
    try {
      const script = writeScript(`
        import { browser } from 'k6/browser';
        export const options = { scenarios: ${SCENARIO("executor: 'constant-vus', vus: 2, duration: '60s'")} };
        export default async function () {
          const page = await browser.newPage();
          try { await page.goto(__ENV.BASE + '/page'); } finally { await page.close(); }
        }`, 'sigint.js');
      const r = await run([script, '--quiet', '-e', `BASE=${server.url}`], {}, (_browsers, pid) => {
        setTimeout(() => process.kill(pid, 'SIGINT'), 500);
      });
      assert.equal(r.code, 105, r.stderr);
      await assertNoOrphans(r.seen);
    } finally {
      await server.close();
    }
  });
});
