import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortedSummaryFixture, passingSummaryFixture, summaryFixture } from './testing/fixtures.js';
import { stripAnsi, visibleWidth } from './style.js';
import { renderTextSummary } from './text.js';
import type { SummaryData } from './types.js';

const plain = (d: SummaryData = summaryFixture(), width?: number) => renderTextSummary(d, { color: false, width });

/** The lines of a `█ TITLE` section, up to the next section or the verdict. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  █ ${title}`));
  assert.ok(start >= 0, `no section ${title}`);
  const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('renderTextSummary', () => {
  it('lays sections out in order: thresholds, checks, metrics, routes, scenarios, errors, warnings, verdict', () => {
    const text = plain();
    const order = ['█ THRESHOLDS', '█ CHECKS', '█ METRICS', '█ ROUTES', '█ SCENARIOS', '█ ERRORS', '█ WARNINGS', '✗ FAILED'].map((s) => text.indexOf(s));
    assert.ok(order.every((i) => i >= 0), String(order));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    const metrics = section(text, 'METRICS').join('\n');
    const sub = ['    HTTP', '    EXECUTION', '    NETWORK', '    CUSTOM'].map((s) => metrics.indexOf(s));
    assert.deepEqual([...sub].sort((a, b) => a - b), sub);
    assert.ok(text.endsWith('✗ FAILED: 2 of 6 thresholds failed (exit code 99)\n'));
  });

  it("puts k6 browser's metrics under BROWSER and WEB VITALS, as k6 does, before CUSTOM", () => {
    const d = summaryFixture();
    const t = { avg: 200, min: 100, med: 190, max: 400, 'p(90)': 300, 'p(95)': 350, 'p(99)': 390 };
    d.metrics = {
      ...d.metrics,
      browser_http_req_duration: { type: 'trend', contains: 'time', values: t },
      browser_web_vital_fcp: { type: 'trend', contains: 'time', values: t },
    };
    const metrics = section(plain(d), 'METRICS');
    const at = (s: string) => metrics.findIndex((l) => l.trimStart().startsWith(s));
    const order = ['BROWSER', 'browser_http_req_duration', 'WEB VITALS', 'browser_web_vital_fcp', 'CUSTOM'].map(at);
    assert.ok(order.every((i) => i >= 0), String(order));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });

  it('renders thresholds with their measured values, sub-metrics under their parent', () => {
    const t = section(plain(), 'THRESHOLDS');
    assert.deepEqual(t.slice(0, 12), [
      '',
      '    checks',
      "    ✓ 'rate>0.99' rate=99.30%",
      '',
      '    http_req_duration',
      "    ✓ 'p(95)<300' p(95)=212.42ms",
      "    ✗ 'p(99)<500' p(99)=612.3ms",
      '',
      '      {route:/api/query}',
      "      ✓ 'p(95)<900' p(95)=251.03ms",
      '',
      '    http_req_failed',
    ]);
    assert.ok(t.includes("    ✗ 'rate<0.01' rate=1.22%"));
    assert.ok(t.includes("    ✓ 'count>1000' count=5880"));
  });

  it('renders metric lines like k6: dots, aligned colons, marks on metrics with thresholds', () => {
    const text = plain();
    const lines = text.split('\n');
    const metricLines = lines.filter((l) => /\.{3,}: /.test(l));
    assert.ok(metricLines.length >= 20);
    const colons = new Set(metricLines.map((l) => l.indexOf('...: ') + 3));
    assert.equal(colons.size, 1, 'colons aligned');
    const find = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), `no line matches ${re}`);
    find(/^ {4}✗ http_req_duration\.+: avg=62\.37ms min=812µs +med=41\.07ms max=1\.8s +p\(90\)=131\.9ms p\(95\)=212\.42ms p\(99\)=612\.3ms$/);
    find(/^ {6}http_req_blocked\.+: avg=41\.2µs/);
    find(/^ {8}\{ expected_response:true \}\.+: avg=58\.1ms/);
    find(/^ {4}✓ {3}\{ route:\/api\/query \}\.+: avg=88\.4ms/);
    find(/^ {4}✗ http_req_failed\.+: 1\.22% +98 out of 8000$/);
    find(/^ {6}http_reqs\.+: 8000 +228\.571429\/s$/);
    find(/^ {6}data_received\.+: 48 MB +1\.4 MB\/s$/);
    find(/^ {6}vus\.+: 0 +min=0 +max=48$/);
    find(/^ {4}✓ orders_created\.+: 5880 +168\/s$/);
    find(/^ {6}cache_hit\.+: 74\.13% +3410 out of 4600$/);
    find(/^ {4}✓ checks\.+: 99\.30% ✓ 9930 ✗ 70$/);
  });

  it('renders checks per group, with pass/fail counts for failing checks', () => {
    const c = section(plain(), 'CHECKS');
    const at = (s: string) => c.indexOf(s);
    assert.ok(at('    ✓ ingest accepted') > 0);
    assert.ok(at('    █ browse') > at('    ✓ ingest accepted'));
    assert.ok(at('      ✓ status 200') > at('    █ browse'));
    assert.equal(c[at('      ✗ has id') + 1], '        ↳  93% — ✓ 930 / ✗ 70');
    assert.ok(at('      █ details') > at('      ✗ has id'));
    assert.ok(at('        ✓ title present') > at('      █ details'));
  });

  it('lists the top 20 routes by requests and sums the rest', () => {
    const r = section(plain(), 'ROUTES (top 20 of 23 by requests)').filter((l) => l !== '');
    assert.match(r[0]!, /^ {4}NAME +METHOD +REQS +ERRORS +P95 +P99$/);
    assert.equal(r.length, 1 + 20 + 1);
    assert.match(r[1]!, /^ {4}\/api\/query +GET +2,000 +0\.00% +\S+ms +\S+ms$/);
    assert.match(r[2]!, /^ {4}\/api\/ingest +POST +1,800 +3\.44% /);
    assert.equal(r[21], '    … 3 more routes: 55 requests, 6 failed (10.90%)');
  });

  it('renders scenarios, errors (most frequent first), warnings', () => {
    const text = plain();
    const sc = section(text, 'SCENARIOS').filter((l) => l !== '');
    assert.match(sc[0]!, /^ {4}browse +ramping-vus +1,612 iterations +0 dropped +max 20 VUs +p95 iteration 1\.89s$/);
    assert.match(sc[1]!, /^ {4}ingest +constant-arrival-rate +6,000 iterations +12 dropped +max 200 VUs +p95 iteration 182\.7ms$/);
    const er = section(text, 'ERRORS').filter((l) => l !== '');
    assert.equal(er[0], '    62 × HTTP 503 Service Unavailable');
    assert.equal(er[1], '    21 × error 1211 request timeout');
    assert.ok(er.some((l) => /^ {5}9 × script error: TypeError: .*\(at examples\/shop\.ts:41:27\)$/.test(l)));
    const w = section(text, 'WARNINGS').filter((l) => l !== '');
    assert.match(w[0]!, /^ {4}⚠ scenario "ingest" dropped 12 iterations/);
  });

  it('emits no colour codes when color=false, and the same text under the colours when true', () => {
    const p = plain();
    assert.doesNotMatch(p, /\x1b/);
    const c = renderTextSummary(summaryFixture(), { color: true });
    assert.match(c, /\x1b\[32m✓/);
    assert.match(c, /\x1b\[31m✗/);
    assert.equal(stripAnsi(c), p);
  });

  it('fits tables and messages to a narrow width and shows full names when wide', () => {
    const narrow = plain(summaryFixture(), 50);
    for (const title of ['ROUTES', 'ERRORS', 'WARNINGS']) {
      for (const l of section(narrow, title)) assert.ok(visibleWidth(l) <= 50, `${title} line too wide: ${JSON.stringify(l)}`);
    }
    assert.ok(narrow.includes('…'));
    const wide = plain(summaryFixture(), 200);
    assert.ok(wide.includes('/api/search?q=${term}&limit=50&include=details,reviews,related-products'));
    assert.ok(wide.includes("script error: TypeError: Cannot read properties of undefined (reading 'id') (at examples/shop.ts:41:27)"));
  });

  it('honours summaryTrendStats and summaryTimeUnit', () => {
    const d = summaryFixture();
    d.options.summaryTrendStats = ['avg', 'p(99)', 'count'];
    d.options.summaryTimeUnit = 'ms';
    d.metrics.http_req_duration!.values.count = 8000;
    const text = plain(d);
    assert.match(text, /http_req_duration\.+: avg=62\.37ms +p\(99\)=612\.30ms +count=8000$/m);
    assert.match(text, /http_req_blocked\.+: avg=0\.04ms +p\(99\)=1\.92ms +count=-$/m);
  });

  it('renders the verdict for passed, aborted and threshold-less runs', () => {
    assert.ok(plain(passingSummaryFixture()).endsWith('  ✓ PASSED: all 6 thresholds met (exit code 0)\n'));
    const aborted = plain(abortedSummaryFixture());
    assert.match(aborted, /✗ ABORTED: threshold 'p\(95\)<900' on http_req_duration\{route:\/api\/query\} failed \(abortOnFail\) \(exit code 99\)\n$/);
    assert.match(aborted, /✗ 'p\(95\)<900' p\(95\)=1\.2s \(aborted the test\)/);
    const none = summaryFixture();
    none.volley.thresholds = [];
    for (const m of Object.values(none.metrics)) delete m.thresholds;
    none.volley.verdict = { thresholdsOk: true, aborted: false, exitCode: 0 };
    const text = plain(none);
    assert.ok(!text.includes('█ THRESHOLDS'));
    assert.ok(text.endsWith('  ✓ DONE: no thresholds defined (exit code 0)\n'));
    // No marks column when no metric has thresholds.
    assert.match(text, /^ {4}http_reqs\.+: 8000/m);
  });

  it('falls back to thresholds recorded on metrics, and shows "no data"', () => {
    const d = summaryFixture();
    d.volley.thresholds = [];
    d.metrics.ttfb_custom!.thresholds = { 'p(99.9)<100': { ok: true } };
    const t = section(plain(d), 'THRESHOLDS');
    assert.ok(t.includes("    ✗ 'p(99)<500' p(99)=612.3ms"));
    assert.ok(t.includes("    ✓ 'p(99.9)<100' p(99.9)=no data"));
  });

  it('copes with a minimal summary (no volley extras, no groups)', () => {
    const d = {
      root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
      options: { summaryTrendStats: ['avg'], summaryTimeUnit: '', noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 1000 },
      metrics: { iterations: { type: 'counter', contains: 'default', values: { count: 3, rate: 3 } } },
    } as unknown as SummaryData;
    const text = plain(d);
    assert.match(text, /iterations\.+: 3 +3\/s/);
    assert.ok(text.endsWith('✓ DONE: no thresholds defined (exit code 0)\n'));
  });
});

describe('tables the protocols declare (a real recorded run)', () => {
  it('shows LLM routes with their TTFT, ITL, tokens/s, output tokens and errors in LLM ROUTES', async () => {
    const { recordedRun } = await import('./testing/recorded-run.js');
    const text = renderTextSummary(recordedRun({ llm: true }).summary, { color: false, width: 140 });
    const rows = section(text, 'LLM ROUTES').filter((l) => l.trim() !== '');
    assert.match(rows[0]!, /^ {4}NAME +REQS +ERRORS +TTFT P50 +TTFT P95 +ITL P95 +TOK\/S P50 +OUT TOKENS$/);
    // 8 calls: TTFT 200/210/220/230 ms twice, gaps 20-22 ms, 50 tokens/s, 20 output tokens each.
    assert.match(rows[1]!, /^ {4}\/api\/assistant\/query volley-sim-1 +8 +0\.00% +21\d(\.\d+)?ms +23\d(\.\d+)?ms +22(\.\d+)?ms +50 +160$/);
    assert.ok(text.indexOf('█ ROUTES') < text.indexOf('█ LLM ROUTES') && text.indexOf('█ LLM ROUTES') < text.indexOf('█ SCENARIOS'));
    // On 80 columns the last columns go first; no line is wider than the terminal.
    const narrow = section(renderTextSummary(recordedRun({ llm: true }).summary, { color: false, width: 80 }), 'LLM ROUTES').filter((l) => l.trim() !== '');
    assert.match(narrow[0]!, /ITL P95 +TOK\/S P50$/);
    assert.ok(narrow.every((l) => visibleWidth(l) <= 80), narrow.join('\n'));
  });

  it('has no LLM ROUTES section in a run without LLM calls', async () => {
    const { recordedRun } = await import('./testing/recorded-run.js');
    const { summary } = recordedRun({ llm: false });
    assert.equal(summary.volley.tables, undefined);
    assert.doesNotMatch(renderTextSummary(summary, { color: false }), /LLM ROUTES/);
  });
});
