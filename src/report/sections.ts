/**
 * The report's upper sections as HTML strings: header with verdict, key-number cards, Analysis,
 * thresholds, time charts and the latency distribution. Tables of the breakdowns are in
 * tables.ts. Every piece of text from the data goes through `esc`.
 *
 * Key numbers carry `data-key` and `data-value` attributes (the raw value from the summary) so
 * that tests, and scripts scraping a report, read exactly what the summary says.
 */
import { humanizeBytes, humanizeCount, humanizeDuration, humanizePercent, toFixedNoTrailingZeros } from '../summary/format.js';
import type { MetricData, SummaryData } from '../summary/types.js';
import type { ChartData } from './chart-data.js';
import { ANCHORS, type Analysis } from './findings.js';
import { esc } from './html.js';
import { thresholdMargin } from './threshold-margin.js';
import { eventBudgetNote, sharedBudgetNote, timeBudgetNote } from '../summary/budget-text.js';

/** Trend stat of a metric, or undefined. `med` and `p(50)` stand for each other. */
export function stat(m: MetricData | undefined, key: string): number | undefined {
  const v = m?.values?.[key] ?? (key === 'med' ? m?.values?.['p(50)'] : key === 'p(50)' ? m?.values?.med : undefined);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Run length in ms: the state's, else end − start. */
export function runDurationMs(data: SummaryData): number {
  const d = data.state?.testRunDurationMs;
  if (typeof d === 'number' && d > 0) return d;
  const s = Date.parse(data.volley?.startTime ?? '');
  const e = Date.parse(data.volley?.endTime ?? '');
  return Number.isFinite(s) && Number.isFinite(e) ? Math.max(0, e - s) : 0;
}

/** '2025-01-15 09:30:00 UTC'. */
export function utcText(iso: string | undefined): string {
  const t = Date.parse(iso ?? '');
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '–';
}

/** The verdict in words: passed/failed/aborted, and why. */
export function verdictOf(data: SummaryData): { ok: boolean; word: string; why: string } {
  const v = data.volley?.verdict;
  const ths = data.volley?.thresholds ?? [];
  const failed = ths.filter((t) => !t.ok).length;
  if (v?.aborted) return { ok: false, word: 'ABORTED', why: v.abortReason ?? `exit code ${v.exitCode}` };
  if (failed > 0) return { ok: false, word: 'FAILED', why: `${failed} of ${ths.length} thresholds failed` };
  if (v && v.exitCode !== 0) return { ok: false, word: 'FAILED', why: `exit code ${v.exitCode}` };
  return { ok: true, word: 'PASSED', why: ths.length > 0 ? `all ${ths.length} thresholds met` : 'no thresholds set' };
}

/** Header: script, times, verdict. */
export function headerHtml(data: SummaryData): string {
  const v = verdictOf(data);
  const x = data.volley;
  const vus = data.metrics?.vus?.values?.max ?? data.metrics?.vus_max?.values?.max;
  const sub = [
    `<span>${esc(utcText(x?.startTime))}</span>`,
    `<span>${esc(humanizeDuration(runDurationMs(data)))}</span>`,
    typeof vus === 'number' ? `<span>up to ${esc(humanizeCount(vus))} VUs</span>` : '',
    `<span>Volley ${esc(x?.version ?? '?')}</span>`,
  ].join('');
  return `<header class="top"><div class="wrap head-row">
<div><div class="brand">Volley · load test report</div><h1>${esc(x?.script ?? 'load test')}</h1><div class="sub">${sub}</div></div>
<div class="verdict ${v.ok ? 'ok' : 'bad'}" id="verdict" data-ok="${v.ok}"><span>${v.ok ? '✓' : '✗'} ${v.word}</span><span class="why">${esc(v.why)}</span></div>
</div></header>`;
}

/** The sticky table of contents; only sections that exist. */
export function tocHtml(present: ReadonlyArray<[string, string]>): string {
  return `<nav class="toc"><div class="wrap">${present.map(([id, label]) => `<a href="#${esc(id)}">${esc(label)}</a>`).join('')}</div></nav>`;
}

function card(key: string, label: string, value: number | undefined, text: string, sub: string, bad = false): string {
  const dv = value === undefined ? '' : ` data-value="${esc(String(value))}"`;
  return `<div class="card${bad ? ' bad' : ''}" data-key="${esc(key)}"${dv}><div class="k">${esc(label)}</div><div class="v">${esc(text)}</div><div class="s">${sub}</div></div>`;
}

/** Key numbers: requests, throughput, latency, failures, checks, iterations, VUs, data. */
export function cardsHtml(data: SummaryData): string {
  const m = data.metrics ?? {};
  const dur = m.http_req_duration;
  const ms = (v: number | undefined) => (v === undefined ? '–' : humanizeDuration(v));
  const out: string[] = [];
  const reqs = m.http_reqs?.values;
  if (reqs) out.push(card('http_reqs.count', 'Requests', reqs.count, humanizeCount(reqs.count ?? 0), esc(`${toFixedNoTrailingZeros(reqs.rate ?? 0, 2)}/s`)));
  if (dur) {
    const p95 = stat(dur, 'p(95)');
    out.push(card('http_req_duration.p(95)', 'Latency p95', p95, ms(p95), `p50 <span data-key="http_req_duration.med" data-value="${esc(String(stat(dur, 'med') ?? ''))}">${esc(ms(stat(dur, 'med')))}</span> · p99 <span data-key="http_req_duration.p(99)" data-value="${esc(String(stat(dur, 'p(99)') ?? ''))}">${esc(ms(stat(dur, 'p(99)')))}</span>`));
  }
  const failed = m.http_req_failed?.values;
  if (failed) {
    const total = (failed.passes ?? 0) + (failed.fails ?? 0);
    out.push(card('http_req_failed.rate', 'Failed requests', failed.rate, humanizePercent(failed.rate ?? 0), esc(`${humanizeCount(failed.passes ?? 0)} of ${humanizeCount(total)}`), (failed.passes ?? 0) > 0));
  }
  const checks = m.checks?.values;
  if (checks) {
    const total = (checks.passes ?? 0) + (checks.fails ?? 0);
    out.push(card('checks.rate', 'Checks passed', checks.rate, humanizePercent(checks.rate ?? 0), esc(`${humanizeCount(checks.passes ?? 0)} of ${humanizeCount(total)}`), (checks.fails ?? 0) > 0));
  }
  const it = m.iterations?.values;
  if (it) out.push(card('iterations.count', 'Iterations', it.count, humanizeCount(it.count ?? 0), esc(`${toFixedNoTrailingZeros(it.rate ?? 0, 2)}/s`)));
  const vus = m.vus?.values?.max ?? m.vus_max?.values?.max;
  if (vus !== undefined) out.push(card('vus.max', 'Peak VUs', vus, humanizeCount(vus), m.vus_max ? esc(`vus_max ${humanizeCount(m.vus_max.values.max ?? 0)}`) : ''));
  const rx = m.data_received?.values;
  if (rx) out.push(card('data_received.count', 'Data received', rx.count, humanizeBytes(rx.count ?? 0), esc(`${humanizeBytes(rx.rate ?? 0)}/s · sent ${humanizeBytes(m.data_sent?.values?.count ?? 0)}`)));
  return `<div class="cards" id="key-numbers">${out.join('')}</div>`;
}

/** The Analysis: findings with links to their charts, then the recommendations. */
export function analysisHtml(a: Analysis, present: ReadonlySet<string>, hasSeries = true): string {
  if (a.findings.length === 0) {
    // Say only what was actually looked at: without a time series, nothing over time was.
    const said = hasSeries
      ? 'Nothing stands out: no threshold failed or came close, latency and errors stayed at their steady level, throughput kept up with the load, and the generator was not a limit.'
      : 'Nothing stands out in the totals: no threshold failed or came close, and no route or scenario dominates latency or failures. The summary has no time series, so nothing over time (break-aways, saturation, the generator) could be analysed.';
    return `<section class="panel" id="analysis"><h2>Analysis</h2><p class="empty">${esc(said)}</p></section>`;
  }
  const items = a.findings.map((f) => {
    const target = present.has(f.anchor) ? f.anchor : ANCHORS.thresholds;
    const label = target.startsWith('chart-') ? 'see chart' : 'see table';
    return `<li class="finding ${f.severity}" data-kind="${esc(f.kind)}"><div class="t"><span class="sev ${f.severity}">${f.severity}</span>${esc(f.title)}<a class="go" href="#${esc(target)}">${label} →</a></div><div class="d">${esc(f.detail)}</div></li>`;
  });
  const recs = a.recommendations.length > 0 ? `<h3 style="margin:18px 0 0;font-size:14px">Recommendations</h3><ol class="recs">${a.recommendations.map((r) => `<li>${esc(r)}</li>`).join('')}</ol>` : '';
  return `<section class="panel" id="analysis"><h2>Analysis <span class="count">${a.findings.length} finding${a.findings.length === 1 ? '' : 's'}, computed from this run's data</span></h2><ul class="findings">${items.join('')}</ul>${recs}</section>`;
}

/** Thresholds: expression, measured value, limit, verdict and margin. */
export function thresholdsHtml(data: SummaryData): string {
  const ths = data.volley?.thresholds ?? [];
  if (ths.length === 0) return '';
  const rows = ths.map((t) => {
    const m = thresholdMargin(t, data);
    const result = t.ok ? '<span class="pill ok">✓ pass</span>' : `<span class="pill bad">✗ fail</span>${t.aborted ? ' <span class="bad-text">aborted the test</span>' : ''}`;
    const budget = t.budget === undefined ? '' : `<div class="muted" data-budget="${t.budget.unit ?? 'events'}">${esc(t.budget.unit === 'seconds' ? timeBudgetNote(t.budget) : eventBudgetNote(t.budget))}</div>`;
    return `<tr data-threshold="${esc(`${t.metric}: ${t.expr}`)}" data-ok="${t.ok}" data-value="${esc(String(t.value ?? ''))}"><td class="name mono">${esc(t.metric)}</td><td class="mono">${esc(t.expr)}${t.abortOnFail ? ' <span class="muted">(abortOnFail)</span>' : ''}${budget}</td><td class="n${t.ok ? '' : ' bad-text'}">${esc(`${m.aggregation} = ${m.valueText}`)}</td><td>${result}</td><td class="${t.ok ? 'muted' : 'bad-text'}">${esc(m.marginText)}</td></tr>`;
  });
  const failed = ths.filter((t) => !t.ok).length;
  return `<section class="panel" id="${ANCHORS.thresholds}"><h2>Thresholds <span class="count">${failed === 0 ? `all ${ths.length} passed` : `${failed} of ${ths.length} failed`}</span></h2>
<table class="t"><thead><tr><th>Metric</th><th>Threshold</th><th class="n">Measured</th><th>Result</th><th>Margin</th></tr></thead><tbody>${rows.join('')}</tbody></table>${sharedBudgetsHtml(data)}</section>`;
}

/** Shared error budgets in seconds of breach: the union of the thresholds that share one. */
function sharedBudgetsHtml(data: SummaryData): string {
  const list = data.volley?.timeBudgets ?? [];
  if (list.length === 0) return '';
  const items = list.map(
    (u) =>
      `<li data-shared-budget="${esc(`${u.budgetSeconds}/${u.periodMs}`)}" data-ok="${u.ok}" class="${u.ok ? '' : 'bad-text'}">${u.ok ? '✓' : '✗'} ${esc(sharedBudgetNote(u))}<br><span class="muted mono">${u.thresholds.map(esc).join('<br>')}</span></li>`,
  );
  return `<h3 style="margin:18px 0 0;font-size:14px">Shared error budget (seconds of SLO breach)</h3><ul class="findings">${items.join('')}</ul>`;
}

/** The time charts (drawn by the page's script into `.plot`). */
export function chartsHtml(cd: ChartData): string {
  if (cd.charts.length === 0) return `<section class="panel" id="charts"><h2>Over time</h2><p class="empty">The summary has no time series.</p></section>`;
  const every = cd.intervalMs > 1000 ? ` <span class="count">one point per ${esc(humanizeDuration(cd.intervalMs))}, times in UTC</span>` : ' <span class="count">one point per second, times in UTC</span>';
  const boxes = cd.charts.map((c) => `<div class="chart" id="${esc(c.id)}"><h3>${esc(c.title)}</h3><div class="cap">${esc(c.caption)}</div><div class="plot"></div></div>`);
  return `<section class="panel" id="charts"><h2>Over time${every}</h2><div class="grid2">${boxes.join('')}</div></section>`;
}

/** Latency distribution: the histogram chart and the percentiles of the whole run. */
export function distributionHtml(data: SummaryData, cd: ChartData): string {
  const dur = data.metrics?.http_req_duration;
  if (!dur && !cd.histogram) return '';
  const stats = Object.keys(dur?.values ?? {}).filter((k) => k !== 'count');
  const pcts = stats.map((k) => `<div data-stat="${esc(k)}" data-value="${esc(String(dur!.values[k]))}"><b>${esc(k)}</b>${esc(humanizeDuration(dur!.values[k]!))}</div>`).join('');
  const chart = cd.histogram
    ? `<div class="chart" id="${ANCHORS.histogram}"><h3>Histogram</h3><div class="cap">Requests per latency bucket (log-spaced), and the cumulative share: read a percentile where the orange curve crosses it</div><div class="plot"></div></div>`
    : '';
  return `<section class="panel" id="latency"><h2>Latency distribution <span class="count">http_req_duration, whole run</span></h2><div class="pcts">${pcts}</div>${chart}</section>`;
}
