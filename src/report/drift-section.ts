/**
 * The report's Drift section: the soak analysis of summary/drift.ts, one row per series (p95
 * latency, error rate, monitored series of the system under test) with its slope, interval and
 * verdict. Reads `volley.drift` only.
 */
import type { SummaryData } from '../summary/types.js';
import type { DriftFinding } from '../summary/drift.js';
import { humanizeBytes } from '../summary/format.js';
import { esc } from './html.js';

function perHour(f: DriftFinding, v: number): string {
  const n = Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString();
  if (f.unit === 'bytes') return `${v < 0 ? '−' : '+'}${humanizeBytes(Math.abs(v))}/h`;
  if (f.unit === 'share') return `${v < 0 ? '' : '+'}${Number((v * 100).toPrecision(3))} pp/h`;
  return `${v < 0 ? '' : '+'}${n}${f.unit === 'ms' ? ' ms' : ''}/h`;
}

/** The Drift section ('' when the summary has no drift analysis). */
export function driftHtml(data: SummaryData): string {
  const d = data.volley?.drift ?? [];
  if (d.length === 0) return '';
  const drifting = d.filter((f) => f.drift !== 'none').length;
  const rows = d.map((f) => {
    // Every series analysed is better lower: a fall is reported, not flagged as bad.
    const pill = f.drift === 'none' ? '<span class="pill ok">no drift</span>' : f.drift === 'up' ? '<span class="pill bad">↑ drift</span>' : '<span class="pill warn">↓ drift</span>';
    return `<tr data-drift="${esc(f.series)}" data-verdict="${f.drift}" data-slope="${esc(String(f.slopePerHour))}"><td class="name mono">${esc(f.label)}</td><td class="n">${esc(perHour(f, f.slopePerHour))}</td><td class="n muted">${esc(`${perHour(f, f.slopeLowPerHour)} … ${perHour(f, f.slopeHighPerHour)}`)}</td><td class="n">${esc(`${f.percentPerHour >= 0 ? '+' : ''}${Number(f.percentPerHour.toPrecision(3))} %/h`)}</td><td class="n">${esc(f.pValue < 0.001 ? '< 0.001' : f.pValue.toFixed(3))}</td><td>${pill}</td><td class="muted">${esc(f.text)}</td></tr>`;
  });
  return `<section class="panel" id="drift"><h2>Drift <span class="count">${drifting === 0 ? 'no series drifted' : `${drifting} of ${d.length} series drifted`}; Theil–Sen slope, Mann–Kendall test on ${d[0]!.points} block medians</span></h2>
<table class="t"><thead><tr><th>Series</th><th class="n">Slope</th><th class="n">95 % interval</th><th class="n">Relative</th><th class="n">p</th><th>Verdict</th><th>In words</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
