import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saturationSummaryFixture } from './testing/fixtures.js';
import { abortedSummaryFixture, passingSummaryFixture, summaryFixture } from '../summary/testing/fixtures.js';
import { humanizeDuration, humanizePercent } from '../summary/format.js';
import { mdCode, mdText, renderMarkdown } from './markdown.js';

/** The cells of a Markdown table row, split on unescaped pipes. */
function cells(line: string): string[] {
  return line
    .replace(/^\| | \|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The table that follows a heading, as rows of cells (header first, separator dropped). */
function tableAfter(md: string, heading: RegExp): string[][] {
  const lines = md.split('\n');
  const h = lines.findIndex((l) => heading.test(l));
  assert.ok(h >= 0, `heading ${heading}`);
  const rows: string[][] = [];
  for (let i = h + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '' && rows.length === 0) continue;
    if (!l.startsWith('|')) break;
    rows.push(cells(l));
  }
  return rows.filter((_, i) => i !== 1);
}

test('verdict line: failed, passed, aborted', () => {
  assert.equal(renderMarkdown(summaryFixture()).split('\n')[0], '### ❌ FAILED: 2 of 6 thresholds failed · `examples/shop.ts`');
  assert.equal(renderMarkdown(passingSummaryFixture()).split('\n')[0], '### ✅ PASSED: all 6 thresholds met · `examples/shop.ts`');
  assert.match(renderMarkdown(abortedSummaryFixture()).split('\n')[0]!, /^### ❌ ABORTED: threshold 'p\(95\)&lt;900' on http\\_req\\_duration\{route:\/api\/query\} failed \(abortOnFail\)/);
  assert.equal(renderMarkdown(summaryFixture()).split('\n')[1], '2025-01-15 09:30:00 UTC · 35s · up to 48 VUs · 8,000 requests');
});

test('key metrics are the summary\'s numbers', () => {
  const d = summaryFixture();
  const md = renderMarkdown(d);
  const [head, values] = tableAfter(md, /^2025-01-15/);
  const row = Object.fromEntries(head!.map((h, i) => [h, values![i]]));
  const dur = d.metrics.http_req_duration!.values;
  assert.equal(row.p50, humanizeDuration(dur.med!));
  assert.equal(row.p95, humanizeDuration(dur['p(95)']!));
  assert.equal(row.p99, humanizeDuration(dur['p(99)']!));
  assert.equal(row.Throughput, '228.57/s');
  assert.equal(row['Failed requests'], `${humanizePercent(d.metrics.http_req_failed!.values.rate!)} (98)`);
  assert.equal(row.Checks, '99.30% (✗ 70)');
});

test('thresholds table: one row per threshold with ✅/❌, the measured value and the margin', () => {
  const d = summaryFixture();
  const rows = tableAfter(renderMarkdown(d), /^#### Thresholds/);
  assert.deepEqual(rows[0], ['', 'Metric', 'Threshold', 'Measured', 'Margin']);
  const body = rows.slice(1);
  assert.equal(body.length, d.volley.thresholds.length);
  assert.deepEqual(body.map((r) => r[0]), d.volley.thresholds.map((t) => (t.ok ? '✅' : '❌')));
  const p99 = body.find((r) => r[2] === '`p(99)<500`')!;
  assert.deepEqual(p99, ['❌', '`http_req_duration`', '`p(99)<500`', '612.3ms', '22% over the limit (1.22×)']);
});

test('top routes (5 of 23) and top errors, every row with the same number of cells', () => {
  const md = renderMarkdown(summaryFixture());
  const routes = tableAfter(md, /^#### Top 5 of 23 routes/);
  assert.equal(routes.length, 6);
  assert.deepEqual(routes[1]!.slice(0, 2), ['`GET /api/query`', '2,000']);
  const errors = tableAfter(md, /^#### Errors/);
  assert.deepEqual(errors[1], ['HTTP 503 Service Unavailable', '62']);
  for (const table of [routes, errors]) for (const r of table) assert.equal(r.length, table[0]!.length);
});

test('analysis findings appear when there are some, and not otherwise', () => {
  const md = renderMarkdown(saturationSummaryFixture());
  assert.match(md, /#### Analysis\n\n- ❌ Threshold/);
  assert.match(md, /- ⚠️ Saturation: throughput plateaued/);
  const quiet = passingSummaryFixture();
  quiet.volley.routes = [];
  quiet.volley.scenarios = [];
  quiet.volley.thresholds = [];
  quiet.root_group = { name: '', path: '', id: '', groups: [], checks: [] };
  assert.doesNotMatch(renderMarkdown(quiet), /#### Analysis/);
});

test('text from the data cannot break tables or inject markup', () => {
  const d = summaryFixture();
  d.volley.routes[0]!.name = '/a|b`c`';
  d.volley.errors[0]!.message = '<script>x</script> | *bold*';
  const md = renderMarkdown(d);
  assert.ok(!md.includes('<script>'));
  const routes = tableAfter(md, /^#### Top 5/);
  for (const r of routes) assert.equal(r.length, 5);
  assert.equal(routes[1]![0], '`` GET /a\\|b`c` ``');
  const errors = tableAfter(md, /^#### Top 5 of 5 errors|^#### Errors/);
  assert.equal(errors[1]![0], 'HTTP 503 &lt;script&gt;x&lt;/script&gt; \\| \\*bold\\*');
});

test('mdText and mdCode', () => {
  assert.equal(mdText('a_b*c\nd'), 'a\\_b\\*c d');
  assert.equal(mdCode('x'), '`x`');
  assert.equal(mdCode('a`b'), '``a`b``');
  assert.equal(mdCode('`a'), '`` `a ``');
});
