/** The dashboard page's stylesheet (inlined into the page). Light, neutral, dense but calm. */
export const APP_CSS = String.raw`
:root {
  --bg: #f3f5f8; --card: #fff; --line: #e3e8ef; --text: #0f172a; --muted: #64748b; --faint: #94a3b8;
  --blue: #2563eb; --green: #059669; --green-bg: #ecfdf5; --red: #dc2626; --red-bg: #fef2f2; --amber: #d97706; --amber-bg: #fffbeb;
  --head: #0f172a; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html, body { margin: 0; }
body { background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; -webkit-font-smoothing: antialiased; }
.muted { color: var(--faint); }
[hidden] { display: none !important; }

.top { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: var(--head); color: #e2e8f0; box-shadow: 0 1px 0 rgba(0,0,0,.2); }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 700; font-size: 16px; letter-spacing: .2px; color: #fff; }
.run { min-width: 0; flex: 1; }
.script { font-weight: 600; color: #fff; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: var(--mono); font-size: 13px; }
.runinfo { color: #94a3b8; font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.prog { width: 240px; }
.prog-text { font-variant-numeric: tabular-nums; font-size: 13px; text-align: right; margin-bottom: 4px; color: #e2e8f0; }
.prog .muted { color: #64748b; }
.bar { height: 6px; border-radius: 3px; background: rgba(148,163,184,.25); overflow: hidden; }
.bar .fill { height: 100%; width: 0; background: #38bdf8; border-radius: 3px; transition: width .6s linear; }
.status { display: inline-flex; align-items: center; gap: 7px; padding: 4px 12px; border-radius: 999px; font-size: 12px; font-weight: 600; letter-spacing: .3px; text-transform: uppercase; background: rgba(148,163,184,.18); color: #cbd5e1; white-space: nowrap; }
.status .dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; }
.status.running { background: rgba(56,189,248,.16); color: #7dd3fc; }
.status.running .dot { animation: pulse 1.6s ease-in-out infinite; }
.status.passed { background: rgba(16,185,129,.2); color: #6ee7b7; }
.status.failed, .status.aborted { background: rgba(239,68,68,.22); color: #fca5a5; }
.status.stalled, .status.disconnected { background: rgba(245,158,11,.2); color: #fcd34d; }
@keyframes pulse { 0%, 100% { opacity: 1; } 50% { opacity: .3; } }

.banner { margin: 16px 24px 0; padding: 12px 16px; border-radius: 10px; border: 1px solid; font-weight: 500; }
.banner.passed { background: var(--green-bg); border-color: #a7f3d0; color: #065f46; }
.banner.failed { background: var(--red-bg); border-color: #fecaca; color: #991b1b; }
.banner .title { font-weight: 700; }
.banner ul { margin: 6px 0 0; padding-left: 20px; font-weight: 400; }

main { padding: 16px 24px 8px; display: flex; flex-direction: column; gap: 16px; }
#declared-tables { display: contents; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(15,23,42,.04); min-width: 0; }
h2 { font-size: 13px; margin: 0; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); font-weight: 600; }
h3 { font-size: 14px; margin: 0 0 10px; font-weight: 600; display: flex; align-items: baseline; gap: 8px; }
h3 .hint { font-weight: 400; color: var(--faint); font-size: 12px; }
h3 .count { font-weight: 500; color: var(--faint); font-size: 12px; }

.kpis { display: grid; grid-template-columns: repeat(8, minmax(0, 1fr)); gap: 12px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; border-top: 3px solid var(--line); min-width: 0; }
.kpi .label { font-size: 12px; color: var(--muted); font-weight: 500; white-space: nowrap; }
.kpi .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; margin-top: 2px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; letter-spacing: -.3px; }
.kpi .sub { font-size: 12px; color: var(--faint); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-variant-numeric: tabular-nums; }
.kpi[data-kpi="rps"] { border-top-color: #3b82f6; }
.kpi[data-kpi="vus"] { border-top-color: #8b5cf6; }
.kpi[data-kpi="p95"] { border-top-color: #f59e0b; }
.kpi[data-kpi="err"] { border-top-color: #ef4444; }
.kpi[data-kpi="checks"] { border-top-color: #10b981; }
.kpi[data-kpi="reqs"] { border-top-color: #06b6d4; }
.kpi[data-kpi="thresholds"] { border-top-color: #64748b; }
.kpi[data-kpi="gen"] { border-top-color: #0ea5e9; }
.kpi.bad { background: var(--red-bg); border-color: #fecaca; border-top-color: var(--red); }
.kpi.bad .value { color: var(--red); }
.kpi.warn { background: var(--amber-bg); border-color: #fde68a; border-top-color: var(--amber); }
.kpi.warn .value { color: var(--amber); }
.kpi.good .value { color: var(--green); }

.toolbar { display: flex; align-items: center; justify-content: space-between; margin-bottom: -4px; }
.range { display: inline-flex; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: var(--card); }
.range button { border: 0; background: none; padding: 4px 12px; font: inherit; font-size: 12px; color: var(--muted); cursor: pointer; }
.range button + button { border-left: 1px solid var(--line); }
.range button.on { background: #eff6ff; color: var(--blue); font-weight: 600; }

.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.chart .plot { min-height: 230px; }
.two { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; align-items: start; }
.uplot { font-family: inherit; }
.uplot .u-legend { font-size: 12px; text-align: left; margin-top: 2px; }
.uplot .u-legend .u-marker { width: 10px; height: 3px; border-radius: 2px; }
.uplot .u-legend th { font-weight: 500; color: var(--muted); }
.uplot .u-legend td { font-variant-numeric: tabular-nums; }

.thresholds { display: flex; flex-direction: column; gap: 6px; }
.th { display: grid; grid-template-columns: auto minmax(0, 1fr) auto; gap: 10px; align-items: center; padding: 7px 10px; border-radius: 8px; border: 1px solid var(--line); border-left: 4px solid var(--green); transition: background-color .2s; }
.th .pill { font-size: 11px; font-weight: 700; padding: 2px 8px; border-radius: 999px; background: var(--green-bg); color: var(--green); letter-spacing: .4px; }
.th .what { min-width: 0; }
.th .metric { font-family: var(--mono); font-size: 12.5px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.th .expr { font-family: var(--mono); font-size: 12.5px; color: var(--muted); }
.th .val { font-variant-numeric: tabular-nums; font-size: 13px; text-align: right; white-space: nowrap; }
.th .since { display: block; font-size: 11px; color: var(--faint); }
.th .abort { font-family: system-ui, sans-serif; font-size: 10.5px; color: var(--amber); border: 1px solid #fde68a; border-radius: 4px; padding: 0 4px; margin-left: 8px; }
.th.fail { background: var(--red-bg); border-color: #fecaca; border-left-color: var(--red); }
.th.fail .pill { background: var(--red); color: #fff; }
.th.fail .val { color: var(--red); font-weight: 600; }

.scenarios { display: flex; flex-direction: column; gap: 12px; }
.sc-head { display: flex; align-items: baseline; gap: 8px; }
.sc-name { font-weight: 600; }
.sc-exec { font-size: 12px; color: var(--muted); font-family: var(--mono); }
.sc-done { font-size: 11px; font-weight: 700; color: var(--green); background: var(--green-bg); border-radius: 999px; padding: 1px 8px; }
.sc-done.stopped { color: var(--amber); background: var(--amber-bg); }
.sc-warn { color: var(--amber); font-weight: 600; }
.sc-desc { font-size: 12px; color: var(--faint); }
.sc-bar { height: 6px; border-radius: 3px; background: #eef2f7; overflow: hidden; margin: 6px 0 4px; }
.sc-bar div { height: 100%; background: #3b82f6; border-radius: 3px; transition: width .6s linear; }
.sc-stats { display: flex; gap: 18px; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.sc-stats b { color: var(--text); font-weight: 600; }

.table-wrap { overflow: auto; max-height: 420px; }
.table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
.table th { position: sticky; top: 0; background: var(--card); text-align: right; font-weight: 500; color: var(--muted); font-size: 12px; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; user-select: none; }
.table th[data-sort] { cursor: pointer; }
.table th[data-sort]:hover { color: var(--text); }
.table th.sorted::after { content: " ↓"; }
.table th.sorted.asc::after { content: " ↑"; }
.table td { text-align: right; padding: 6px 10px; border-bottom: 1px solid #f1f4f8; white-space: nowrap; }
.table tr:last-child td { border-bottom: 0; }
.table .l { text-align: left; }
.table td.name { font-family: var(--mono); font-size: 12.5px; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
.table td.bad { color: var(--red); font-weight: 600; }
.table td.empty, .empty { color: var(--faint); text-align: center; padding: 18px; font-size: 13px; }
.table td.more { color: var(--faint); text-align: left; font-size: 12px; }
.method { font-family: var(--mono); font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 4px; background: #eef2f7; color: #334155; }
.share { width: 34%; }
.meter { display: flex; align-items: center; gap: 8px; }
.meter .track { flex: 1; height: 6px; background: #eef2f7; border-radius: 3px; overflow: hidden; min-width: 60px; }
.meter .track div { height: 100%; border-radius: 3px; }
.meter .num { min-width: 52px; text-align: right; font-size: 12px; }
.kind { font-size: 10.5px; font-weight: 700; text-transform: uppercase; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; margin-right: 6px; }
.table td.wrap { white-space: normal; overflow-wrap: anywhere; }
.err-msg { display: block; font-size: 12px; color: var(--faint); white-space: normal; }
.grp { color: var(--faint); }

.foot { display: flex; justify-content: space-between; padding: 4px 24px 20px; color: var(--faint); font-size: 12px; }
.foot a { color: var(--blue); }

@media (max-width: 1280px) { .kpis { grid-template-columns: repeat(4, minmax(0, 1fr)); } }
@media (max-width: 900px) { .charts, .two { grid-template-columns: 1fr; } .prog { display: none; } .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
`;
