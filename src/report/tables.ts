/**
 * The report's breakdown sections as HTML strings: checks per group, routes, scenarios, errors,
 * generator warnings and the run's metadata. Sortable tables carry the raw number of each numeric
 * cell in `data-v`, so sorting is numeric whatever the display unit.
 */
import { humanizeBytes, humanizeCount, humanizeDuration, humanizePercent, toFixedNoTrailingZeros } from '../summary/format.js';
import type { GroupData, SummaryData } from '../summary/types.js';
import { tableCells } from '../summary/declared-tables.js';
import { routeLabel, routeShares } from './analysis-hotspots.js';
import { scenarioOptions } from './analysis-verdict.js';
import { ANCHORS, errorLabel } from './findings.js';
import { esc } from './html.js';
import { runDurationMs, utcText } from './sections.js';
import { percentText } from './threshold-margin.js';

/** Routes listed in the page at most (the rest are summed in a last line). */
export const MAX_ROUTE_ROWS = 500;
/** Errors listed at most. */
export const MAX_ERROR_ROWS = 100;

/** A numeric cell: sorts by `raw`, shows `text`. */
function num(raw: number, text: string, cls = ''): string {
  return `<td class="n${cls ? ` ${cls}` : ''}" data-v="${Number.isFinite(raw) ? raw : 0}">${esc(text)}</td>`;
}

const ms = (v: number) => (Number.isFinite(v) ? humanizeDuration(v) : '–');

/** Checks per group, nested like the groups. */
export function checksHtml(data: SummaryData): string {
  const root = data.root_group;
  const count = (g: GroupData): number => (g.checks?.length ?? 0) + (g.groups ?? []).reduce((a, s) => a + count(s), 0);
  if (!root || count(root) === 0) return '';
  const checkLi = (c: GroupData['checks'][number]) => {
    const total = c.passes + c.fails;
    const rate = total === 0 ? 1 : c.passes / total;
    const mark = c.fails === 0 ? '<span class="ok">✓</span>' : '<span class="bad">✗</span>';
    // Green for the passes over a red track for the fails: a 96% check reads as mostly fine, with a sliver of red.
    const bar = `<div class="bar${c.fails > 0 ? ' fails' : ''}"><i style="width:${(rate * 100).toFixed(2)}%"></i></div>`;
    return `<li class="check" data-check="${esc(c.path)}" data-passes="${c.passes}" data-fails="${c.fails}"><span>${mark} ${esc(c.name)}</span>${bar}<span class="${c.fails === 0 ? 'muted' : 'bad'}">${esc(humanizePercent(rate))} — ✓ ${esc(humanizeCount(c.passes))} / ✗ ${esc(humanizeCount(c.fails))}</span></li>`;
  };
  const group = (g: GroupData): string => {
    const items = (g.checks ?? []).map(checkLi);
    for (const s of g.groups ?? []) if (count(s) > 0) items.push(`<li><div class="grp">▸ ${esc(s.name)}</div>${group(s)}</li>`);
    return `<ul>${items.join('')}</ul>`;
  };
  const c = data.metrics?.checks?.values;
  const head = c ? `${humanizePercent(c.rate ?? 0)} passed — ✓ ${humanizeCount(c.passes ?? 0)} / ✗ ${humanizeCount(c.fails ?? 0)}` : '';
  return `<section class="panel checks" id="${ANCHORS.checks}"><h2>Checks <span class="count">${esc(head)}</span></h2>${group(root)}</section>`;
}

