/** The report's stylesheet (inlined after uPlot's): a light, print-friendly layout with system fonts. */
export const REPORT_CSS = `
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f1f5f9; --card: #fff;
  --ok: #15803d; --ok-bg: #dcfce7; --bad: #b91c1c; --bad-bg: #fee2e2; --warn: #b45309; --warn-bg: #fef3c7;
  --info: #1d4ed8; --info-bg: #dbeafe; --accent: #2563eb;
}
* { box-sizing: border-box; }
html { scroll-behavior: smooth; scroll-padding-top: 64px; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { background: #0f172a; color: #e2e8f0; padding: 22px 0 18px; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header.top .brand { font-size: 12px; letter-spacing: .12em; text-transform: uppercase; color: #94a3b8; font-weight: 600; }
header.top h1 { margin: 4px 0 6px; font-size: 24px; font-weight: 650; color: #fff; word-break: break-all; }
header.top .sub { color: #cbd5e1; font-size: 13px; }
header.top .sub span + span::before { content: "·"; margin: 0 8px; color: #64748b; }
.head-row { display: flex; justify-content: space-between; align-items: center; gap: 24px; flex-wrap: wrap; }
.verdict { border-radius: 10px; padding: 10px 16px; font-weight: 650; font-size: 15px; display: flex; gap: 10px; align-items: center; }
.verdict.ok { background: var(--ok-bg); color: var(--ok); }
.verdict.bad { background: var(--bad-bg); color: var(--bad); }
.verdict .why { font-weight: 450; font-size: 13px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,.92); backdrop-filter: blur(6px); border-bottom: 1px solid var(--line); }
nav.toc .wrap { display: flex; gap: 4px; overflow-x: auto; padding-top: 8px; padding-bottom: 8px; }
nav.toc a { color: var(--muted); padding: 4px 10px; border-radius: 6px; white-space: nowrap; font-size: 13px; }
nav.toc a:hover { background: var(--bg); color: var(--ink); text-decoration: none; }
main { padding: 20px 0 48px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.card .v { font-size: 22px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; }
.card .s { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
.card.bad .v { color: var(--bad); }
section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px; margin-bottom: 20px; }
section.panel > h2 { margin: 0 0 12px; font-size: 16px; font-weight: 650; display: flex; align-items: baseline; gap: 10px; }
section.panel > h2 .count { color: var(--muted); font-weight: 450; font-size: 13px; }
.muted { color: var(--muted); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
.grid2 > .chart:last-child:nth-child(odd) { grid-column: 1 / -1; }
.chart { border: 1px solid var(--line); border-radius: 10px; padding: 12px 12px 6px; min-width: 0; }
.chart h3 { margin: 0; font-size: 14px; font-weight: 620; }
.chart .cap { color: var(--muted); font-size: 12px; margin-bottom: 6px; }
.chart:target, .panel:target { outline: 3px solid #93c5fd; outline-offset: 2px; }
.plot { width: 100%; min-height: 120px; }
.findings { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--info); border-radius: 8px; padding: 10px 14px; }
.finding.critical { border-left-color: var(--bad); background: #fffafa; }
.finding.warning { border-left-color: #d97706; background: #fffdf7; }
.finding .t { font-weight: 620; }
.finding .d { color: #334155; margin-top: 3px; font-size: 13.5px; }
.finding .go { font-size: 12.5px; white-space: nowrap; margin-left: 8px; }
.sev { display: inline-block; font-size: 11px; font-weight: 650; text-transform: uppercase; letter-spacing: .05em; border-radius: 4px; padding: 1px 6px; margin-right: 8px; vertical-align: 1px; }
.sev.critical { background: var(--bad-bg); color: var(--bad); }
.sev.warning { background: var(--warn-bg); color: var(--warn); }
.sev.info { background: var(--info-bg); color: var(--info); }
.recs { margin: 14px 0 0; padding: 12px 16px 12px 34px; background: #f8fafc; border-radius: 8px; border: 1px solid var(--line); }
.recs li { margin: 3px 0; }
.empty { color: var(--muted); font-style: italic; }
table.t { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.t th, table.t td { text-align: left; padding: 6px 9px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.t th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; background: #f8fafc; position: sticky; top: 41px; }
table.t td.n, table.t th.n { text-align: right; white-space: nowrap; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
table.t tr:hover td { background: #f8fafc; }
table.t td.name { word-break: break-word; min-width: 200px; }
.scroll { max-height: 560px; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
.scroll table.t th { top: 0; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; }
.pill.ok { background: var(--ok-bg); color: var(--ok); }
.pill.bad { background: var(--bad-bg); color: var(--bad); }
.pill.warn { background: var(--warn-bg); color: var(--warn); }
.bad-text { color: var(--bad); font-weight: 600; }
.bar { height: 6px; background: #e2e8f0; border-radius: 3px; min-width: 60px; overflow: hidden; margin-top: 4px; }
.bar > i { display: block; height: 100%; background: var(--accent); }
.checks ul { list-style: none; margin: 0; padding-left: 18px; }
.checks > ul { padding-left: 0; }
.checks li { padding: 3px 0; }
.checks li.check { display: grid; grid-template-columns: minmax(220px, 360px) 160px auto; gap: 14px; align-items: center; }
.checks .bar { margin: 0; }
.checks .bar > i { background: #16a34a; }
.checks .bar.fails { background: #fca5a5; }
.checks .grp { font-weight: 620; margin-top: 6px; }
.checks .ok { color: var(--ok); }
.checks .bad { color: var(--bad); }
.warnings li { margin: 4px 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; word-break: break-word; }
details summary { cursor: pointer; color: var(--accent); margin-top: 10px; }
pre { background: #f8fafc; border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow: auto; max-height: 420px; font-size: 12px; }
.pcts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
.pcts div { border: 1px solid var(--line); border-radius: 8px; padding: 4px 10px; font-variant-numeric: tabular-nums; }
.pcts b { color: var(--muted); font-weight: 500; margin-right: 6px; font-size: 12px; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 0 0 32px; }
.u-legend { font-size: 12px; }
.u-legend .u-marker { border-radius: 2px; }
@media print { nav.toc { display: none; } body { background: #fff; } section.panel { break-inside: avoid; } }
`;
