import type { Comparison, StatComparison } from './compare.js';
import type { RunInfo } from './types.js';

const pct = (x: number | null): string => (x === null ? '–' : x === Number.POSITIVE_INFINITY ? '+∞' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const ci = (c: [number, number] | null): string => (c ? `[${pct(c[0])}, ${pct(c[1])}]` : '–');

/** A statistic's value for display: ms for trends, rates as % or /s. */
export function fmtValue(metric: string, stat: string, v: number | null): string {
  if (v === null) return '–';
  if (stat === 'rate' && (metric === 'http_req_failed' || metric === 'checks')) return `${(v * 100).toFixed(2)}%`;
  if (stat === 'rate') return `${v.toFixed(1)}/s`;
  if (stat === 'count') return String(Math.round(v));
  return v >= 100 ? `${v.toFixed(0)}ms` : `${v.toFixed(2)}ms`;
}

function cells(r: StatComparison): string[] {
  return [r.key, fmtValue(r.metric, r.stat, r.baseline), fmtValue(r.metric, r.stat, r.candidate), r.fromZero ? 'from 0' : pct(r.change), ci(r.ci), r.noiseFloor === null ? '–' : `±${(r.noiseFloor * 100).toFixed(1)}%`, r.verdict];
}

const HEAD = ['statistic', 'baseline', 'candidate', 'change', '95% CI', 'noise', 'verdict'];

function header(c: Comparison): string {
  const hist = c.historyRuns >= 3 ? `run-to-run noise from ${c.historyRuns} earlier runs` : `run-to-run noise unknown (${c.historyRuns} earlier runs; 3 needed)`;
  return `baseline ${c.baseline.label}, candidate ${c.candidate.label}${c.candidate.test ? ` (${c.candidate.test})` : ''}; ${hist}`;
}

function budgetLines(c: Comparison): string[] {
  return c.budgets.map((b) => `${b.exceeded ? 'FAIL' : 'ok'}  ${b.budget.spec}: ${b.row.fromZero ? 'from 0' : pct(b.row.change)} (${b.row.verdict})`);
}

/** Plain-text table for the terminal. */
export function renderComparisonText(c: Comparison): string {
  const rows = [HEAD, ...c.rows.map(cells), ...c.routes.map(cells)];
  const w = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((x, i) => (i === 0 || i === r.length - 1 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ').trimEnd();
  const out = [header(c), '', line(rows[0]!), ...rows.slice(1).map(line)];
  if (c.budgets.length) out.push('', 'regression budgets:', ...budgetLines(c).map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}

/** Markdown (a PR comment, $GITHUB_STEP_SUMMARY). */
export function renderComparisonMarkdown(c: Comparison): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const verdict = c.failed ? '❌ regression beyond budget' : c.rows.some((r) => r.verdict === 'regressed') || c.routes.some((r) => r.verdict === 'regressed') ? '⚠️ regressed (within budget)' : '✅ no significant regression';
  const out = [`### Volley comparison: ${verdict}`, '', header(c), '', `| ${HEAD.join(' | ')} |`, `| ${HEAD.map((_, i) => (i === 0 || i === HEAD.length - 1 ? '---' : '---:')).join(' | ')} |`];
  for (const r of [...c.rows, ...c.routes]) out.push(`| ${cells(r).map((x, i) => (i === 0 ? `\`${esc(x)}\`` : esc(x))).join(' | ')} |`);
  if (c.budgets.length) out.push('', '**Regression budgets**', '', ...budgetLines(c).map((l) => `- ${esc(l)}`));
  return `${out.join('\n')}\n`;
}

/** Machine-readable comparison. */
export function renderComparisonJson(c: Comparison): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

/** `volley runs` table. */
export function renderRunsText(runs: readonly RunInfo[]): string {
  if (runs.length === 0) return 'no stored runs\n';
  const head = ['id', 'started (UTC)', 'test', 'branch', 'commit', 'verdict', 'p95', 'req/s', 'errors', 'labels'];
  const rows = runs.map((r) => [
    `#${r.id}`,
    new Date(r.startedAt).toISOString().slice(0, 19).replace('T', ' '),
    r.identity.test,
    r.identity.git?.branch ?? '–',
    r.identity.git ? r.identity.git.commit.slice(0, 8) + (r.identity.git.dirty ? '*' : '') : '–',
    r.passed ? 'passed' : `failed (${r.exitCode})`,
    r.keyMetrics.p95 === null ? '–' : fmtValue('http_req_duration', 'p(95)', r.keyMetrics.p95),
    r.keyMetrics.rps.toFixed(1),
    `${(r.keyMetrics.errorRate * 100).toFixed(2)}%`,
    Object.entries(r.identity.labels).map(([k, v]) => `${k}=${v}`).join(','),
  ]);
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return `${all.map((r) => r.map((x, i) => x.padEnd(w[i]!)).join('  ').trimEnd()).join('\n')}\n`;
}
