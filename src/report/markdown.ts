/**
 * `--markdown FILE`: a compact Markdown summary of the run for a pull-request comment or GitHub's
 * `$GITHUB_STEP_SUMMARY`: a verdict line, key metrics, thresholds with ✅/❌, the analysis'
 * findings (titles), top routes and top errors. GitHub-flavoured: tables, no raw HTML except
 * `<sub>`. Pure: data in, string out; everything from the data is escaped.
 *
 * ```md
 * ### ❌ FAILED: 2 of 6 thresholds failed · `examples/shop.ts`
 * 2025-01-15 09:30:00 UTC · 35s · up to 48 VUs · 8,000 requests
 *
 * | Throughput | p50 | p95 | p99 | Failed requests | Checks |
 * |---:|---:|---:|---:|---:|---:|
 * | 228.57/s | 41.07ms | 212.42ms | 612.3ms | 1.22% | 99.30% |
 * ...
 * ```
 */
import { analyze } from './analysis.js';
import { routeLabel } from './analysis-hotspots.js';
import { errorLabel } from './findings.js';
import { thresholdMargin } from './threshold-margin.js';
import { sharedBudgetNote } from '../summary/budget-text.js';
import { humanizeCount, humanizeDuration, humanizePercent, toFixedNoTrailingZeros } from '../summary/format.js';
import type { SummaryData } from '../summary/types.js';

/** Rows of the routes and errors tables, and findings listed. */
export const MARKDOWN_TOP_ROUTES = 5;
export const MARKDOWN_TOP_ERRORS = 5;
export const MARKDOWN_FINDINGS = 6;

