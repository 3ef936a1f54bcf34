import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVolleyError } from '../errors/index.js';
import { abortedSummaryFixture, passingSummaryFixture, summaryFixture } from '../summary/testing/fixtures.js';
import { humanizeCount, humanizeDuration } from '../summary/format.js';
import { longRunSummaryFixture, saturationSummaryFixture } from './testing/fixtures.js';
import { renderHtmlReport, writeHtmlReport } from './index.js';
import { parseSummaryJson } from './input.js';

test('one self-contained document: inlined uPlot, CSP with no network, no external URLs', () => {
  const html = renderHtmlReport(summaryFixture());
  assert.match(html, /^<!doctype html>/);
  assert.equal(html.match(/<html/g)?.length, 1);
  assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;/);
  assert.match(html, /var uPlot=function/, 'uPlot inlined');
  assert.match(html, /\.uplot/, 'uPlot CSS inlined');
  assert.doesNotMatch(html, /\b(src|href)="(https?:)?\/\//i, 'no external resources');
  assert.doesNotMatch(html, /<link[^>]+stylesheet/i);
  assert.doesNotMatch(html, /<script[^>]+src=/i);
});

test('key numbers, thresholds and verdict come from the summary', () => {
  const d = summaryFixture();
  const html = renderHtmlReport(d);
  const p95 = d.metrics.http_req_duration!.values['p(95)']!;
  assert.ok(html.includes(`data-key="http_req_duration.p(95)" data-value="${p95}"`));
  assert.ok(html.includes(`<div class="v">${humanizeDuration(p95)}</div>`));
  assert.ok(html.includes(`<div class="v">${humanizeCount(d.metrics.http_reqs!.values.count!)}</div>`));
  for (const t of d.volley.thresholds) {
    const attr = `${t.metric}: ${t.expr}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    assert.ok(html.includes(`data-threshold="${attr}" data-ok="${t.ok}"`), attr);
  }
  assert.match(html, /id="verdict" data-ok="false"><span>✗ FAILED<\/span><span class="why">2 of 6 thresholds failed/);
  assert.match(renderHtmlReport(passingSummaryFixture()), /id="verdict" data-ok="true"><span>✓ PASSED/);
  assert.match(renderHtmlReport(abortedSummaryFixture()), /✗ ABORTED<\/span><span class="why">threshold &#39;p\(95\)&lt;900&#39;/);
});

test('the Analysis links each finding to a chart or table that exists in the page', () => {
  const html = renderHtmlReport(saturationSummaryFixture());
  const links = [...html.matchAll(/<li class="finding [a-z]+" data-kind="([a-z-]+)">.*?<a class="go" href="#([a-z-]+)">/g)];
  assert.ok(links.length >= 5);
  for (const [, kind, id] of links) assert.ok(html.includes(`id="${id}"`), `${kind} → #${id}`);
  assert.ok(links.some(([, kind, id]) => kind === 'saturation' && id === 'chart-load'));
});

test('a quiet run says so instead of inventing findings', () => {
  const d = passingSummaryFixture();
  d.volley.routes = [];
  d.volley.scenarios = [];
  d.volley.thresholds = [];
  for (const m of Object.values(d.metrics)) delete m.thresholds;
  const walk = (g: typeof d.root_group) => {
    g.checks.forEach((c) => (c.fails = 0));
    g.groups.forEach(walk);
  };
  walk(d.root_group);
  assert.match(renderHtmlReport(d), /Nothing stands out/);
});

test('text from the data cannot break out of the page', () => {
  const d = summaryFixture();
  d.volley.routes[0]!.name = '</script><script>alert(1)</script>';
  d.volley.errors[0]!.message = '<img src=x onerror=alert(1)>';
  d.volley.script = '"><b>x</b>';
  d.volley.timeSeries.series['http_reqs']![0] = NaN;
  const html = renderHtmlReport(d);
  assert.ok(!html.includes('<script>alert(1)'));
  assert.ok(!html.includes('<img src=x'));
  assert.ok(!html.includes('"><b>x</b>'));
  assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
  const json = /<script type="application\/json" id="volley-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  assert.doesNotThrow(() => JSON.parse(json));
});

test('a 24-hour run at one point per second stays well under a few MB', () => {
  const html = renderHtmlReport(longRunSummaryFixture(86_400));
  const mb = Buffer.byteLength(html) / 1e6;
  assert.ok(mb < 3, `report is ${mb.toFixed(2)} MB`);
  const json = JSON.parse(/<script type="application\/json" id="volley-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { dt: number[] };
  assert.ok(json.dt.length <= 4000);
});

test('many routes are capped in the table, with the rest summed', () => {
  const d = summaryFixture();
  const r = d.volley.routes[0]!;
  d.volley.routes = Array.from({ length: 700 }, (_, i) => ({ ...r, name: `/r/${i}`, requests: 1000 - i }));
  const html = renderHtmlReport(d);
  assert.equal(html.match(/<td class="name mono">GET \/r\//g)?.length, 500);
  assert.match(html, /… and 200 more routes/);
});

test('writeHtmlReport writes atomically and names the file on failure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-report-'));
  const file = join(dir, 'nested', 'report.html');
  await writeHtmlReport(file, summaryFixture());
  assert.match(readFileSync(file, 'utf8'), /<\/html>\n$/);
  assert.deepEqual(readdirSync(join(dir, 'nested')), ['report.html'], 'no temporary file left');
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'x');
  await assert.rejects(writeHtmlReport(join(blocker, 'r.html'), summaryFixture()), (e: unknown) => {
    assert.ok(isVolleyError(e));
    assert.equal(e.code, 'E_REPORT_WRITE');
    assert.match(e.message, /r\.html/);
    assert.match(e.hint ?? '', /--report/);
    return true;
  });
});

test('a bare summary (no series, no metrics) still renders, and says what could not be analysed', () => {
  const d = parseSummaryJson(JSON.stringify({ metrics: {}, volley: { schemaVersion: 1 } }), 'bare.json');
  const html = renderHtmlReport(d);
  assert.match(html, /The summary has no time series, so nothing over time/);
  assert.match(html, /✓ PASSED<\/span><span class="why">no thresholds set/);
});
