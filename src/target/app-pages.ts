/**
 * The demo profile's web app (for browser tests, plan 000's dashboard and plan 001's app shell):
 * `/app/dashboard` is a server-rendered shell whose script then fetches the experiments and their
 * results from the demo API and renders them, like a single-page dashboard. When the table is
 * rendered the page sets `data-ready` on <body> and the performance mark `dashboard-ready` (time
 * since navigation start), which a test reads as the dashboard's load time.
 */

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Experiments dashboard</title>
<link rel="icon" href="data:,">
<style>body{font:15px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}</style>
<script src="/app/dashboard.js" defer></script>
</head>
<body>
<header><h1>Experiments</h1><p>Live results of running experiments.</p></header>
<main><p id="status">Loading results…</p><table id="results"><thead><tr><th>Experiment</th><th>Status</th><th>Conversion lift</th></tr></thead><tbody></tbody></table></main>
</body>
</html>
`;

export const DASHBOARD_JS = `(async function () {
  var rows = [];
  try {
    var experiments = await (await fetch('/api/experiments')).json();
    var list = Array.isArray(experiments) ? experiments : experiments.items || [];
    for (var i = 0; i < list.length; i++) {
      var e = list[i];
      var lift = '-';
      if (e.status === 'running') {
        var r = await fetch('/api/results/' + encodeURIComponent(e.id));
        lift = r.ok ? ((await r.json()).metrics[0].lift * 100).toFixed(1) + ' %' : 'unavailable';
      }
      rows.push('<tr><td>' + e.key + '</td><td>' + e.status + '</td><td>' + lift + '</td></tr>');
    }
    document.getElementById('status').textContent = list.length + ' experiments';
  } catch (err) {
    document.getElementById('status').textContent = 'Could not load results: ' + err;
  }
  document.querySelector('#results tbody').innerHTML = rows.join('');
  performance.mark('dashboard-ready');
  document.body.dataset.ready = '1';
})();
`;