/** Per-route table with shares of requests, time and failures. */
export function routesHtml(data: SummaryData): string {
  const routes = data.volley?.routes ?? [];
  if (routes.length === 0) return '';
  const shares = routeShares(routes).sort((a, b) => b.route.requests - a.route.requests);
  const shown = shares.slice(0, MAX_ROUTE_ROWS);
  const rest = shares.slice(MAX_ROUTE_ROWS);
  const withScenario = routes.some((r) => r.scenario);
  const rows = shown.map(({ route: r, time, failed }) =>
    [
      `<tr><td class="name mono">${esc(routeLabel(r))}</td>`,
      withScenario ? `<td>${esc(r.scenario)}</td>` : '',
      `<td class="n" data-v="${r.requests}">${esc(humanizeCount(r.requests))}<div class="muted" style="font-size:11.5px">${esc(toFixedNoTrailingZeros(r.rps, 1))}/s</div></td>`,
      num(r.failed, humanizeCount(r.failed), r.failed > 0 ? 'bad-text' : ''),
      num(r.errorRate, humanizePercent(r.errorRate), r.failed > 0 ? 'bad-text' : ''),
      num(r.avg, ms(r.avg)),
      num(r.p95, ms(r.p95)),
      num(r.p99, ms(r.p99)),
      num(r.max, ms(r.max)),
      `<td class="n" data-v="${time}">${esc(percentText(time))}<div class="bar"><i style="width:${(time * 100).toFixed(1)}%"></i></div></td>`,
      num(failed, failed > 0 ? percentText(failed) : '–'),
      '</tr>',
    ].join(''),
  );
  const more =
    rest.length > 0
      ? `<p class="muted">… and ${humanizeCount(rest.length)} more routes with ${humanizeCount(rest.reduce((a, s) => a + s.route.requests, 0))} requests (${humanizeCount(rest.reduce((a, s) => a + s.route.failed, 0))} failed).</p>`
      : '';
  return `<section class="panel" id="${ANCHORS.routes}"><h2>Routes <span class="count">${routes.length} by requests; click a column to sort. Time share = requests × avg latency</span></h2>
<div class="scroll"><table class="t sortable"><thead><tr><th>Route</th>${withScenario ? '<th>Scenario</th>' : ''}<th class="n">Requests</th><th class="n">Failed</th><th class="n">Error rate</th><th class="n">avg</th><th class="n">p95</th><th class="n">p99</th><th class="n">max</th><th class="n">Time share</th><th class="n">Failure share</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>${more}</section>`;
}

/** 'LLM ROUTES' → 'LLM routes': sentence case as the other sections, short acronyms kept. */
export function sentenceCase(title: string): string {
  return title.split(' ').map((w, i) => (w.length <= 3 ? w : i === 0 ? w.charAt(0) + w.slice(1).toLowerCase() : w.toLowerCase())).join(' ');
}

