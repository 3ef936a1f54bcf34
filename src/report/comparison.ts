/**
 * The comparison section of the HTML report, when the run was compared with a baseline
 * (`volley run --baseline …`): both runs' latency distributions on one chart (an inline SVG of
 * their percentile curves) and the table of changes with intervals and verdicts, per metric and
 * per route. The data is prepared by src/history (history/report-view.ts); this only draws it.
 */
import { esc } from './html.js';

export interface ComparisonRowView {
  key: string;
  baseline: string;
  candidate: string;
  change: number | null;
  ci: [number, number] | null;
  noiseFloor: number | null;
  verdict: string;
}

export interface ReportComparison {
  baselineLabel: string;
  candidateLabel: string;
  historyRuns: number;
  rows: ComparisonRowView[];
  routes: ComparisonRowView[];
  budgets: Array<{ spec: string; change: number | null; verdict: string; exceeded: boolean }>;
  /** Latency (ms) at each percentile of `percentiles`, for each run; empty when unknown. */
  percentiles: number[];
  baselineCurve: number[];
  candidateCurve: number[];
}

const pct = (x: number | null): string => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);

function chart(c: ReportComparison): string {
  if (c.baselineCurve.length === 0 || c.candidateCurve.length === 0) return '';
  const W = 720;
  const H = 260;
  const L = 64;
  const B = 34;
  const max = Math.max(...c.baselineCurve, ...c.candidateCurve) * 1.05 || 1;
  // x: the percentile on a "nines" scale, −log10(1 − p/100), so the tail gets room.
  const nines = (p: number): number => -Math.log10(1 - Math.min(p, 99.99) / 100);
  const xmax = nines(c.percentiles.at(-1)!);
  const x = (p: number): number => L + (nines(p) / xmax) * (W - L - 12);
  const y = (v: number): number => H - B - (v / max) * (H - B - 12);
  const line = (vals: number[], cls: string): string => `<polyline class="${cls}" points="${vals.map((v, i) => `${x(c.percentiles[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
  const xt = [50, 90, 99, 99.9].filter((p) => p <= c.percentiles.at(-1)!).map((p) => `<text x="${x(p).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">p${p}</text>`).join('');
  const yt = [0, 0.5, 1].map((f) => `<text x="${L - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end">${(max * f).toFixed(max * f >= 100 ? 0 : 1)} ms</text>`).join('');
  return `<svg class="cmp-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="latency distributions of both runs">
<style>.cmp-chart polyline{fill:none;stroke-width:2}.cmp-chart .base{stroke:#64748b}.cmp-chart .cand{stroke:#2563eb}.cmp-chart text{font-size:11px;fill:#64748b}</style>
${xt}${yt}${line(c.baselineCurve, 'base')}${line(c.candidateCurve, 'cand')}</svg>
<p class="muted"><span style="color:#64748b">━</span> baseline ${esc(c.baselineLabel)} &nbsp; <span style="color:#2563eb">━</span> this run ${esc(c.candidateLabel)} — http_req_duration by percentile</p>`;
}

function rowsHtml(rows: ComparisonRowView[]): string {
  return rows
    .map((r) => {
      const cls = r.verdict === 'regressed' ? 'bad-text' : r.verdict === 'improved' ? 'good-text' : '';
      // An unbounded upper side is Infinity in memory, null once the summary went through JSON.
      const ci = r.ci ? `[${pct(r.ci[0])}, ${r.ci[1] === null || r.ci[1] === Number.POSITIVE_INFINITY ? '+∞' : pct(r.ci[1])}]` : '–';
      return `<tr><td class="name mono">${esc(r.key)}</td><td class="n">${esc(r.baseline)}</td><td class="n">${esc(r.candidate)}</td><td class="n ${cls}">${esc(pct(r.change))}</td><td class="n">${esc(ci)}</td><td class="n">${r.noiseFloor === null ? '–' : `±${(r.noiseFloor * 100).toFixed(1)}%`}</td><td class="${cls}">${esc(r.verdict)}</td></tr>`;
    })
    .join('\n');
}

/** The section, or '' without a comparison. */
export function comparisonHtml(c: ReportComparison | undefined): string {
  if (!c) return '';
  const budgets = c.budgets.length
    ? `<ul>${c.budgets.map((b) => `<li class="${b.exceeded ? 'bad-text' : ''}">${b.exceeded ? 'FAIL' : 'ok'} <code>${esc(b.spec)}</code>: ${esc(pct(b.change))} (${esc(b.verdict)})</li>`).join('')}</ul>`
    : '';
  const noise = c.historyRuns >= 3 ? `run-to-run noise from ${c.historyRuns} earlier runs` : 'run-to-run noise unknown (fewer than 3 earlier runs)';
  return `<section class="panel" id="comparison"><style>.good-text{color:#15803d;font-weight:600}</style><h2>Comparison <span class="count">with ${esc(c.baselineLabel)}; ${esc(noise)}</span></h2>
${chart(c)}
<div class="scroll"><table class="t"><thead><tr><th>Statistic</th><th class="n">Baseline</th><th class="n">This run</th><th class="n">Change</th><th class="n">95% CI</th><th class="n">Noise</th><th>Verdict</th></tr></thead>
<tbody>${rowsHtml(c.rows)}
${rowsHtml(c.routes)}</tbody></table></div>${budgets}</section>`;
}
