/**
 * The report page's own script (plain ES2017, no build step), inlined after uPlot. It reads the
 * chart data from `<script id="volley-data" type="application/json">`, draws the time charts
 * (synced cursors, UTC time axis, the analysis' ranges shaded), the latency histogram with its
 * cumulative curve, keeps the charts as wide as their cards, and makes tables sortable.
 *
 * It is a string, not a module: the report is one self-contained file. Kept small on purpose
 * (the page must load in well under a second for a 24-hour run: ≤ 4,000 points per series).
 * `window.volleyReport.charts` exposes the uPlot instances (for tests and the curious).
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('volley-data').textContent);
  var charts = [];
  window.volleyReport = { charts: charts, data: D };

  // ---- value formatting, by unit -------------------------------------------------------------
  function trim(x, d) { return String(+x.toFixed(d)); }
  function num(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return trim(v / 1e9, 1) + 'G';
    if (a >= 1e6) return trim(v / 1e6, 1) + 'M';
    if (a >= 1e4) return trim(v / 1e3, 1) + 'k';
    return trim(v, a < 10 ? 2 : a < 100 ? 1 : 0);
  }
  var FMT = {
    ms: function (v) { return v >= 1000 ? trim(v / 1000, 2) + ' s' : v >= 100 ? Math.round(v) + ' ms' : trim(v, v >= 10 ? 1 : 2) + ' ms'; },
    pct: function (v) { return trim(v, v < 1 ? 2 : 1) + '%'; },
    rate: function (v) { return num(v) + '/s'; },
    count: num,
    bytes: function (v) {
      var u = ['B/s', 'kB/s', 'MB/s', 'GB/s'], i = 0;
      while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; }
      return trim(v, v < 10 ? 1 : 0) + ' ' + u[i];
    },
    size: function (v) {
      var u = ['B', 'kB', 'MB', 'GB', 'TB'], i = 0;
      while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; }
      return trim(v, v < 10 ? 1 : 0) + ' ' + u[i];
    },
    cores: function (v) { return trim(v, v < 10 ? 2 : 1) + (v === 1 ? ' core' : ' cores'); }
  };
  function fmt(unit) {
    var f = FMT[unit] || num;
    return function (u, v) { return v == null ? '–' : f(v); };
  }
  // Axis ticks short enough for the axis: cores as plain numbers, under an axis label.
  var TICK = { cores: function (v) { return trim(v, v < 10 ? 2 : 1); } };
  var AXIS_LABEL = { cores: 'CPU cores' };
  function ticks(unit) {
    var f = TICK[unit] || FMT[unit] || num;
    return function (u, vals) { return vals.map(function (v) { return v == null ? '' : f(v); }); };
  }

  // ---- shaded ranges from the analysis ------------------------------------------------------
  var SHADE = { critical: 'rgba(220,38,38,0.10)', warning: 'rgba(217,119,6,0.12)', info: 'rgba(37,99,235,0.08)' };
  var INK = { critical: '#b91c1c', warning: '#b45309', info: '#1d4ed8' };
  // Bands go under the lines (drawClear), their labels over them (draw), on a white backing.
  function span(u, m) {
    var x0 = Math.max(u.valToPos(m.from, 'x', true), u.bbox.left);
    var x1 = Math.min(u.valToPos(m.to, 'x', true), u.bbox.left + u.bbox.width);
    return x1 > x0 ? [x0, x1] : null;
  }
  function bands(marks) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      marks.forEach(function (m) {
        var s = span(u, m);
        if (!s) return;
        ctx.fillStyle = SHADE[m.severity] || SHADE.info;
        ctx.fillRect(s[0], u.bbox.top, s[1] - s[0], u.bbox.height);
      });
      ctx.restore();
    };
  }
  function labels(marks) {
    return function (u) {
      var ctx = u.ctx, px = devicePixelRatio;
      ctx.save();
      ctx.font = '600 ' + Math.round(11 * px) + 'px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      marks.forEach(function (m, i) {
        var s = span(u, m);
        if (!s) return;
        var w = ctx.measureText(m.label).width + 8 * px, y = u.bbox.top + (2 + 16 * i) * px;
        ctx.fillStyle = 'rgba(255,255,255,0.9)';
        ctx.fillRect(s[0] + 2 * px, y, w, 15 * px);
        ctx.fillStyle = INK[m.severity] || INK.info;
        ctx.fillText(m.label, s[0] + 6 * px, y + 11 * px);
      });
      ctx.restore();
    };
  }
  // Time ticks in UTC, 24 h: seconds when ticks are under a minute apart, dates for multi-day runs.
  function timeTicks(u, splits, ax, space, incr) {
    var days = (u.scales.x.max - u.scales.x.min) > 2 * 86400;
    return splits.map(function (s) {
      var iso = new Date(s * 1000).toISOString();
      return days ? iso.slice(5, 10) + ' ' + iso.slice(11, 16) : incr < 60 ? iso.slice(11, 19) : iso.slice(11, 16);
    });
  }

  function widthOf(el) { return Math.max(280, el.clientWidth); }
  var UTC = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
  var X = D.dt.map(function (d) { return D.t0 + d; });

  // ---- time charts ----------------------------------------------------------------------------
  D.charts.forEach(function (c) {
    var box = document.querySelector('#' + c.id + ' .plot');
    if (!box) return;
    var units = {};
    c.series.forEach(function (s) { units[s.scale] = units[s.scale] || s.unit; });
    var series = [{ label: 'UTC', value: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' }].concat(c.series.map(function (s) {
      return {
        label: s.label, scale: s.scale, stroke: s.color, width: 1.5, show: !s.hidden,
        fill: s.fill ? s.color + '22' : undefined, value: fmt(s.unit), spanGaps: false, points: { show: false }
      };
    }));
    var axes = [{ values: timeTicks, stroke: '#64748b', grid: { stroke: '#eef2f7' }, ticks: { stroke: '#e2e8f0' } },
      { scale: 'y', values: ticks(units.y), size: 64, stroke: '#64748b', grid: { stroke: '#eef2f7' }, ticks: { stroke: '#e2e8f0' } }];
    if (units.y2) axes.push({ scale: 'y2', side: 1, values: ticks(units.y2), size: 64, stroke: '#64748b', grid: { show: false }, ticks: { stroke: '#e2e8f0' } });
    axes.forEach(function (a) { if (a.scale && AXIS_LABEL[units[a.scale]]) { a.label = AXIS_LABEL[units[a.scale]]; a.labelSize = 16; a.labelFont = '11px system-ui, sans-serif'; } });
    var scales = { x: { time: true }, y: { range: function (u, lo, hi) { return [0, hi > 0 ? hi * 1.08 : 1]; } } };
    if (units.y2) scales.y2 = { range: function (u, lo, hi) { return [0, hi > 0 ? hi * 1.08 : 1]; } };
    var marks = D.marks.filter(function (m) { return m.chart === c.id; });
    var u = new uPlot({
      width: widthOf(box), height: 220, tzDate: UTC, series: series, axes: axes, scales: scales,
      cursor: { sync: { key: 'volley' }, points: { size: 6 } }, legend: { live: true },
      hooks: { drawClear: [bands(marks)], draw: [labels(marks)] }
    }, [X].concat(c.series.map(function (s) { return s.values; })), box);
    u.volleyBox = box;
    charts.push(u);
  });

  // ---- latency histogram: bars per bin (left), cumulative % (right) ---------------------------
  var H = D.histogram, hbox = document.querySelector('#chart-histogram .plot');
  if (H && hbox) {
    var total = H.counts.reduce(function (a, b) { return a + b; }, 0), cum = 0;
    var cdf = H.counts.map(function (c) { cum += c; return +(100 * cum / total).toFixed(3); });
    var idx = H.bounds.map(function (_, i) { return i; });
    var label = function (i) { var b = H.bounds[Math.round(i)]; return b == null ? '' : '≤ ' + FMT.ms(b); };
    var hu = new uPlot({
      width: widthOf(hbox), height: 240,
      scales: { x: { time: false, range: function () { return [-0.6, idx.length - 0.4]; } }, y: { range: function (u, lo, hi) { return [0, hi * 1.1]; } }, y2: { range: [0, 100] } },
      series: [
        { label: 'latency', value: function (u, i) { return i == null ? '–' : label(i); } },
        { label: 'requests', stroke: '#2563eb', fill: '#2563eb55', width: 1, paths: uPlot.paths.bars({ size: [0.86, 40] }), points: { show: false }, value: function (u, v) { return v == null ? '–' : num(v); } },
        { label: 'cumulative', scale: 'y2', stroke: '#f59e0b', width: 2, points: { show: false }, value: function (u, v) { return v == null ? '–' : trim(v, 2) + '%'; } }
      ],
      axes: [
        { stroke: '#64748b', grid: { show: false }, ticks: { stroke: '#e2e8f0' }, space: 56, incrs: [1, 2, 3, 4, 6, 8, 12], values: function (u, vals) { return vals.map(label); } },
        { values: ticks('count'), size: 64, stroke: '#64748b', grid: { stroke: '#eef2f7' }, ticks: { stroke: '#e2e8f0' } },
        { scale: 'y2', side: 1, size: 52, stroke: '#64748b', grid: { show: false }, values: function (u, vals) { return vals.map(function (v) { return v + '%'; }); } }
      ],
      cursor: { points: { size: 6 } }
    }, [idx, H.counts, cdf], hbox);
    hu.volleyBox = hbox;
    charts.push(hu);
  }

  // ---- keep charts as wide as their cards -----------------------------------------------------
  var pending = 0;
  function resize() {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (u) { var w = widthOf(u.volleyBox); if (w !== u.width) u.setSize({ width: w, height: u.height }); });
    });
  }
  if (window.ResizeObserver) new ResizeObserver(resize).observe(document.body); else window.addEventListener('resize', resize);

  // ---- sortable tables: click a header; numbers sort by data-v ---------------------------------
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('th').forEach(function (o) { o.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var key = function (r) { var c = r.cells[col]; var v = c && c.getAttribute('data-v'); return v != null ? +v : (c ? c.textContent : ''); };
        rows.sort(function (a, b) { var x = key(a), y = key(b); var d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)); return asc ? d : -d; });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
`;