/** The tables protocols declare (`volley.tables`: LLM ROUTES...), one section each, after Routes. */
export function declaredTablesHtml(data: SummaryData): string {
  return (data.volley?.tables ?? [])
    .map((t) => {
      const { names, cells, more } = tableCells(data, t, MAX_ROUTE_ROWS);
      if (names.length === 0) return '';
      const title = sentenceCase(t.title);
      const rows = names.map((n, i) => `<tr><td class="name mono">${esc(n)}</td>${cells[i]!.map((c) => `<td class="n">${esc(c)}</td>`).join('')}</tr>`);
      const tail = more > 0 ? `<p class="muted">… and ${humanizeCount(more)} more.</p>` : '';
      return `<section class="panel" id="table-${esc(t.breakdown)}" data-breakdown="${esc(t.breakdown)}"><h2>${esc(title)} <span class="count">${esc(t.by.join(', '))}</span></h2>
<div class="scroll"><table class="t"><thead><tr><th>Name</th>${t.columns.map((c) => `<th class="n">${esc(c.label)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>${tail}</section>`;
    })
    .join('');
}

/** A duration option in either form: '30s' as written, or `<key>Ms` resolved. */
function durationOpt(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (typeof v === 'string') return v;
  const m = o[`${key}Ms`];
  return typeof m === 'number' ? humanizeDuration(m) : undefined;
}

/** A scenario's configuration in one line: 'stages 8m→200, 1m→200, 1m→0 · gracefulRampDown 10s'. */
export function describeScenario(o: Record<string, unknown> | undefined): string {
  if (!o) return '';
  const parts: string[] = [];
  for (const k of ['vus', 'startVUs', 'iterations', 'preAllocatedVUs', 'maxVUs', 'startRate']) if (typeof o[k] === 'number') parts.push(`${k} ${o[k]}`);
  if (typeof o.rate === 'number') parts.push(`rate ${o.rate}/${durationOpt(o, 'timeUnit') ?? '1s'}`);
  for (const k of ['duration', 'maxDuration', 'startTime', 'gracefulStop', 'gracefulRampDown']) {
    const d = durationOpt(o, k);
    if (d !== undefined && !(k === 'startTime' && (d === '0s' || d === '0'))) parts.push(`${k} ${d}`);
  }
  if (Array.isArray(o.stages)) {
    const st = (o.stages as Array<Record<string, unknown>>).map((s) => `${durationOpt(s, 'duration') ?? '?'}→${String(s.target ?? '?')}`);
    parts.unshift(`stages ${st.join(', ')}`);
  }
  if (typeof o.exec === 'string' && o.exec !== 'default') parts.push(`exec ${o.exec}`);
  return parts.join(' · ');
}

/** Per-scenario table. */
export function scenariosHtml(data: SummaryData): string {
  const scs = data.volley?.scenarios ?? [];
  if (scs.length === 0) return '';
  const rows = scs.map(
    (s) =>
      `<tr data-scenario="${esc(s.name)}"><td><b>${esc(s.name)}</b>${s.generatorLimited ? ' <span class="pill bad">generator-limited</span>' : ''}</td><td class="mono">${esc(s.executor)}</td><td class="muted">${esc(describeScenario(scenarioOptions(data, s.name)))}</td>${num(s.iterations, humanizeCount(s.iterations))}${num(s.droppedIterations, humanizeCount(s.droppedIterations), s.droppedIterations > 0 ? 'bad-text' : '')}${num(s.vusMax, humanizeCount(s.vusMax))}${num(s.iterationDurationP95, ms(s.iterationDurationP95))}</tr>`,
  );
  return `<section class="panel" id="${ANCHORS.scenarios}"><h2>Scenarios</h2><table class="t sortable"><thead><tr><th>Scenario</th><th>Executor</th><th>Configuration</th><th class="n">Iterations</th><th class="n">Dropped</th><th class="n">Peak VUs</th><th class="n">Iteration p95</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** Top errors with counts and shares. */
export function errorsHtml(data: SummaryData): string {
  const errors = [...(data.volley?.errors ?? [])].sort((a, b) => b.count - a.count);
  if (errors.length === 0) return '';
  const total = errors.reduce((a, e) => a + e.count, 0);
  const rows = errors
    .slice(0, MAX_ERROR_ROWS)
    .map(
      (e) =>
        `<tr><td>${e.kind === 'script' ? 'script' : 'HTTP'}</td><td class="name">${esc(errorLabel(e))}${e.location ? ` <span class="muted mono">at ${esc(e.location)}</span>` : ''}</td>${num(e.count, humanizeCount(e.count))}${num(e.count / total, percentText(e.count / total))}</tr>`,
    );
  const more = errors.length > MAX_ERROR_ROWS ? `<p class="muted">… and ${errors.length - MAX_ERROR_ROWS} more kinds of errors.</p>` : '';
  return `<section class="panel" id="${ANCHORS.errorsTable}"><h2>Errors <span class="count">${humanizeCount(total)} in ${errors.length} kind${errors.length === 1 ? '' : 's'}</span></h2><table class="t sortable"><thead><tr><th>Kind</th><th>Error</th><th class="n">Count</th><th class="n">Share</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</section>`;
}

/** The engine's warnings (generator health, dropped iterations, ...). */
export function warningsHtml(data: SummaryData): string {
  const w = data.volley?.warnings ?? [];
  if (w.length === 0) return '';
  return `<section class="panel warnings" id="${ANCHORS.warnings}"><h2>Warnings <span class="count">from the load generator</span></h2><ul>${w.map((x) => `<li>⚠ ${esc(x)}</li>`).join('')}</ul></section>`;
}

/** Script, times, machine, versions, and the options as they ran. */
export function metadataHtml(data: SummaryData): string {
  const x = data.volley;
  const mc = x?.machine;
  const rows: Array<[string, string]> = [
    ['Script', x?.script ?? '–'],
    ['Start', utcText(x?.startTime)],
    ['End', utcText(x?.endTime)],
    ['Duration', humanizeDuration(runDurationMs(data))],
    ['Exit code', String(x?.verdict?.exitCode ?? '–')],
    ['Volley', x?.version ?? '–'],
    ['Node.js', mc?.node ?? '–'],
    ['Machine', mc ? `${mc.hostname} — ${mc.platform}/${mc.arch}, ${mc.cpus} × ${mc.cpuModel || 'CPU'}, ${humanizeBytes(mc.memoryBytes)} memory` : '–'],
    ['Trend stats', (data.options?.summaryTrendStats ?? []).join(', ') || '–'],
  ];
  const opts = JSON.stringify(x?.options ?? {}, null, 2);
  return `<section class="panel" id="run"><h2>Run</h2><dl class="meta">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl><details><summary>Options as they ran (scenarios, thresholds)</summary><pre>${esc(opts)}</pre></details></section>`;
}
