// Turns the measurements into the printed report: the throughput table (medians over rounds), Volley's
// ratios to each peer, the issue's targets with a verdict each, memory per VU and arrival-rate accuracy.
import { median } from './measure.mjs';

/** The issue's targets (issue 5, "Speed"/"Benchmark"), on a 2-core machine with the generator pinned to one core. */
export const TARGETS = {
  /** Volley plain-GET requests/s ÷ autocannon's, at least. */
  rpsVsAutocannon: 1.5,
  /** Volley plain-GET requests/s ÷ wrk's, at least. */
  rpsVsWrk: 0.8,
  /** Volley scripted-GET CPU per request ÷ wrk's plain-GET CPU per request, at most. */
  scriptedCpuVsWrkPlain: 2,
  /** Memory per sleeping VU at 10,000 VUs, at most (bytes): 100 MB above the idle base ÷ 10,000. */
  bytesPerVu: 10_000,
  /** Arrival rate: achieved iterations within this fraction of rate × duration. */
  arrivalCountError: 0.005,
  /** Arrival rate: every full second within this fraction of the rate. */
  arrivalSecondError: 0.05,
};

const int = (n) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : Math.round(n).toLocaleString('en-US'));
const fix = (n, d) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(d));
const mb = (kb) => (kb === null || kb === undefined ? '-' : `${(kb / 1024).toFixed(1)} MB`);
const ratio = (a, b) => (a === null || b === null || !b ? null : a / b);
const x = (r) => (r === null ? '-' : `${r.toFixed(2)}x`);
const pct = (r, d = 1) => (r === null || r === undefined || !Number.isFinite(r) ? '-' : `${(r * 100).toFixed(d)}%`);

