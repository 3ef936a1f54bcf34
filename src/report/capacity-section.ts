/**
 * The Capacity section of a report: what `volley find-capacity` found (the highest rate meeting
 * every SLO, where it broke, why it stopped), its step table and a chart of p95 by rate with the
 * capacity marked. Reads the finding as plain data (the shape of `--out`), nothing else.
 */
import { esc, rawText } from './html.js';
import { REPORT_CSS } from './styles.js';

/** The parts of a find-capacity finding the report shows. */
export interface CapacityFindingView {
  script: string;
  slos: Record<string, string[]>;
  capacity: number | null;
  breaksAt: number | null;
  uncertainty: number | null;
  stoppedBecause: string;
  explanation: string;
  knee?: number | null;
  saturation?: string | null;
  /** The capacity line with its confidence, as the text output prints it (findings before the intervals have none). */
  headline?: string;
  /** What to change when rates stayed uncertain. */
  hints?: string[];
  steps: Array<{
    rate: number;
    achievedRps: number;
    p95Ms: number | null;
    errorRate: number | null;
    dropped: number;
    inFlight: number | null;
    ok: boolean;
    broken: string[];
    stoppedEarly: boolean;
    durationMs: number;
    verdict?: 'held' | 'broke' | 'uncertain';
    extended?: boolean;
    slos?: Array<{ expr: string; value: number | null; lower: number | null; upper: number | null; unit: string; verdict: string }>;
  }>;
}

/** '243 ms [207, ∞]': an SLO's value and 95 % interval (null bounds are unbounded sides). */
function ciText(x: { expr: string; value: number | null; lower: number | null; upper: number | null; unit: string }): string {
  const agg = /^[^<>=!]+/.exec(x.expr)?.[0]?.trim() ?? x.expr;
  if (x.value === null) return `${agg} no data`;
  const ratio = x.unit === 'ratio';
  const f = (v: number | null, inf: string): string => (v === null ? inf : String(Number((ratio ? v * 100 : v).toPrecision(3))));
  const unit = ratio ? ' %' : x.unit === 'ms' ? ' ms' : '';
  return x.lower === x.upper && x.lower === x.value ? `${agg} ${f(x.value, '')}${unit}` : `${agg} ${f(x.value, '')}${unit} [${f(x.lower, ratio || x.unit === 'ms' ? '0' : '−∞')}, ${f(x.upper, '∞')}]`;
}

const num = (v: number | null, d = 1): string => (v === null ? '–' : v.toFixed(d));

/** p95 by rate as an inline SVG: held steps green, broken red, uncertain amber, the capacity as a vertical line. */
function chartSvg(f: CapacityFindingView): string {
  const pts = [...f.steps].filter((s) => s.p95Ms !== null).sort((a, b) => a.rate - b.rate);
  if (pts.length === 0) return '';
  const W = 640;
  const H = 220;
  const pad = 40;
  const maxX = Math.max(...pts.map((s) => s.rate)) * 1.05;
  const maxY = Math.max(...pts.map((s) => s.p95Ms!)) * 1.1;
  const x = (v: number): number => pad + (v / maxX) * (W - 2 * pad);
  const y = (v: number): number => H - pad + -(v / maxY) * (H - 2 * pad);
  const line = pts.map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.rate).toFixed(1)},${y(s.p95Ms!).toFixed(1)}`).join(' ');
  const dots = pts.map((s) => `<circle cx="${x(s.rate).toFixed(1)}" cy="${y(s.p95Ms!).toFixed(1)}" r="4" fill="${s.ok ? '#1a7f37' : s.verdict === 'uncertain' ? '#b45309' : '#cf222e'}"><title>${esc(`${s.rate}/s: p95 ${num(s.p95Ms)} ms, ${s.verdict ?? (s.ok ? 'held' : 'broke')}`)}</title></circle>`).join('');
  const cap = f.capacity === null ? '' : `<line x1="${x(f.capacity).toFixed(1)}" x2="${x(f.capacity).toFixed(1)}" y1="${pad / 2}" y2="${H - pad}" stroke="#0969da" stroke-dasharray="4 3"/><text x="${(x(f.capacity) + 4).toFixed(1)}" y="${pad / 2 + 10}" font-size="12" fill="#0969da">capacity ${esc(String(f.capacity))}/s</text>`;
  return `<svg class="capacity-chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="p95 latency by arrival rate"><line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#999"/><line x1="${pad}" y1="${pad / 2}" x2="${pad}" y2="${H - pad}" stroke="#999"/><text x="${W / 2}" y="${H - 8}" font-size="12" text-anchor="middle">arrival rate (/s)</text><text x="10" y="${pad / 2 + 4}" font-size="12">p95 ms (max ${esc(maxY.toFixed(0))})</text><path d="${line}" fill="none" stroke="#888"/>${cap}${dots}</svg>`;
}

/** The Capacity section. */
export function capacityHtml(f: CapacityFindingView): string {
  const slo = Object.entries(f.slos).flatMap(([k, l]) => l.map((e) => `${k} ${e}`)).join(', ');
  const headline =
    f.capacity === null ? `below ${f.steps[0]?.rate ?? '?'}/s` : f.breaksAt === null ? `at least ${f.capacity}/s` : `${f.capacity}/s (breaks at ${f.breaksAt}/s, ± ${num(f.uncertainty, 0)}/s)`;
  const verdictCell = (s: CapacityFindingView['steps'][number]): string => {
    const v = s.verdict ?? (s.ok ? 'held' : 'broke');
    if (v === 'held') return '<span class="pill ok">held</span>';
    if (v === 'uncertain') return '<span class="pill warn">uncertain</span> <span class="muted">an interval straddles its SLO</span>';
    return `<span class="pill bad">broke</span> <span class="muted">${esc(s.broken.join('; '))}</span>`;
  };
  const rows = f.steps.map(
    (s) =>
      `<tr data-rate="${esc(String(s.rate))}" data-ok="${s.ok}"${s.verdict ? ` data-verdict="${s.verdict}"` : ''}><td class="n">${esc(String(s.rate))}</td><td class="n">${num(s.achievedRps)}</td><td class="n">${num(s.p95Ms)}</td><td class="n">${s.errorRate === null ? '–' : `${(s.errorRate * 100).toFixed(2)} %`}</td><td class="n">${s.dropped}</td><td class="n">${num(s.inFlight)}</td><td class="n">${(s.durationMs / 1000).toFixed(1)} s${s.stoppedEarly ? ' (stopped)' : ''}${s.extended ? ' (re-run)' : ''}</td><td class="mono">${esc((s.slos ?? []).map(ciText).join('; ') || '–')}</td><td>${verdictCell(s)}</td></tr>`,
  );
  const top = f.headline ? esc(f.headline.replace(/^Capacity: /, '')) : `${esc(headline)} meeting ${esc(slo)}`;
  const hints = (f.hints ?? []).map((h) => `<p class="muted">Hint: ${esc(h)}</p>`).join('');
  return `<section class="panel" id="capacity"><h2>Capacity <span class="count">${top}</span></h2>
