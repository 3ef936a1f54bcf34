/**
 * The dashboard page: one HTML document with uPlot (read from node_modules when the dashboard
 * starts), the stylesheet and the app inlined, so a browser loads it in one request and never
 * touches the network. The Content-Security-Policy allows exactly these scripts (by hash) and
 * connections to the page's own origin.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { VolleyError } from '../../errors/index.js';
import type { PageAssets } from '../server.js';
import { APP_JS } from './app.js';
import { APP_CSS } from './styles.js';

const require = createRequire(import.meta.url);

/** uPlot's browser build and stylesheet, from the installed `uplot` package. */
export function readUplot(): { js: string; css: string } {
  let dir: string;
  try {
    dir = join(dirname(require.resolve('uplot/package.json')), 'dist');
  } catch (e) {
    throw new VolleyError('E_DASHBOARD_ASSETS', 'the dashboard needs the "uplot" package, which is not installed', {
      hint: 'reinstall volley (npm install) so that its dependencies are present',
      cause: e,
    });
  }
  return { js: readFileSync(join(dir, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dir, 'uPlot.min.css'), 'utf8') };
}

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%230f172a'/%3E%3Cpath d='M7 9l9 16 9-16' fill='none' stroke='%2338bdf8' stroke-width='4' stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E";

const BODY = `
<header class="top">
  <div class="brand"><svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true"><rect width="32" height="32" rx="7" fill="#1e293b"/><path d="M7 9l9 16 9-16" fill="none" stroke="#38bdf8" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg><span>Volley</span></div>
  <div class="run">
    <div class="script" id="script">Waiting for the test…</div>
    <div class="runinfo" id="runinfo"></div>
  </div>
  <div class="prog">
    <div class="prog-text"><span id="elapsed">0:00</span><span class="muted"> / </span><span id="planned">–</span></div>
    <div class="bar"><div class="fill" id="progress-fill"></div></div>
  </div>
  <div id="status" class="status connecting"><span class="dot"></span><span id="status-text">Connecting</span></div>
</header>
<div id="banner" class="banner" hidden></div>
<main>
  <section class="kpis" id="kpis">
    <div class="kpi" data-kpi="rps"><div class="label">Requests/s</div><div class="value" data-k="rps">–</div><div class="sub" data-k="rps-sub"></div></div>
    <div class="kpi" data-kpi="vus"><div class="label">Virtual users</div><div class="value" data-k="vus">–</div><div class="sub" data-k="vus-sub"></div></div>
    <div class="kpi" data-kpi="p95"><div class="label">Latency p95</div><div class="value" data-k="p95">–</div><div class="sub" data-k="p95-sub"></div></div>
    <div class="kpi" data-kpi="err"><div class="label">Error rate</div><div class="value" data-k="err">–</div><div class="sub" data-k="err-sub"></div></div>
    <div class="kpi" data-kpi="checks"><div class="label">Checks passed</div><div class="value" data-k="checks">–</div><div class="sub" data-k="checks-sub"></div></div>
    <div class="kpi" data-kpi="reqs"><div class="label">Requests</div><div class="value" data-k="reqs">–</div><div class="sub" data-k="reqs-sub"></div></div>
    <div class="kpi" data-kpi="thresholds"><div class="label">Thresholds</div><div class="value" data-k="thresholds">–</div><div class="sub" data-k="thresholds-sub"></div></div>
    <div class="kpi" data-kpi="gen"><div class="label">Generator</div><div class="value" data-k="gen">–</div><div class="sub" data-k="gen-sub"></div></div>
  </section>
  <div class="toolbar"><h2>Over time</h2><div class="range" id="range" role="group" aria-label="Time range"><button data-range="300">5m</button><button data-range="900">15m</button><button data-range="3600">1h</button><button data-range="0" class="on">All</button></div></div>
  <section class="charts">
    <div class="card chart"><h3>Throughput <span class="hint">requests/s, iterations/s · VUs (right)</span></h3><div class="plot" id="chart-throughput"></div></div>
    <div class="card chart"><h3>Latency <span class="hint">http_req_duration per second</span></h3><div class="plot" id="chart-latency"></div></div>
    <div class="card chart"><h3>Errors <span class="hint">failed requests and checks, % per second</span></h3><div class="plot" id="chart-errors"></div></div>
    <div class="card chart"><h3>Generator health <span class="hint">event-loop delay p99 · CPU % (right)</span></h3><div class="plot" id="chart-health"></div></div>
  </section>
  <section class="two">
    <div class="card"><h3>Thresholds <span class="count" id="thresholds-count"></span></h3><div id="thresholds" class="thresholds"><div class="empty">No thresholds defined.</div></div></div>
    <div class="card"><h3>Scenarios</h3><div id="scenarios" class="scenarios"><div class="empty">Waiting for the test to start.</div></div></div>
  </section>
  <section class="card">
    <h3>Routes <span class="count" id="routes-count"></span></h3>
    <div class="table-wrap"><table class="table" id="routes">
      <thead><tr><th data-sort="name" class="l">Route</th><th data-sort="method" class="l">Method</th><th data-sort="requests">Requests</th><th data-sort="rps">RPS</th><th data-sort="errorRate">Errors</th><th data-sort="avg">Avg</th><th data-sort="p95">p95</th><th data-sort="p99">p99</th></tr></thead>
      <tbody><tr><td colspan="8" class="empty">No requests yet.</td></tr></tbody>
    </table></div>
  </section>
  <div id="declared-tables"></div>
  <section class="two">
    <div class="card"><h3>Errors by type <span class="count" id="errors-count"></span></h3><div class="table-wrap"><table class="table" id="errors"><thead><tr><th class="l">Error</th><th>Count</th><th class="l share">Share</th></tr></thead><tbody><tr><td colspan="3" class="empty">No errors.</td></tr></tbody></table></div></div>
    <div class="card"><h3>Checks <span class="count" id="checks-count"></span></h3><div class="table-wrap"><table class="table" id="checks"><thead><tr><th class="l">Check</th><th class="l share">Pass rate</th><th>Passed</th><th>Failed</th></tr></thead><tbody><tr><td colspan="4" class="empty">No checks.</td></tr></tbody></table></div></div>
  </section>
</main>
<footer class="foot"><span id="foot-left"></span><a id="summary-link" hidden>summary.json</a></footer>
`;

/** Builds the page and its Content-Security-Policy. Reads uPlot from node_modules (once per start). */
export function buildPage(uplot: { js: string; css: string } = readUplot()): PageAssets {
  const scripts = [uplot.js, APP_JS];
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
  const html =
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Volley · live dashboard</title>' +
    `<link rel="icon" href="${FAVICON}">` +
    `<style>${uplot.css}</style><style>${APP_CSS}</style>` +
    `</head><body>${BODY}` +
    scripts.map((s) => `<script>${s}</script>`).join('') +
    '</body></html>\n';
  const csp = [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    // uPlot and the app set element styles; nothing is loaded from elsewhere.
    "style-src 'unsafe-inline'",
    "img-src data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}
