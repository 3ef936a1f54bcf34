/**
 * The llm-bench HTML report: throughput-latency curves (TTFT, ITL, TPOT p50/p95, and output tokens/s
 * and goodput) against the offered load, the goodput knee marked, and the step table. One
 * self-contained file: uPlot inlined as in the run report (report/assets.ts).
 */
import { uplotAssets } from '../report/assets.js';
import { esc, rawText, scriptJson } from '../report/html.js';
import type { BenchResult } from './stats.js';

const CLIENT = `
var d = JSON.parse(document.getElementById('data').textContent);
var xs = d.steps.map(function (s) { return s.request_rate === 'inf' ? s.concurrency : s.request_rate; });
var xlabel = d.steps.length && d.steps[0].request_rate === 'inf' ? 'concurrent streams' : 'offered request rate (req/s)';
function knee(u) {
  if (d.knee === null) return;
  var x = u.valToPos(d.knee, 'x', true), ctx = u.ctx;
  ctx.save(); ctx.strokeStyle = '#c0392b'; ctx.setLineDash([6, 4]); ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
  ctx.fillStyle = '#c0392b'; ctx.font = '12px sans-serif'; ctx.fillText('goodput knee ' + d.knee, x + 4, u.bbox.top + 14); ctx.restore();
}
function chart(id, title, unit, series, unit2) {
  var data = [xs].concat(series.map(function (s) { return d.steps.map(function (st) { return st[s.key]; }); }));
  var axes = [{ label: xlabel }, { label: unit }];
  if (unit2) axes.push({ scale: 'r', side: 1, label: unit2, grid: { show: false } });
  new uPlot({ title: title, width: 560, height: 260, scales: { x: { time: false } },
    axes: axes,
    series: [{ label: xlabel }].concat(series.map(function (s) { return { label: s.label, stroke: s.color, width: 2, scale: s.scale || 'y', points: { show: true } }; })),
    hooks: { draw: [knee] } }, data, document.getElementById(id));
}
chart('ttft', 'Time to first token', 'ms', [{ key: 'p50_ttft_ms', label: 'p50', color: '#2e86de' }, { key: 'p95_ttft_ms', label: 'p95', color: '#e67e22' }]);
chart('itl', 'Inter-token latency (every gap)', 'ms', [{ key: 'p50_itl_ms', label: 'p50', color: '#2e86de' }, { key: 'p95_itl_ms', label: 'p95', color: '#e67e22' }]);
chart('tpot', 'Time per output token', 'ms', [{ key: 'p50_tpot_ms', label: 'p50', color: '#2e86de' }, { key: 'p95_tpot_ms', label: 'p95', color: '#e67e22' }]);
chart('tps', 'Throughput', 'output tokens/s', [{ key: 'output_throughput', label: 'output tokens/s', color: '#27ae60' }, { key: 'request_throughput', label: 'requests/s', color: '#8e44ad', scale: 'r' }, { key: 'request_goodput', label: 'goodput (req/s)', color: '#c0392b', scale: 'r' }], 'requests/s');
`;

const f = (v: number | null | string): string => (v === null ? '–' : typeof v === 'number' ? String(Math.round(v * 100) / 100) : v);

export function benchHtml(r: BenchResult): string {
  const { js, css } = uplotAssets();
  const rows = r.steps
    .map(
      (s) =>
        `<tr><td>${esc(s.request_rate === 'inf' ? `${s.concurrency} streams` : `${s.request_rate}/s`)}</td><td>${s.completed}</td><td>${s.failed}</td><td>${f(s.request_throughput)}</td><td>${f(s.request_goodput)}</td><td>${f(s.output_throughput)}</td><td>${f(s.p50_ttft_ms)} / ${f(s.p95_ttft_ms)}</td><td>${f(s.p50_itl_ms)} / ${f(s.p95_itl_ms)}</td><td>${f(s.p50_tpot_ms)} / ${f(s.p95_tpot_ms)}</td><td>${f(s.p95_e2el_ms)}</td><td>${s.pass === null ? '' : s.pass ? '✓' : '✗'}${s.over_saturated ? ' over-saturated' : ''}</td></tr>`,
    )
    .join('\n');
  const kneeText = r.goodput_slos.length === 0 ? '' : r.knee === null ? '<p class="bad">No step met every SLO.</p>' : r.knee_is_lower_bound ? `<p class="good">Every step met ${esc(r.goodput_slos.join(', '))}, up to <b>${esc(r.knee)}</b>: the goodput knee is higher than the loads tried.</p>` : `<p class="good">Goodput knee: <b>${esc(r.knee)}</b> — the highest load that met ${esc(r.goodput_slos.join(', '))}.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>volley llm-bench — ${esc(r.model_id || r.base_url)}</title>
<style>${rawText(css, 'style')}
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:16px}.good{color:#1e7e34}.bad{color:#c0392b}</style></head>
<body><h1>volley llm-bench</h1>
<p>${esc(r.base_url)} · model ${esc(r.model_id || '(server default)')} · ${esc(r.endpoint)} · profile ${esc(r.profile)} · ${esc(r.date)}</p>
${kneeText}
<div class="charts"><div id="ttft"></div><div id="itl"></div><div id="tpot"></div><div id="tps"></div></div>
<h2>Steps</h2>
<table><tr><th>load</th><th>ok</th><th>failed</th><th>req/s</th><th>goodput</th><th>out tok/s</th><th>TTFT p50/p95 ms</th><th>ITL p50/p95 ms</th><th>TPOT p50/p95 ms</th><th>E2E p95 ms</th><th>SLOs</th></tr>
${rows}</table>
<script type="application/json" id="data">${scriptJson(r)}</script>
<script>${rawText(js, 'script')}</script>
<script>${rawText(CLIENT, 'script')}</script>
</body></html>
`;
}