<p>${esc(f.explanation)}.${f.knee ? ` Latency knee: p95 doubled from its low-load value by ${esc(String(f.knee))}/s.` : ''}${f.saturation && f.breaksAt !== null ? ` At ${esc(String(f.breaksAt))}/s: ${esc(f.saturation)}.` : ''}${f.headline ? ' A step held when every SLO’s 95 % interval lay on its good side, broke when one lay wholly on its bad side, and was uncertain when one straddled its limit.' : ''}</p>${hints}${chartSvg(f)}
<table class="t"><thead><tr><th class="n">Rate /s</th><th class="n">Achieved req/s</th><th class="n">p95 ms</th><th class="n">Errors</th><th class="n">Dropped</th><th class="n">In flight (L = λW)</th><th class="n">Time</th><th>SLO [95 % CI]</th><th>Verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** A capacity plan (`volley capacity`) as the report shows it: the arithmetic, step by step. */
export interface CapacityPlanView {
  headroom: number;
  instances: number;
  utilisationAtPeak: number;
  connectionsPerInstance: number;
  steps: ReadonlyArray<{ what: string; arithmetic: string; value: string }>;
  warnings: readonly string[];
  /** The traffic model as given (`--traffic`). */
  traffic: string;
}

/** The Capacity plan section. */
export function capacityPlanHtml(p: CapacityPlanView): string {
  const rows = p.steps.map((s) => `<tr><td>${esc(s.what)}</td><td class="mono">${esc(s.arithmetic)}</td><td class="n"><b>${esc(s.value)}</b></td></tr>`).join('');
  const warn = p.warnings.map((w) => `<p class="muted">⚠ ${esc(w)}</p>`).join('');
  return `<section class="panel" id="capacity-plan"><h2>Capacity plan <span class="count">${esc(String(p.instances))} instance${p.instances === 1 ? '' : 's'}, headroom ${esc(String(Math.round(p.headroom * 100)))} %</span></h2>
<p>Traffic model: <span class="mono">${esc(p.traffic)}</span>. ${esc(String(p.instances))} instance${p.instances === 1 ? '' : 's'}, each at ${esc(String(Math.round(p.utilisationAtPeak * 100)))} % of its measured capacity at the planned peak, ${esc(String(p.connectionsPerInstance))} connection${p.connectionsPerInstance === 1 ? '' : 's'} each.</p>${warn}
<table class="t"><thead><tr><th>Step</th><th>Arithmetic</th><th class="n">Value</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** A self-contained page with the capacity plan, and the search it was measured by when there is one (`volley capacity --report FILE`). */
export function renderCapacityPlanReport(p: CapacityPlanView, finding?: CapacityFindingView): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Capacity plan · Volley</title><style>${rawText(REPORT_CSS, 'style')}</style></head>
<body><header class="top"><div class="wrap head-row"><div><div class="brand">Volley · capacity plan</div><h1>${esc(finding?.script ?? p.traffic)}</h1></div></div></header>
<main class="wrap">${capacityPlanHtml(p)}${finding ? capacityHtml(finding) : ''}</main></body></html>
`;
}

/** A self-contained page with the Capacity section (`volley find-capacity --report FILE`). */
export function renderCapacityReport(f: CapacityFindingView): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Capacity · ${esc(f.script)} · Volley</title><style>${rawText(REPORT_CSS, 'style')}</style></head>
<body><header class="top"><div class="wrap head-row"><div><div class="brand">Volley · capacity search</div><h1>${esc(f.script)}</h1></div></div></header>
<main class="wrap">${capacityHtml(f)}</main></body></html>
`;
}
