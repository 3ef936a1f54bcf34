import { changePoints, type ChangePoint } from './changepoint.js';
import { statValue } from './compare.js';
import { fmtValue } from './render.js';
import type { Side } from './side.js';

export interface TrendPoint {
  id: number;
  startedAt: number;
  commit: string | undefined;
  branch: string | undefined;
  value: number;
}

export interface Trend {
  test: string;
  metric: string;
  stat: string;
  points: TrendPoint[];
  shifts: ChangePoint[];
}

/** A statistic across runs (oldest first) and where its level shifted. */
export function buildTrend(test: string, metric: string, stat: string, sides: readonly Side[]): Trend {
  const points: TrendPoint[] = [];
  for (const s of sides) {
    const v = statValue(s, metric, stat);
    if (v === undefined || !s.run) continue;
    points.push({ id: s.run.id, startedAt: s.run.startedAt, commit: s.run.identity.git?.commit, branch: s.run.identity.git?.branch, value: v });
  }
  points.sort((a, b) => a.id - b.id);
  return { test, metric, stat, points, shifts: changePoints(points.map((p) => p.value)) };
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Terminal table of a trend, with the shifts marked. */
export function renderTrendText(t: Trend): string {
  const shiftAt = new Map(t.shifts.map((s) => [s.index, s]));
  const lines = [`${t.metric}:${t.stat} across ${t.points.length} runs of ${t.test}`];
  t.points.forEach((p, i) => {
    const s = shiftAt.get(i);
    const mark = s ? `  ◀ level shift ${fmtValue(t.metric, t.stat, s.before)} → ${fmtValue(t.metric, t.stat, s.after)} (p=${s.p.toFixed(3)})` : '';
    lines.push(`#${String(p.id).padEnd(6)} ${new Date(p.startedAt).toISOString().slice(0, 16).replace('T', ' ')}  ${(p.commit ?? '').slice(0, 8).padEnd(8)}  ${fmtValue(t.metric, t.stat, p.value).padStart(10)}${mark}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * A self-contained HTML page: an SVG line chart of the statistic per run, level shifts drawn as
 * vertical markers with the segment means, and a table (run, date, commit, value).
 */
export function renderTrendHtml(t: Trend): string {
  const W = 900;
  const H = 320;
  const pad = { l: 70, r: 20, t: 20, b: 40 };
  const vals = t.points.map((p) => p.value);
  const max = Math.max(...vals, 0) * 1.1 || 1;
  const x = (i: number): number => pad.l + (t.points.length <= 1 ? 0 : (i * (W - pad.l - pad.r)) / (t.points.length - 1));
  const y = (v: number): number => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const path = t.points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = t.points.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3"><title>#${p.id} ${esc(fmtValue(t.metric, t.stat, p.value))}</title></circle>`).join('');
  const bounds = [0, ...t.shifts.map((s) => s.index), t.points.length];
  const levels = bounds.slice(1).map((e, j) => {
    const s = bounds[j]!;
    const m = vals.slice(s, e).reduce((a, b) => a + b, 0) / Math.max(1, e - s);
    return `<line class="level" x1="${x(s).toFixed(1)}" x2="${x(e - 1).toFixed(1)}" y1="${y(m).toFixed(1)}" y2="${y(m).toFixed(1)}"/>`;
  });
  const shifts = t.shifts.map((s) => `<line class="shift" x1="${(x(s.index) - (x(s.index) - x(s.index - 1)) / 2).toFixed(1)}" x2="${(x(s.index) - (x(s.index) - x(s.index - 1)) / 2).toFixed(1)}" y1="${pad.t}" y2="${H - pad.b}"><title>level shift before #${t.points[s.index]!.id}</title></line>`);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${pad.l - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end">${esc(fmtValue(t.metric, t.stat, max * f))}</text>`).join('');
  const shiftAt = new Map(t.shifts.map((s) => [s.index, s]));
  const rows = t.points
    .map((p, i) => {
      const s = shiftAt.get(i);
      return `<tr${s ? ' class="shifted"' : ''}><td>#${p.id}</td><td>${new Date(p.startedAt).toISOString().slice(0, 19).replace('T', ' ')}</td><td>${esc(p.branch ?? '')}</td><td><code>${esc((p.commit ?? '').slice(0, 12))}</code></td><td>${esc(fmtValue(t.metric, t.stat, p.value))}</td><td>${s ? `level shift: ${esc(fmtValue(t.metric, t.stat, s.before))} → ${esc(fmtValue(t.metric, t.stat, s.after))} (p=${s.p.toFixed(3)})` : ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Volley trend: ${esc(t.metric)}:${esc(t.stat)} of ${esc(t.test)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}svg{background:#fafafa;border:1px solid #ddd}
path{fill:none;stroke:#2563eb;stroke-width:2}circle{fill:#2563eb}.shift{stroke:#dc2626;stroke-width:2;stroke-dasharray:6 4}.level{stroke:#16a34a;stroke-width:2;opacity:.7}
text{font-size:11px;fill:#555}table{border-collapse:collapse;margin-top:1em}td,th{padding:.25em .8em;border-bottom:1px solid #eee;text-align:left}tr.shifted td{background:#fee2e2}</style></head>
<body><h1>${esc(t.metric)}:${esc(t.stat)} — ${esc(t.test)}</h1>
<p>${t.points.length} runs; ${t.shifts.length} level shift${t.shifts.length === 1 ? '' : 's'} (binary segmentation with a permutation test, α = 0.05: docs/history.md). Red dashed lines mark shifts; green lines are the level of each segment.</p>
<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="trend chart">${ticks}<path d="${path}"/>${dots}${levels.join('')}${shifts.join('')}</svg>
<table><thead><tr><th>run</th><th>started (UTC)</th><th>branch</th><th>commit</th><th>${esc(t.metric)}:${esc(t.stat)}</th><th>shift</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