/** Pads columns: rows of strings, `right` = set of column indexes to right-align. */
export function table(rows, right = new Set()) {
  const w = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, String(c).length)));
  return rows.map((r) => r.map((c, i) => (right.has(i) ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join('  ').trimEnd()).join('\n');
}

/** Label of a tool in a case (says what the scripted variant does for each). */
export function label(tool, benchCase) {
  if (benchCase === 'plain') return tool;
  return { wrk: 'wrk + Lua check', autocannon: 'autocannon + onResponse', volley: 'volley + check/json' }[tool] ?? tool;
}

/**
 * Medians per (case, tool) over the rounds' runs: { rps, cpuPer10k, maxRssKb, errors, targetCpu, n }.
 * `runs`: [{ benchCase, tool, rps, cpuPer10k, maxRssKb, errors, targetCpu }].
 */
export function medians(runs) {
  const out = new Map();
  for (const r of runs) {
    const k = `${r.benchCase}/${r.tool}`;
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(r);
  }
  const res = {};
  for (const [k, rs] of out) {
    const ok = rs.filter((r) => !r.failed);
    res[k] = {
      n: ok.length,
      failed: rs.length - ok.length,
      rps: median(ok.map((r) => r.rps)),
      cpuPer10k: median(ok.map((r) => r.cpuPer10k)),
      netCpuPer10k: median(ok.map((r) => r.netCpuPer10k)),
      maxRssKb: median(ok.map((r) => r.maxRssKb)),
      errors: median(ok.map((r) => r.errors)),
      toolCpu: median(ok.map((r) => r.toolCpu)),
      targetCpu: median(ok.map((r) => r.targetCpu)),
    };
  }
  return res;
}

/** The throughput table, ratios and target verdicts as text; also returns the verdicts. */
export function throughputReport(med, { cases, tools }) {
  const lines = [];
  const rows = [['case', 'tool', 'req/s', 'CPU s/10k req', 'net', 'peak RSS', 'errors', 'tool CPU', 'target CPU', 'runs']];
  for (const c of cases) {
    for (const t of tools) {
      const m = med[`${c}/${t}`];
      if (!m) continue;
      rows.push([c, label(t, c), int(m.rps), fix(m.cpuPer10k, 3), fix(m.netCpuPer10k, 3), mb(m.maxRssKb), int(m.errors), pct(m.toolCpu, 0), pct(m.targetCpu, 0), m.failed ? `${m.n} (+${m.failed} failed)` : String(m.n)]);
    }
  }
  lines.push(table(rows, new Set([2, 3, 4, 5, 6, 7, 8])));

  const v = (c) => med[`${c}/volley`];
  const ratioRows = [['case', 'Volley vs', 'req/s', 'CPU/req', 'net CPU/req', 'peak RSS']];
  for (const c of cases) {
    if (!v(c)) continue;
    for (const t of tools) {
      if (t === 'volley' || !med[`${c}/${t}`]) continue;
      const p = med[`${c}/${t}`];
      ratioRows.push([c, label(t, c), x(ratio(v(c).rps, p.rps)), x(ratio(v(c).cpuPer10k, p.cpuPer10k)), x(ratio(v(c).netCpuPer10k, p.netCpuPer10k)), x(ratio(v(c).maxRssKb, p.maxRssKb))]);
    }
  }
  if (v('scripted') && med['plain/wrk']) {
    const p = med['plain/wrk'];
    ratioRows.push(['scripted', 'wrk (plain GET)', x(ratio(v('scripted').rps, p.rps)), x(ratio(v('scripted').cpuPer10k, p.cpuPer10k)), x(ratio(v('scripted').netCpuPer10k, p.netCpuPer10k)), x(ratio(v('scripted').maxRssKb, p.maxRssKb))]);
  }
  if (ratioRows.length > 1) {
    lines.push('', "Volley's ratios to each peer (req/s: higher is better; CPU per request and RSS: lower is better)");
    lines.push(table(ratioRows, new Set([2, 3, 4, 5])));
  }

  const verdicts = [];
  const pv = v('plain');
  const ac = med['plain/autocannon'];
  const wrk = med['plain/wrk'];
  if (pv && ac) {
    const r = ratio(pv.rps, ac.rps);
    verdicts.push({ name: `plain GET req/s >= ${TARGETS.rpsVsAutocannon}x autocannon`, ok: r !== null && r >= TARGETS.rpsVsAutocannon, detail: `${x(r)} (${int(pv.rps)} vs ${int(ac.rps)})` });
  }
  if (pv && wrk) {
    const r = ratio(pv.rps, wrk.rps);
    verdicts.push({ name: `plain GET req/s >= ${TARGETS.rpsVsWrk}x wrk`, ok: r !== null && r >= TARGETS.rpsVsWrk, detail: `${x(r)} (${int(pv.rps)} vs ${int(wrk.rps)})` });
  }
  if (v('scripted') && wrk) {
    const r = ratio(v('scripted').cpuPer10k, wrk.cpuPer10k);
    const net = ratio(v('scripted').netCpuPer10k, wrk.netCpuPer10k);
    verdicts.push({ name: `scripted GET CPU/req <= ${TARGETS.scriptedCpuVsWrkPlain}x wrk's plain GET (whole process)`, ok: r !== null && r <= TARGETS.scriptedCpuVsWrkPlain, detail: `${x(r)} (${fix(v('scripted').cpuPer10k, 3)} vs ${fix(wrk.cpuPer10k, 3)} CPU s/10k; without start-up: ${x(net)})` });
  }
  return { text: lines.join('\n'), verdicts };
}

/**
 * Memory per VU/user. `mem`: { volley?: {base, full}, locust?: {base, full} } where base/full are
 * { users, maxRssKb, steadyRssKb, rps, cpuS, errors }. Per VU = (full − base) ÷ (users − base users).
 */
export function memoryReport(mem) {
  const rows = [['tool', 'users', 'peak RSS', 'steady RSS', 'req/s', 'CPU s', 'errors', 'per VU (peak)', 'per VU (steady)']];
  const per = {};
  for (const [tool, m] of Object.entries(mem)) {
    for (const k of ['base', 'full']) {
      const r = m[k];
      if (!r) continue;
      rows.push([tool, int(r.users), mb(r.maxRssKb), mb(r.steadyRssKb), int(r.rps), fix(r.cpuS, 1), int(r.errors), '', '']);
    }
    if (m.base && m.full && !m.full.failed && !m.base.failed) {
      const n = m.full.users - m.base.users;
      const peak = ((m.full.maxRssKb - m.base.maxRssKb) * 1024) / n;
      const steady = m.full.steadyRssKb !== null && m.base.steadyRssKb !== null ? ((m.full.steadyRssKb - m.base.steadyRssKb) * 1024) / n : null;
      per[tool] = { peakBytes: peak, steadyBytes: steady };
      rows[rows.length - 1][7] = `${fix(peak / 1024, 1)} KB`;
      rows[rows.length - 1][8] = steady === null ? '-' : `${fix(steady / 1024, 1)} KB`;
    }
  }
  const verdicts = [];
  if (per.volley) {
    const kb = (p) => `${fix(p.peakBytes / 1024, 1)} KB peak, ${fix((p.steadyBytes ?? NaN) / 1024, 1)} KB steady`;
    const peers = Object.entries(per).filter(([k]) => k !== 'volley').map(([k, p]) => `${k}: ${kb(p)}`);
    verdicts.push({ name: `Volley memory per sleeping VU <= ${TARGETS.bytesPerVu / 1000} KB (peak RSS above the base)`, ok: per.volley.peakBytes <= TARGETS.bytesPerVu, detail: kb(per.volley) + (peers.length ? ` (${peers.join('; ')})` : '') });
  }
  return { text: table(rows, new Set([1, 2, 3, 4, 5, 6, 7, 8])), per, verdicts };
}

/**
 * Arrival-rate accuracy from a Volley summary: achieved vs rate × duration, and the per-second series
 * (volley.timeSeries.series.iterations) without its first and last buckets (partial seconds).
 */
export function arrivalAnalysis(parsed, rate, durationS) {
  const expected = rate * durationS;
  const ts = parsed.summary.volley?.timeSeries;
  const series = ts?.series?.iterations ?? [];
  const intervalS = (ts?.intervalMs ?? 1000) / 1000;
  // Drop leading and trailing empty buckets, then the first and last (partial) ones.
  let a = 0;
  let b = series.length;
  while (a < b && !series[a]) a++;
  while (b > a && !series[b - 1]) b--;
  const full = series.slice(a + 1, b - 1).map((v) => (v ?? 0));
  let maxDev = null;
  let min = null;
  let max = null;
  for (const v of full) {
    const d = Math.abs(v - rate) / rate;
    if (maxDev === null || d > maxDev) maxDev = d;
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  return {
    expected,
    achieved: parsed.iterations,
    countError: (parsed.iterations - expected) / expected,
    dropped: parsed.droppedIterations,
    fullSeconds: full.length,
    intervalS,
    min,
    max,
    maxSecondDeviation: maxDev,
    series,
  };
}

/** Text and verdicts for the arrival-rate analysis. */
export function arrivalReport(a, run) {
  const lines = [
    `achieved ${int(a.achieved)} of ${int(a.expected)} iterations (${a.countError >= 0 ? '+' : ''}${pct(a.countError, 3)}), dropped ${int(a.dropped)}`,
    `per ${a.intervalS === 1 ? 'second' : `${a.intervalS} s bucket`} over ${a.fullSeconds} full buckets: min ${int(a.min)}, max ${int(a.max)}, max deviation ${pct(a.maxSecondDeviation, 2)}`,
    `generator: ${fix(run.cpuS, 1)} CPU s, peak RSS ${mb(run.maxRssKb)}`,
  ];
  const verdicts = [
    { name: `arrival count within ${pct(TARGETS.arrivalCountError, 1)} of rate x duration`, ok: Math.abs(a.countError) <= TARGETS.arrivalCountError, detail: pct(a.countError, 3) },
    { name: `every full second within ${pct(TARGETS.arrivalSecondError, 0)} of the rate`, ok: a.maxSecondDeviation !== null && a.maxSecondDeviation <= TARGETS.arrivalSecondError, detail: `max deviation ${pct(a.maxSecondDeviation, 2)}` },
  ];
  return { text: lines.join('\n'), verdicts };
}

/** "[PASS] name: detail" lines. */
export function verdictLines(verdicts) {
  return verdicts.map((v) => `  [${v.ok ? 'PASS' : 'FAIL'}] ${v.name}: ${v.detail}`).join('\n');
}