/** Escapes text for Markdown (inline and in table cells): no formatting, links, HTML or cell breaks. */
export function mdText(s: unknown): string {
  return String(s ?? '')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

/** Inline code that survives backticks and table pipes inside: `a|b` → `` `a\|b` ``. */
export function mdCode(s: unknown): string {
  const text = String(s ?? '').replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const SEVERITY_MARK = { critical: '❌', warning: '⚠️', info: 'ℹ️' } as const;

/** Renders the Markdown summary; ends with a newline. */
export function renderMarkdown(data: SummaryData): string {
  const x = data.volley;
  const m = data.metrics ?? {};
  const ths = x?.thresholds ?? [];
  const failedThs = ths.filter((t) => !t.ok).length;
  const v = x?.verdict;
  let verdict: string;
  if (v?.aborted) verdict = `❌ ABORTED: ${mdText(v.abortReason ?? `exit code ${v.exitCode}`)}`;
  else if (failedThs > 0) verdict = `❌ FAILED: ${failedThs} of ${ths.length} thresholds failed`;
  else if (v && v.exitCode !== 0) verdict = `❌ FAILED: exit code ${v.exitCode}`;
  else verdict = `✅ PASSED: ${ths.length > 0 ? `all ${ths.length} thresholds met` : 'no thresholds set'}`;
  const out: string[] = [`### ${verdict} · ${mdCode(x?.script ?? 'load test')}`];

  const start = Date.parse(x?.startTime ?? '');
  const reqs = m.http_reqs?.values;
  const vus = m.vus?.values?.max ?? m.vus_max?.values?.max;
  out.push(
    [
      Number.isFinite(start) ? `${new Date(start).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '',
      humanizeDuration(data.state?.testRunDurationMs ?? 0),
      typeof vus === 'number' ? `up to ${humanizeCount(vus)} VUs` : '',
      reqs ? `${humanizeCount(reqs.count ?? 0)} requests` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    '',
  );

  // Key metrics, one row.
  const dur = m.http_req_duration?.values ?? {};
  const ms = (k: string) => {
    const val = dur[k] ?? (k === 'med' ? dur['p(50)'] : undefined);
    return typeof val === 'number' ? humanizeDuration(val) : '–';
  };
  const key: Array<[string, string]> = [];
  if (reqs) key.push(['Throughput', `${toFixedNoTrailingZeros(reqs.rate ?? 0, 2)}/s`]);
  if (m.http_req_duration) key.push(['p50', ms('med')], ['p95', ms('p(95)')], ['p99', ms('p(99)')]);
  const failed = m.http_req_failed?.values;
  if (failed) key.push(['Failed requests', `${humanizePercent(failed.rate ?? 0)} (${humanizeCount(failed.passes ?? 0)})`]);
  const checks = m.checks?.values;
  if (checks) key.push(['Checks', `${humanizePercent(checks.rate ?? 0)} (✗ ${humanizeCount(checks.fails ?? 0)})`]);
  const it = m.iterations?.values;
  if (it) key.push(['Iterations', humanizeCount(it.count ?? 0)]);
  if (key.length > 0) {
    out.push(row(key.map(([k]) => k)), row(key.map(() => '---:')), row(key.map(([, val]) => mdText(val))), '');
  }

  if (ths.length > 0) {
    out.push('#### Thresholds', '', row(['', 'Metric', 'Threshold', 'Measured', 'Margin']), row([':-:', '---', '---', '---:', '---']));
    for (const t of ths) {
      const mg = thresholdMargin(t, data);
      out.push(row([t.ok ? '✅' : '❌', mdCode(t.metric), mdCode(t.expr), mdText(mg.valueText), mdText(`${mg.marginText}${t.aborted ? ' (aborted the test)' : ''}`)]));
    }
    out.push('');
    for (const u of x?.timeBudgets ?? []) out.push(`${u.ok ? '✅' : '❌'} Shared error budget: ${mdText(sharedBudgetNote(u))}`, '');
  }

  const analysis = analyze(data);
  if (analysis.findings.length > 0) {
    out.push('#### Analysis', '');
    for (const f of analysis.findings.slice(0, MARKDOWN_FINDINGS)) out.push(`- ${SEVERITY_MARK[f.severity]} ${mdText(f.title)}`);
    const more = analysis.findings.length - MARKDOWN_FINDINGS;
    if (more > 0) out.push(`- … and ${more} more in the HTML report (\`--report\`)`);
    out.push('');
  }

  const routes = [...(x?.routes ?? [])].sort((a, b) => b.requests - a.requests);
  if (routes.length > 0) {
    const title = routes.length > MARKDOWN_TOP_ROUTES ? `#### Top ${MARKDOWN_TOP_ROUTES} of ${routes.length} routes` : '#### Routes';
    out.push(title, '', row(['Route', 'Requests', 'Failed', 'p95', 'p99']), row(['---', '---:', '---:', '---:', '---:']));
    for (const r of routes.slice(0, MARKDOWN_TOP_ROUTES)) {
      out.push(row([mdCode(routeLabel(r)), humanizeCount(r.requests), r.failed > 0 ? `${humanizeCount(r.failed)} (${humanizePercent(r.errorRate)})` : '0', mdText(humanizeDuration(r.p95)), mdText(humanizeDuration(r.p99))]));
    }
    out.push('');
  }

  const errors = [...(x?.errors ?? [])].sort((a, b) => b.count - a.count);
  if (errors.length > 0) {
    const title = errors.length > MARKDOWN_TOP_ERRORS ? `#### Top ${MARKDOWN_TOP_ERRORS} of ${errors.length} errors` : '#### Errors';
    out.push(title, '', row(['Error', 'Count']), row(['---', '---:']));
    for (const e of errors.slice(0, MARKDOWN_TOP_ERRORS)) out.push(row([mdText(`${errorLabel(e)}${e.location ? ` (at ${e.location})` : ''}`), humanizeCount(e.count)]));
    out.push('');
  }

  const warnings = x?.warnings ?? [];
  if (warnings.length > 0) {
    out.push('#### Warnings', '');
    for (const w of warnings) out.push(`- ⚠️ ${mdText(w)}`);
    out.push('');
  }

  out.push(`<sub>Volley ${mdText(x?.version ?? '')} · exit code ${v?.exitCode ?? '–'}</sub>`);
  return out.join('\n') + '\n';
}
