/**
 * The live dashboard in a real browser: Debian's Chromium driven by playwright-core, against the
 * real dashboard server on 127.0.0.1 fed with synthetic updates (bounded loops, no load test).
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`; .ci/setup installs it). Set
 * VOLLEY_UPDATE_SCREENSHOTS=1 to refresh docs/dashboard-screenshot.png; otherwise the screenshot
 * goes to the temp directory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { startDashboard, type Dashboard } from '../src/dashboard/index.js';
import { SyntheticRun } from '../src/dashboard/testing/synthetic.js';
import { metricCatalog } from '../src/protocols/index.js';
import type { LiveUpdate } from '../src/dashboard/types.js';
import { ROOT } from './helpers.js';
import { launchChromium } from './browser.js';

// Functions passed to page.evaluate/waitForFunction run in the browser; the project compiles
// without DOM types, so the few browser globals they use are declared loosely here.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(el: unknown): { backgroundColor: string };


let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

/** A page that records console errors, page errors and every request it makes. */
async function openPage(viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => {
    // The event stream is cut when the page or the server closes; anything else is a real failure.
    if (!r.url().includes('/events')) errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  return { page, errors, requests };
}

/** Polls `fn` in the page until it returns a truthy value; returns how long it took (ms). */
async function waitIn<T>(page: Page, fn: () => T, what: string, timeoutMs = 10_000): Promise<number> {
  const t0 = Date.now();
  try {
    await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 25 });
  } catch (e) {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${(e as Error).message.split('\n')[0]}`);
  }
  return Date.now() - t0;
}

const text = (page: Page, sel: string): Promise<string> => page.locator(sel).first().innerText();

/** Counts clearly coloured pixels (series strokes, not grey axes and grid) in each chart canvas. */
function chartInk(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const plot of Array.from(document.querySelectorAll('.plot')) as any[]) {
      const canvas = plot.querySelector('canvas');
      if (!canvas) {
        out[plot.id] = -1;
        continue;
      }
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        const g = data[i + 1]!;
        const b = data[i + 2]!;
        if (data[i + 3]! > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
      }
      out[plot.id] = n;
    }
    return out;
  });
}

test('live dashboard in Chromium: loads fast, draws, shows the numbers fed, turns red, ends with the verdict', async () => {
  const token = 'e2e-Token/with+chars';
  const dash: Dashboard = await startDashboard({ port: 0, token });
  const origin = new URL(dash.url).origin;
  try {
    const run = new SyntheticRun({ plannedMs: 300_000 });
    dash.start(run.meta);
    for (let i = 0; i < 150; i++) dash.update(run.next());

    const { page, errors, requests } = await openPage();
    const t0 = Date.now();
    await page.goto(dash.url, { waitUntil: 'load' });
    const loadedMs = Date.now() - t0;
    await waitIn(page, () => document.body.dataset.ready === '1' && Number(document.body.dataset.points) === 150, 'the catch-up (150 points)');
    const readyMs = Date.now() - t0;
    const nav = await page.evaluate(() => {
      const e = (performance as any).getEntriesByType('navigation')[0] as { domContentLoadedEventEnd: number; loadEventEnd: number };
      return { domContentLoaded: e.domContentLoadedEventEnd, load: e.loadEventEnd };
    });
    console.log(`# dashboard page: load event ${nav.load.toFixed(0)} ms (in-page), goto ${loadedMs} ms, catch-up drawn ${readyMs} ms`);
    // Under a second on an idle machine; generous here (2 noisy cores, tests in parallel).
    assert.ok(nav.load < 3000, `load event at ${nav.load} ms`);
    assert.ok(readyMs < 5000, `ready after ${readyMs} ms`);
    assert.equal(await text(page, '#script'), 'examples/shop.ts');
    assert.equal(await page.getAttribute('body', 'data-status'), 'running');

    // Charts: each draws coloured series.
    const ink = await chartInk(page);
    for (const [id, n] of Object.entries(ink)) assert.ok(n > 300, `${id} draws its series (${n} coloured pixels)`);
    assert.equal(Object.keys(ink).length, 4);

    // The numbers shown are the numbers fed.
    const u: LiveUpdate = run.next();
    u.live.rps = 412.3;
    u.live.vus = 57;
    u.live.vusMax = 100;
    u.live.p95 = 87.6;
    u.live.errorRate = 0.0123;
    const route = 'http://127.0.0.1:8080/api/cart';
    for (const s of u.snapshot.series) {
      if (s.tags.name !== route || s.tags.method !== 'POST') continue;
      if (s.name === 'http_reqs') s.values.count = 12_345;
      if (s.name === 'http_req_duration') s.values['p(95)'] = 87.6;
      if (s.name === 'http_req_duration') s.values['p(99)'] = 1234;
    }
    assert.ok(u.thresholds.every((t) => t.ok), 'all thresholds pass so far');
    assert.equal(await page.locator('.th.fail').count(), 0);
    dash.update(u);
    await waitIn(page, () => document.querySelector('[data-k="rps"]')?.textContent === '412.3', 'the fed RPS');
    assert.equal(await text(page, '[data-k="vus"]'), '57');
    assert.equal(await text(page, '[data-k="vus-sub"]'), 'of 100 allocated');
    assert.equal(await text(page, '[data-k="p95"]'), '87.6 ms');
    assert.equal(await text(page, '[data-k="err"]'), '1.23%');
    const row = page.locator(`tr[data-route="POST ${route}"]`);
    assert.equal(await row.locator('[data-c="requests"]').innerText(), '12,345');
    assert.equal(await row.locator('[data-c="p95"]').innerText(), '87.6 ms');
    assert.equal(await row.locator('[data-c="p99"]').innerText(), '1.23 s');
    assert.equal(await page.locator('tr[data-route]').count(), 5);
    assert.equal(await text(page, '#elapsed'), '2:31');
    assert.equal(await page.locator('[data-scenario]').count(), 2);
    assert.equal(await page.locator('tr[data-check]').count(), 4);
    assert.equal(await page.locator('tr[data-error]').count(), 2);

    // A threshold fails: it turns red at once.
    const failing = run.next();
    failing.thresholds = failing.thresholds.map((t, i) => (i === 0 ? { ...t, ok: false, value: 312.5 } : t));
    const tFail = Date.now();
    dash.update(failing);
    const redMs = await waitIn(page, () => document.querySelector('.th.fail') !== null, 'a red threshold');
    console.log(`# failing threshold shown red ${Date.now() - tFail} ms after the update (${redMs} ms polling)`);
    assert.ok(Date.now() - tFail < 2000, 'red within 2 s of the failing update');
    const red = page.locator('.th.fail').first();
    assert.equal(await red.locator('.pill').innerText(), 'FAIL');
    assert.match(await red.locator('.metric').innerText(), /^http_req_duration$/);
    assert.equal(await red.locator('.val').innerText().then((s) => s.split('\n')[0]), '313 ms');
    const bg = await red.evaluate((el: unknown) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    assert.ok(r! > g! && r! > b!, `red background (${bg})`);
    assert.equal(await text(page, '[data-k="thresholds"]'), '1 failing');

    // A reload mid-run catches up from the server.
    for (let i = 0; i < 3; i++) dash.update(run.next());
    await page.reload({ waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 155 && document.querySelector('[data-k="thresholds"]')?.textContent !== '–', 'the catch-up after a reload');

    // The end: the verdict, final tables, summary link.
    const summary = run.summary();
    dash.end(summary);
    await waitIn(page, () => document.body.dataset.ended === '1', 'the end event');
    assert.match(await text(page, '#verdict'), /2 of 6 thresholds failed · exit code 99/);
    assert.equal(await page.getAttribute('body', 'data-status'), 'failed');
    assert.equal(await text(page, '#status-text'), 'FAILED');
    assert.equal(await page.locator('.th.fail').count(), 2);
    assert.equal(await page.locator('tr[data-route]').count(), summary.volley.routes.length);
    assert.equal(await text(page, '[data-k="reqs"]'), '8,000');
    const link = await page.getAttribute('#summary-link', 'href');
    assert.equal(link, `/summary.json?token=${encodeURIComponent(token)}`);
    const res = await page.request.get(new URL(link!, origin).href);
    assert.equal(res.status(), 200);

    // Only the dashboard's own origin was contacted; nothing went wrong in the page.
    assert.ok(requests.length >= 3);
    const foreign = requests.filter((u2) => !u2.startsWith(`${origin}/`) && !u2.startsWith('data:'));
    assert.deepEqual(foreign, [], 'requests outside the dashboard origin');
    assert.ok(requests.some((u2) => u2.startsWith(`${origin}/events?token=`)), 'the event stream carries the token');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test('a latency spike fails a threshold from the data itself; screenshot', async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const run = new SyntheticRun({ plannedMs: 300_000, spikeAtS: 170 });
    dash.start(run.meta);
    for (let i = 0; i < 169; i++) dash.update(run.next());
    const { page, errors } = await openPage();
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 169, 'the catch-up');
    assert.equal(await page.locator('.th.fail').count(), 0);
    // One update per animation frame or so: the page keeps up with a burst.
    for (let i = 0; i < 30; i++) {
      dash.update(run.next());
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitIn(page, () => Number(document.body.dataset.points) === 199 && document.querySelector('.th.fail') !== null, 'the spike and a red threshold');
    assert.match(await page.locator('.th.fail .metric').first().innerText(), /http_req_duration/);
    assert.equal(await page.getAttribute('[data-kpi="thresholds"]', 'class'), 'kpi bad');
    const shot = process.env.VOLLEY_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'dashboard-screenshot.png') : join(mkdtempSync(join(tmpdir(), 'volley-dash-')), 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`# screenshot: ${shot}`);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test('fault windows and spikes are shaded on the charts as the run reaches them', async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const run = new SyntheticRun({ plannedMs: 300_000 });
    dash.start({ ...run.meta, windows: [{ name: 'storm', kind: 'fault', startMs: 20_000, endMs: 40_000 }, { name: 'spike:api', kind: 'spike', startMs: 100_000, endMs: 130_000 }] });
    for (let i = 0; i < 60; i++) dash.update(run.next());
    const { page, errors } = await openPage();
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 60, 'the catch-up');
    // 60 s in: the storm is on every chart, the spike not yet.
    const shaded = () => page.evaluate(() => Array.from(document.querySelectorAll('.uplot')).map((e: any) => e.dataset.windows as string));
    assert.deepEqual(new Set(await shaded()), new Set(['1']));
    for (let i = 0; i < 80; i++) dash.update(run.next());
    await waitIn(page, () => Number(document.body.dataset.points) === 140, 'the spike');
    assert.deepEqual(new Set(await shaded()), new Set(['2']));
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test("the system under test's monitored series get a chart once they arrive, in their units", async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const run = new SyntheticRun({ plannedMs: 300_000 });
    dash.start(run.meta);
    // 30 s without monitors (an endpoint not answering yet), then memory and CPU.
    for (let i = 0; i < 30; i++) dash.update(run.next());
    const { page, errors } = await openPage();
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 30, 'the catch-up');
    assert.equal(await page.locator('#chart-monitors').count(), 0, 'no monitor chart without monitor series');
    for (let i = 0; i < 60; i++) {
      const u = run.next();
      u.row!.values.monitor_process_resident_memory_bytes = 120e6 + i * 1e6;
      u.row!.values.monitor_process_cpu_seconds_total = 0.2 + (i % 10) / 20;
      dash.update(u);
    }
    await waitIn(page, () => Number(document.body.dataset.points) === 90, 'the monitored seconds');
    await waitIn(page, () => document.querySelector('#chart-monitors canvas') !== null, 'the monitor chart');
    const ink = await chartInk(page);
    assert.ok(ink['chart-monitors']! > 300, `the monitor chart draws its series (${ink['chart-monitors']} coloured pixels)`);
    assert.equal(await page.locator('#chart-monitors .uplot').getAttribute('data-series'), '2');
    const legend = await page.locator('#chart-monitors .u-legend').innerText();
    assert.match(legend, /process_resident_memory_bytes\s*179\.0 MB/);
    assert.match(legend, /process_cpu_seconds_total\s*0\.65 cores/);
    // Another series appearing later joins the chart.
    for (let i = 0; i < 3; i++) {
      const u = run.next();
      u.row!.values.monitor_process_resident_memory_bytes = 180e6;
      u.row!.values.monitor_process_open_fds = 42;
      dash.update(u);
    }
    await waitIn(page, () => document.querySelector('#chart-monitors .uplot')?.dataset.series === '3', 'the third series');
    assert.equal(await page.locator('#chart-monitors').count(), 1);
    // A page opened now gets them from the history.
    await page.reload({ waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 93 && document.querySelector('#chart-monitors .uplot')?.dataset.series === '3', 'the monitor chart after a reload');
    assert.ok((await chartInk(page))['chart-monitors']! > 300, 'drawn after a reload');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test('charts the protocols declare (LLM) appear once the run has their columns; none for a plain run', async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const run = new SyntheticRun({ plannedMs: 300_000 });
    // What `volley run` sends: the registered protocols' charts (LLM, SSE, WebSocket).
    dash.start({ ...run.meta, charts: metricCatalog().charts });
    for (let i = 0; i < 30; i++) dash.update(run.next());
    const { page, errors } = await openPage();
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 30, 'the catch-up');
    assert.equal(await page.locator('.plot').count(), 4, 'a plain HTTP run: the four HTTP/generator charts only');
    for (let i = 0; i < 30; i++) {
      const u = run.next();
      Object.assign(u.row!.values, {
        'llm_time_to_first_token.p50': 240 + (i % 5),
        'llm_time_to_first_token.p95': 410 + (i % 7),
        'llm_inter_token_latency.p95': 22 + (i % 3),
        llm_output_tokens: 1800 + 10 * i,
        llm_reqs: 12,
        llm_in_flight: 3 + (i % 3),
      });
      dash.update(u);
    }
    await waitIn(page, () => document.querySelector('#chart-llm-throughput canvas') !== null && Number(document.body.dataset.points) === 60, 'the LLM charts');
    const ink = await chartInk(page);
    for (const id of ['chart-llm-latency', 'chart-llm-throughput', 'chart-llm-in-flight']) assert.ok(ink[id]! > 300, `${id} draws its series (${ink[id]} coloured pixels)`);
    assert.equal(await page.locator('#chart-sse, #chart-ws').count(), 0, 'no SSE or WebSocket chart without their columns');
    assert.match(await page.locator('#chart-llm-latency .u-legend').innerText(), /TTFT p95\s*41\d ms/);
    assert.match(await page.locator('#chart-llm-throughput .u-legend').innerText(), /output tokens\/s\s*2,0\d0\/s/);
    assert.match(await page.locator('#chart-llm-in-flight .u-legend').innerText(), /in flight\s*5\b/);
    // A page opened now draws them from the history.
    await page.reload({ waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 60 && document.querySelector('#chart-llm-latency canvas') !== null, 'the LLM charts after a reload');
    assert.ok((await chartInk(page))['chart-llm-latency']! > 300, 'drawn after a reload');
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test('tables the protocols declare (LLM ROUTES) appear live once their breakdown has rows; none for a plain run', async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const run = new SyntheticRun({ plannedMs: 300_000 });
    // What `volley run` sends: the tables the registered protocols declare over their breakdowns.
    const tables = metricCatalog().breakdowns.flatMap((b) => (b.table ? [{ breakdown: b.name, by: b.by, ...b.table }] : []));
    dash.start({ ...run.meta, tables });
    for (let i = 0; i < 5; i++) dash.update(run.next());
    const { page, errors } = await openPage();
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => Number(document.body.dataset.points) === 5, 'the catch-up');
    await waitIn(page, () => document.querySelector('#routes tbody tr[data-route]') !== null, 'the HTTP routes');
    assert.equal(await page.locator('#declared-tables table').count(), 0, 'a plain HTTP run: no declared table');
    const llmRow = (reqs: number, tags: Record<string, string>): LiveUpdate['snapshot']['series'] => [
      { name: 'llm_reqs', type: 'counter', contains: 'default', tags, view: 'llm_route', values: { count: reqs, rate: reqs / 10 } },
      { name: 'llm_req_failed', type: 'rate', contains: 'default', tags, view: 'llm_route', values: { rate: 0.25, passes: reqs / 4, fails: (3 * reqs) / 4 } },
      { name: 'llm_time_to_first_token', type: 'trend', contains: 'time', tags, view: 'llm_route', values: { count: reqs, avg: 250, min: 100, med: 240, max: 900, 'p(90)': 400, 'p(95)': 412, 'p(99)': 800 } },
    ];
    for (let i = 1; i <= 3; i++) {
      const u = run.next();
      u.snapshot.series.push(
        { name: 'llm_reqs', type: 'counter', contains: 'default', tags: {}, view: 'total', values: { count: 44 * i } },
        { name: 'llm_req_failed', type: 'rate', contains: 'default', tags: {}, view: 'total', values: { rate: 0.25 } },
        { name: 'llm_time_to_first_token', type: 'trend', contains: 'time', tags: {}, view: 'total', values: { count: 44 * i } },
        ...llmRow(40 * i, { name: '/v1/chat/completions', model: 'sim' }),
        ...llmRow(4 * i, { name: 'assistant', model: 'sim' }),
      );
      dash.update(u);
    }
    await waitIn(page, () => (document.querySelector('#table-llm_route tbody')?.innerText ?? '').includes('120'), 'the LLM ROUTES table, live');
    assert.match(await text(page, '[data-table="llm_route"] h3'), /LLM ROUTES\s*2 rows/);
    const rows = await page.locator('#table-llm_route tbody tr').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /^\/v1\/chat\/completions sim\s+120\s+25\.00%\s+240/, 'busiest first, formatted as in the summary');
    assert.match(rows[1]!, /^assistant sim\s+12\b/);
    assert.match(await text(page, '#table-llm_route thead'), /REQS\s+ERRORS\s+TTFT P50\s+TTFT P95/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test('a 24-hour run: the page catches up quickly from downsampled history and keeps up', async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const run = new SyntheticRun({ plannedMs: 24 * 3600_000, seed: 3 });
    dash.start(run.meta);
    for (let i = 0; i < 24 * 3600; i++) dash.update(run.next());
    const { page, errors } = await openPage({ width: 1280, height: 800 });
    const t0 = Date.now();
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => document.body.dataset.ready === '1' && Number(document.body.dataset.points) > 0, 'the catch-up');
    const readyMs = Date.now() - t0;
    const points = Number(await page.getAttribute('body', 'data-points'));
    console.log(`# 24 h run: ${points} points, catch-up drawn in ${readyMs} ms`);
    assert.ok(points > 5000 && points <= 6200, `points ${points}`);
    assert.ok(readyMs < 8000, `catch-up in ${readyMs} ms`);
    assert.equal(await text(page, '#elapsed'), '24:00:00');

    // Updates keep flowing: each shows within a second or two.
    for (let i = 0; i < 5; i++) {
      const before = Number(await page.getAttribute('body', 'data-points'));
      const t = Date.now();
      dash.update(run.next());
      await page.waitForFunction((n) => Number(document.body.dataset.points) === n + 1, before, { timeout: 5000, polling: 20 });
      assert.ok(Date.now() - t < 3000, `update ${i} drawn in ${Date.now() - t} ms`);
    }
    const ink = await chartInk(page);
    for (const [id, n] of Object.entries(ink)) assert.ok(n > 300, `${id} draws (${n})`);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test('a page connected before the test starts waits, then follows the run', async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const { page, errors } = await openPage({ width: 1024, height: 700 });
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => document.body.dataset.status === 'connecting', 'the waiting state');
    assert.equal(await text(page, '#status-text'), 'WAITING FOR THE TEST');
    const run = new SyntheticRun();
    dash.start(run.meta);
    await waitIn(page, () => document.body.dataset.status === 'running', 'running');
    for (let i = 0; i < 10; i++) dash.update(run.next());
    await waitIn(page, () => Number(document.body.dataset.points) === 10, '10 points');
    dash.end(run.summary({ thresholdsOk: true }));
    await waitIn(page, () => document.body.dataset.ended === '1', 'end');
    assert.equal(await page.getAttribute('body', 'data-status'), 'passed');
    assert.match(await text(page, '#verdict'), /all 6 thresholds passed · exit code 0/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});

test('a run that ends before its first update still shows its verdict', async () => {
  const dash = await startDashboard({ port: 0 });
  try {
    const { page, errors } = await openPage({ width: 1024, height: 700 });
    await page.goto(dash.url, { waitUntil: 'load' });
    await waitIn(page, () => document.body.dataset.ready === '1', 'ready');
    dash.end(new SyntheticRun().summary());
    await waitIn(page, () => document.body.dataset.ended === '1', 'end');
    assert.equal(await text(page, '#script'), 'examples/shop.ts');
    assert.match(await text(page, '#verdict'), /thresholds failed · exit code 99/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await dash.close();
  }
});
