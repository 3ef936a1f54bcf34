/**
 * Time budgets (seconds of SLO breach) as the readers show them: the HTML report, the Markdown and
 * JUnit summaries and the text summary, from a summary whose thresholds were evaluated for real on
 * synthetic per-second data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSink } from '../metrics/sinks.js';
import { ThresholdSet } from '../metrics/thresholds/index.js';
import { passingSummaryFixture } from '../summary/testing/fixtures.js';
import { renderTextSummary } from '../summary/text.js';
import type { SummaryData, ThresholdResult } from '../summary/types.js';
import { renderHtmlReport } from './index.js';
import { renderJUnit } from './junit.js';
import { renderMarkdown } from './markdown.js';

/** 10 minutes: latency p95 900 ms in minute 3, errors at 20 % in seconds 200..229; budget 28,800 s / 30 d. */
function summaryWithTimeBudgets(): SummaryData {
  const spec = {
    http_req_duration: ['p(95)<350 budget 28800s over 30d'],
    http_req_failed: ['rate<0.1 per 10s budget 28800s over 30d', 'rate<0.5 budget over 30d'],
  };
  const set = new ThresholdSet(Object.fromEntries(Object.entries(spec).map(([k, l]) => [k, l.map((threshold) => ({ threshold, abortOnFail: false, delayAbortEvalMs: 0 }))])));
  const whole = { http_req_duration: newSink('trend'), http_req_failed: newSink('rate') };
  for (let s = 0; s < 600; s++) {
    const lat = newSink('trend');
    const err = newSink('rate');
    for (let i = 0; i < 20; i++) {
      const v = s >= 180 && s < 240 ? 900 : 100;
      const e = s >= 200 && s < 230 && i < 4 ? 1 : 0;
      lat.add(v);
      whole.http_req_duration.add(v);
      err.add(e);
      whole.http_req_failed.add(e);
    }
    set.addBucket(s, [
      { metric: 'http_req_duration', part: 'total', key: '', delta: lat.drain() },
      { metric: 'http_req_failed', part: 'total', key: '', delta: err.drain() },
    ]);
    set.closeBuckets(s + 1);
  }
  const evals = set.evaluate((k) => {
    const sink = whole[k as keyof typeof whole];
    return { type: sink.type, get: (a) => sink.get(a), percentile: (p) => sink.percentile(p) };
  }, 600_000, { final: true });
  const d = passingSummaryFixture();
  d.volley.thresholds = evals.map((e): ThresholdResult => ({ metric: e.metric, expr: e.expr, ok: e.ok, value: e.value, abortOnFail: false, aborted: false, ...(e.budget ? { budget: e.budget } : {}), ...(e.window ? { window: e.window } : {}) }));
  const shared = evals.map((e) => (e.budget?.unit === 'seconds' ? e.budget.shared : undefined)).find((x) => x);
  if (shared) d.volley.timeBudgets = [shared];
  return d;
}

test('the readers show a time budget: breached seconds, allowance, burn rate, and the shared union', () => {
  const d = summaryWithTimeBudgets();
  const [lat, err] = d.volley.thresholds;
  assert.equal(lat!.budget?.unit, 'seconds');
  assert.equal(lat!.ok, false, '60 s breached of 6.7 s allowed');
  assert.equal(err!.ok, false, '30 s breached (three 10 s windows)');
  const u = d.volley.timeBudgets![0]!;
  assert.equal(u.used, 60, 'the error seconds fall inside the slow minute: the union is that minute');
  assert.equal(u.sumOfMembers, 90);

  const html = renderHtmlReport(d);
  assert.match(html, /data-budget="seconds">budget: 60s breached of 6\.7s allowed \(900 %\), 53s over budget; 1 of 10 windows of 1m breached \(at 3m–4m\), burn rate 9\.00×; at this rate the 30d budget lasts 3d8h/);
  assert.match(html, /data-budget="events">budget: 120 of 6000 bad events used/);
  assert.match(html, /Shared error budget \(seconds of SLO breach\)/);
  assert.match(html, /data-shared-budget="28800\/2592000000" data-ok="false"/);
  assert.match(html, /60s of SLO breach against 6\.7s allowed \(900 %\), burn rate 9×/, 'the Margin column is the budget’s');

  const md = renderMarkdown(d);
  assert.match(md, /❌ Shared error budget: 28,800s over 30d shared by 2 thresholds: 60s breached of 6\.7s allowed/);
  assert.match(md, /p\(95\)<350 budget 28800s over 30d.*900ms in the worst 1m window.*60s of SLO breach against 6\.7s allowed/);

  const junit = renderJUnit(d);
  assert.match(junit, /message="p\(95\)=900ms in the worst 1m window; limit p\(95\)&lt;350ms; 60s of SLO breach against 6\.7s allowed \(900 %\), burn rate 9×; the shared budget: 60s breached"/);

  const text = renderTextSummary(d, { color: false });
  assert.match(text, /✗ 'rate<0\.1 per 10s budget 28800s over 30d' rate=20\.00% in the worst window; budget: 30s breached of 6\.7s allowed \(450 %\), 23s over budget; 3 of 60 windows of 10s breached \(at 3m20s–3m50s\)/);
  assert.match(text, /█ ERROR BUDGET \(seconds of SLO breach, shared\)\n\n {4}✗ 28,800s over 30d shared by 2 thresholds: 60s breached of 6\.7s allowed \(900 %\)/);
  assert.match(text, /↳ http_req_failed: rate<0\.1 per 10s budget 28800s over 30d/);
});
