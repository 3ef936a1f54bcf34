/**
 * The dashboard page's script (inlined into the page after uPlot). Plain browser JavaScript kept
 * in a string, because the project compiles for Node without DOM types and ships no bundler; it
 * is syntax-checked by ui.test.ts and exercised in real Chromium by test/dashboard-browser.test.ts.
 * (Written without template literals so it can live inside this one.)
 *
 * Flow: EventSource('/events') → `init` resets the state → `update` every second appends the row
 * to the series and replaces the tables → one render per animation frame (none while the tab is
 * hidden) → `end` shows the verdict and closes the stream. Series are capped in length; the
 * server's `history` event replaces them with the downsampled history now and then.
 */
export const APP_JS = String.raw`
(function () {
  'use strict';
  var MAX_POINTS = 20000;
  var token = new URLSearchParams(location.search).get('token');
  var q = token ? '?token=' + encodeURIComponent(token) : '';
  var S = {
    meta: null, update: null, end: null, connected: false, lastMsgAt: 0,
    t: [], cols: {}, range: 0, sort: { key: 'requests', dir: -1 }, failedAt: {}, dirty: {}, es: null
  };
  window.volleyDashboard = S;

  function $(id) { return document.getElementById(id); }
  function k(name) { return document.querySelector('[data-k="' + name + '"]'); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function setText(el, s) { if (el && el.textContent !== s) el.textContent = s; }
  function setHtml(el, s) { if (el && el.__html !== s) { el.__html = s; el.innerHTML = s; } }

  // ---- formatting (en-US, fixed: what a test reads must not depend on the browser's locale) ----
  var NF = {};
  function nf(d) { return NF[d] || (NF[d] = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })); }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function fmtInt(v) { return isNum(v) ? nf(0).format(Math.round(v)) : '–'; }
  function fmtRate(v) { if (!isNum(v)) return '–'; var a = Math.abs(v); return nf(a >= 1000 ? 0 : a >= 10 ? 1 : 2).format(v); }
  function fmtMs(v) {
    if (!isNum(v)) return '–';
    if (v >= 60000) return nf(1).format(v / 60000) + ' min';
    if (v >= 1000) return nf(2).format(v / 1000) + ' s';
    return nf(v >= 100 ? 0 : v >= 10 ? 1 : 2).format(v) + ' ms';
  }
  function fmtPct(r) {
    if (!isNum(r)) return '–';
    var p = r * 100;
    if (p === 0 || p === 100) return nf(0).format(p) + '%';
    return nf(p < 10 || p > 99 ? 2 : 1).format(p) + '%';
  }
  function fmtBytes(v) {
    if (!isNum(v)) return '–';
    var u = ['B', 'kB', 'MB', 'GB', 'TB'], i = 0;
    while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return nf(i === 0 ? 0 : 1).format(v) + ' ' + u[i];
  }
  function fmtCompact(v) {
    if (!isNum(v)) return '';
    var a = Math.abs(v);
    if (a >= 1e6) return nf(a >= 1e7 ? 0 : 1).format(v / 1e6) + 'M';
    if (a >= 1e3) return nf(a >= 1e4 ? 0 : 1).format(v / 1e3) + 'k';
    return nf(a >= 10 || v === 0 || Math.round(v) === v ? 0 : a >= 1 ? 1 : 2).format(v);
  }
  function fmtElapsed(s) {
    if (!isNum(s)) return '–';
    s = Math.max(0, Math.round(s));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    var mm = h > 0 && m < 10 ? '0' + m : String(m);
    return (h > 0 ? h + ':' : '') + mm + ':' + (x < 10 ? '0' : '') + x;
  }
  function fmtThreshold(v, unit) {
    if (!isNum(v)) return 'no data';
    if (unit === 'ms') return fmtMs(v);
    if (unit === 'bytes') return fmtBytes(v);
    if (unit === 'rate') return fmtPct(v);
    return fmtRate(v);
  }

  // ---- charts ----
  var AXIS = { stroke: '#64748b', grid: { stroke: '#eef2f7', width: 1 }, ticks: { stroke: '#e3e8ef', width: 1, size: 4 }, font: '11px system-ui, sans-serif' };
  function axis(extra) { var a = {}; for (var key in AXIS) a[key] = AXIS[key]; for (key in extra) a[key] = extra[key]; return a; }
  function pct(v) { return isNum(v) ? v * 100 : null; }
  function failPct(v) { return isNum(v) ? (1 - v) * 100 : null; }
  var CHARTS = [
    { id: 'chart-throughput', series: [
      { key: 'http_reqs', label: 'Requests/s', color: '#3b82f6', fill: 'rgba(59,130,246,0.10)', scale: 'y', fmt: fmtRate },
      { key: 'iterations', label: 'Iterations/s', color: '#06b6d4', scale: 'y', fmt: fmtRate },
      { key: 'vus', label: 'VUs', color: '#8b5cf6', scale: 'vus', fmt: fmtInt, dash: [5, 4] }
    ], axes: [{ scale: 'y', fmt: fmtCompact }, { scale: 'vus', side: 1, fmt: fmtCompact, grid: false }] },
    { id: 'chart-latency', series: [
      { key: 'http_req_duration.p50', label: 'p50', color: '#10b981', scale: 'ms', fmt: fmtMs },
      { key: 'http_req_duration.p95', label: 'p95', color: '#f59e0b', scale: 'ms', fmt: fmtMs },
      { key: 'http_req_duration.p99', label: 'p99', color: '#ef4444', scale: 'ms', fmt: fmtMs }
    ], axes: [{ scale: 'ms', fmt: function (v) { return fmtCompact(v) + (v === 0 ? '' : ' ms'); }, size: 58 }] },
    { id: 'chart-errors', series: [
      { key: 'http_req_failed', label: 'Failed requests', color: '#ef4444', fill: 'rgba(239,68,68,0.10)', scale: '%', fmt: function (v) { return isNum(v) ? fmtPct(v / 100) : '–'; }, map: pct },
      { key: 'checks', label: 'Failed checks', color: '#f97316', scale: '%', fmt: function (v) { return isNum(v) ? fmtPct(v / 100) : '–'; }, map: failPct }
    ], axes: [{ scale: '%', fmt: function (v) { return fmtCompact(v) + '%'; } }], range: { '%': [0, null] } },
    { id: 'chart-health', series: [
      { key: 'volley_event_loop_delay.p99', label: 'Event-loop delay p99', color: '#0ea5e9', scale: 'ms', fmt: fmtMs },
      { key: 'volley_cpu', label: 'CPU', color: '#64748b', scale: '%', fmt: function (v) { return isNum(v) ? nf(0).format(v) + '%' : '–'; }, dash: [5, 4] }
    ], axes: [{ scale: 'ms', fmt: function (v) { return fmtCompact(v) + (v === 0 ? '' : ' ms'); }, size: 58 }, { scale: '%', side: 1, fmt: function (v) { return fmtCompact(v) + '%'; }, grid: false }] }
  ];
  var ELAPSED_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

  function lastValue(a) {
    if (!a) return null;
    for (var i = a.length - 1; i >= 0 && i >= a.length - 30; i--) if (isNum(a[i])) return a[i];
    return null;
  }

  function origin() { return S.meta ? S.meta.startTimeMs : (S.t.length ? S.t[0] : 0); }

  // Fault windows and spikes (meta.windows, ms from the start): shaded under the series, named over them.
  var WIN_SHADE = { fault: 'rgba(217,119,6,0.13)', spike: 'rgba(37,99,235,0.09)' };
  var WIN_INK = { fault: '#b45309', spike: '#1d4ed8' };
  function windowSpans(u) {
    var ws = (S.meta && S.meta.windows) || [], out = [];
    ws.forEach(function (w) {
      var x0 = Math.max(u.valToPos(w.startMs / 1000, 'x', true), u.bbox.left);
      var x1 = Math.min(u.valToPos(w.endMs / 1000, 'x', true), u.bbox.left + u.bbox.width);
      if (x1 > x0) out.push({ w: w, x0: x0, x1: x1 });
    });
    return out;
  }
  function drawWindows(u) {
    var spans = windowSpans(u), ctx = u.ctx;
    ctx.save();
    spans.forEach(function (s) {
      ctx.fillStyle = WIN_SHADE[s.w.kind] || WIN_SHADE.spike;
      ctx.fillRect(s.x0, u.bbox.top, s.x1 - s.x0, u.bbox.height);
    });
    ctx.restore();
    u.root.dataset.windows = String(spans.length);
  }
  function labelWindows(u) {
    var ctx = u.ctx, px = devicePixelRatio;
    ctx.save();
    ctx.font = '600 ' + Math.round(11 * px) + 'px system-ui, sans-serif';
    windowSpans(u).forEach(function (s, i) {
      var label = (s.w.kind === 'fault' ? 'fault ' : '') + s.w.name, y = u.bbox.top + (2 + 16 * i) * px;
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(s.x0 + 2 * px, y, ctx.measureText(label).width + 8 * px, 15 * px);
      ctx.fillStyle = WIN_INK[s.w.kind] || WIN_INK.spike;
      ctx.fillText(label, s.x0 + 6 * px, y + 11 * px);
    });
    ctx.restore();
  }

  function makeChart(def) {
    var el = $(def.id);
    var scales = { x: { time: false, range: function (u, min, max) {
      if (min == null) return [0, 60];
      var lo = S.range > 0 ? Math.max(min, max - S.range) : min;
      return [lo, Math.max(max, lo + 10)];
    } } };
    def.series.forEach(function (s) {
      if (!scales[s.scale]) scales[s.scale] = { range: function (u, min, max) {
        var lo = 0, hi = isNum(max) ? max : 1;
        if (hi <= lo) hi = lo + 1;
        return [lo, hi * 1.08];
      } };
    });
    var axes = [axis({ space: 70, incrs: ELAPSED_INCRS, values: function (u, splits) { return splits.map(fmtElapsed); } })];
    def.axes.forEach(function (a) {
      var o = axis({ scale: a.scale, values: function (u, splits) { return splits.map(a.fmt); }, size: a.size || 50 });
      if (a.side) o.side = a.side;
      if (a.grid === false) o.grid = { show: false };
      axes.push(o);
    });
    // Legend: the value under the cursor, else the newest value.
    var series = [{ label: 'Elapsed', value: function (u, v, si, idx) { return fmtElapsed(idx == null ? lastValue(u.data[0]) : v); } }];
    def.series.forEach(function (s) {
      var o = { label: s.label, stroke: s.color, width: 1.6, scale: s.scale, points: { show: false }, spanGaps: false,
        value: function (u, v, si, idx) { return s.fmt(idx == null ? lastValue(u.data[si]) : v); } };
      if (s.fill) o.fill = s.fill;
      if (s.dash) o.dash = s.dash;
      series.push(o);
    });
    def.data = [[]].concat(def.series.map(function () { return []; }));
    def.u = new uPlot({
      width: Math.max(300, el.clientWidth), height: 210, series: series, axes: axes, scales: scales,
      cursor: { drag: { x: false, y: false }, sync: { key: 'volley' }, points: { size: 6 } },
      // Room on the right for the last time label when no right-hand axis provides it.
      legend: { live: true }, padding: [8, def.axes.some(function (a) { return a.side === 1; }) ? 8 : 22, 0, 0],
      hooks: { drawClear: [drawWindows], draw: [labelWindows] }
    }, def.data, el);
  }

  function fillChartData(def, o) {
    var xs = S.t.map(function (t) { return (t - o) / 1000; });
    def.data = [xs].concat(def.series.map(function (s) {
      var col = S.cols[s.key] || [];
      return S.t.map(function (_, i) { var v = col[i]; return s.map ? s.map(v) : (isNum(v) ? v : null); });
    }));
  }
  function rebuildChartData() {
    var o = origin();
    CHARTS.forEach(function (def) { fillChartData(def, o); });
  }

  // The system under test's own metrics (options.monitors): its monitor_* columns get a chart of
  // their own, added when the first one arrives and rebuilt when another appears. Units as in the
  // report (src/report/chart-data.ts, monitorUnit): *_bytes a size, *_bytes_total bytes/s, a CPU
  // seconds counter cores in use, another *_total a rate per second, the rest plain numbers. The
  // first unit present (memory first, then CPU) has the left axis, the second the right one.
  var MON = null;
  var MON_COLORS = ['#0f766e', '#b45309', '#7c3aed', '#be123c', '#0369a1', '#4d7c0f', '#a21caf', '#475569'];
  var MON_UNITS = ['size', 'cores', 'bytes', 'rate', 'count'];
  var MON_FMT = {
    size: function (v) { return isNum(v) ? fmtBytes(v) : '–'; },
    cores: function (v) { return isNum(v) ? nf(2).format(v) + (v === 1 ? ' core' : ' cores') : '–'; },
    bytes: function (v) { return isNum(v) ? fmtBytes(v) + '/s' : '–'; },
    rate: function (v) { return isNum(v) ? fmtRate(v) + '/s' : '–'; },
    count: fmtRate
  };
  var MON_TICK = {
    size: function (v) { return v === 0 ? '0' : isNum(v) ? fmtBytes(v) : ''; },
    cores: fmtCompact,
    bytes: function (v) { return v === 0 ? '0' : isNum(v) ? fmtBytes(v) + '/s' : ''; },
    rate: function (v) { return isNum(v) ? fmtCompact(v) + '/s' : ''; },
    count: fmtCompact
  };
  function monitorUnit(key) {
    if (/_bytes_total(_|$)/.test(key)) return 'bytes';
    if (/_bytes(_|$)/.test(key)) return 'size';
    if (/cpu.*_seconds_total(_|$)/.test(key)) return 'cores';
    if (/_total(_|$)/.test(key)) return 'rate';
    return 'count';
  }
  function ensureMonitorChart() {
    var keys = Object.keys(S.cols).filter(function (key) { return key.indexOf('monitor_') === 0; }).sort();
    var sig = keys.join(' ');
    if (keys.length === 0 || (MON && MON.sig === sig)) return;
    if (!MON) {
      var card = document.createElement('div');
      card.className = 'card chart';
      card.innerHTML = '<h3>System under test <span class="hint">its own metrics (monitors), per second</span></h3><div class="plot" id="chart-monitors"></div>';
      document.querySelector('.charts').appendChild(card);
      MON = { id: 'chart-monitors' };
      CHARTS.push(MON);
      if (ro) ro.observe($(MON.id));
    } else if (MON.u) {
      MON.u.destroy();
    }
    var units = MON_UNITS.filter(function (u) { return keys.some(function (key) { return monitorUnit(key) === u; }); });
    var ordered = [];
    units.forEach(function (u) { keys.forEach(function (key) { if (monitorUnit(key) === u) ordered.push(key); }); });
    MON.sig = sig;
    MON.series = ordered.map(function (key, i) {
      var u = monitorUnit(key);
      return { key: key, label: key.slice(8), color: MON_COLORS[i % MON_COLORS.length], scale: u, fmt: MON_FMT[u] };
    });
    MON.axes = units.slice(0, 2).map(function (u, i) {
      return i === 0 ? { scale: u, fmt: MON_TICK[u], size: 64 } : { scale: u, side: 1, fmt: MON_TICK[u], size: 64, grid: false };
    });
    makeChart(MON);
    fillChartData(MON, origin());
    MON.u.root.dataset.series = String(ordered.length);
  }

  // Charts the protocols declare (meta.charts: LLM latency and throughput, SSE, WebSocket; see
  // metrics/catalog.ts TimeChart), each added when one of its columns first has a value: a run
  // without those protocols shows none. Drawn like the report's (src/report/chart-data.ts).
  var DECL = {};
  var DECL_COLORS = ['#0ea5e9', '#f59e0b', '#7c3aed', '#dc2626', '#0d9488', '#64748b'];
  function msTick(v) { return fmtCompact(v) + (v === 0 ? '' : ' ms'); }
  var DECL_UNIT = {
    ms: { fmt: fmtMs, tick: msTick },
    'per-second': { fmt: function (v) { return isNum(v) ? fmtRate(v) + '/s' : '–'; }, tick: function (v) { return isNum(v) ? fmtCompact(v) + '/s' : ''; } },
    share: { fmt: function (v) { return isNum(v) ? fmtPct(v / 100) : '–'; }, tick: function (v) { return fmtCompact(v) + '%'; }, map: pct },
    count: { fmt: fmtRate, tick: fmtCompact }
  };
  function ensureDeclaredCharts() {
    var decls = (S.meta && S.meta.charts) || [];
    decls.forEach(function (c) {
      if (DECL[c.id]) return;
      var has = c.series.some(function (l) { var col = S.cols[l.column]; return col && col.some(isNum); });
      if (!has) return;
      var card = document.createElement('div');
      card.className = 'card chart';
      card.innerHTML = '<h3>' + esc(c.title) + ' <span class="hint">' + esc(c.caption) + '</span></h3><div class="plot"></div>';
      card.querySelector('.plot').id = c.id;
      var mon = MON && $(MON.id) ? $(MON.id).parentNode : null;
      document.querySelector('.charts').insertBefore(card, mon);
      var axes = [];
      var def = { id: c.id, declared: true };
      def.series = c.series.map(function (l, i) {
        var u = DECL_UNIT[l.unit] || DECL_UNIT.count, scale = l.unit + (l.right ? ':r' : '');
        if (!axes.some(function (a) { return a.scale === scale; })) axes.push(l.right ? { scale: scale, side: 1, fmt: u.tick, size: 58, grid: false } : { scale: scale, fmt: u.tick, size: 58 });
        return { key: l.column, label: l.label, color: DECL_COLORS[i % DECL_COLORS.length], scale: scale, fmt: u.fmt, map: u.map };
      });
      def.axes = axes;
      DECL[c.id] = def;
      CHARTS.push(def);
      makeChart(def);
      fillChartData(def, origin());
      def.u.root.dataset.series = String(def.series.length);
      if (ro) ro.observe($(def.id));
    });
  }

  function appendRow(row) {
    var last = S.t.length ? S.t[S.t.length - 1] : -Infinity;
    if (!(row.t > last)) return;
    var n = S.t.length;
    S.t.push(row.t);
    for (var key in row.v) if (!S.cols[key]) { S.cols[key] = new Array(n).fill(null); }
    for (key in S.cols) S.cols[key].push(isNum(row.v[key]) ? row.v[key] : null);
    var o = origin();
    CHARTS.forEach(function (def) {
      def.data[0].push((row.t - o) / 1000);
      def.series.forEach(function (s, i) { var v = row.v[s.key]; def.data[i + 1].push(s.map ? s.map(v) : (isNum(v) ? v : null)); });
    });
    if (S.t.length > MAX_POINTS * 1.1) {
      var drop = S.t.length - MAX_POINTS;
      S.t.splice(0, drop);
      for (key in S.cols) S.cols[key].splice(0, drop);
      CHARTS.forEach(function (def) { def.data.forEach(function (a) { a.splice(0, drop); }); });
    }
    ensureMonitorChart();
    ensureDeclaredCharts();
    S.dirty.charts = true;
  }

  function setHistory(h) {
    S.t = h.t.slice();
    S.cols = {};
    for (var key in h.s) S.cols[key] = h.s[key].slice();
    rebuildChartData();
    ensureMonitorChart();
    ensureDeclaredCharts();
    S.dirty.charts = true;
  }

  function drawCharts() {
    CHARTS.forEach(function (def) {
      if (!def.u) return;
      def.u.setData(def.data, true);
      if (def.u.cursor.idx == null) def.u.setLegend({ idx: null });
    });
    var pts = S.t.length;
    document.body.dataset.points = String(pts);
  }

  // ---- header, KPIs ----
  function setStatus(cls, label) {
    var el = $('status');
    if (el.className !== 'status ' + cls) el.className = 'status ' + cls;
    setText($('status-text'), label);
    document.body.dataset.status = cls;
  }

  function renderHeader() {
    var m = S.meta;
    if (m) {
      setText($('script'), m.script);
      var started = new Date(m.startTimeMs);
      var names = Object.keys(m.scenarios || {});
      setText($('runinfo'), 'Started ' + started.toLocaleTimeString('en-GB') + ' · ' + names.length + (names.length === 1 ? ' scenario' : ' scenarios') + ' · Volley ' + m.version);
      document.title = m.script + ' · Volley';
    }
    var live = S.update && S.update.live;
    var planned = live ? live.plannedMs : m ? m.plannedMs : 0;
    var elapsed = live ? live.elapsedMs : 0;
    if (S.end) elapsed = S.end.summary.state.testRunDurationMs;
    setText($('elapsed'), fmtElapsed(elapsed / 1000));
    setText($('planned'), planned > 0 ? fmtElapsed(planned / 1000) : '–');
    var p = S.end ? 1 : planned > 0 ? Math.min(1, elapsed / planned) : 0;
    $('progress-fill').style.width = (p * 100).toFixed(1) + '%';
  }

  function kpi(name, value, sub, state) {
    setText(k(name), value);
    setText(k(name + '-sub'), sub || '');
    var card = document.querySelector('[data-kpi="' + name + '"]');
    var cls = 'kpi' + (state ? ' ' + state : '');
    if (card && card.className !== cls) card.className = cls;
  }

  function renderKpis() {
    var u = S.update;
    if (!u) return;
    var live = u.live, t = u.totals;
    var elapsedS = live.elapsedMs / 1000;
    kpi('rps', fmtRate(live.rps), 'avg ' + fmtRate(elapsedS > 0 ? t.requests / elapsedS : null) + '/s');
    kpi('vus', fmtInt(live.vus), 'of ' + fmtInt(live.vusMax) + ' allocated');
    kpi('p95', fmtMs(live.p95), 'whole test ' + fmtMs(t.p95));
    kpi('err', fmtPct(live.errorRate), 'whole test ' + fmtPct(t.errorRate), isNum(live.errorRate) && live.errorRate > 0 ? 'bad' : null);
    var checksN = t.checksPasses + t.checksFails;
    kpi('checks', checksN > 0 ? fmtPct(t.checksRate) : '–', checksN > 0 ? '✓ ' + fmtInt(t.checksPasses) + '  ✗ ' + fmtInt(t.checksFails) : 'no checks', t.checksFails > 0 ? 'warn' : null);
    kpi('reqs', fmtInt(t.requests), fmtInt(t.iterations) + ' iterations' + (t.droppedIterations > 0 ? ' · ' + fmtInt(t.droppedIterations) + ' dropped' : ''), t.droppedIterations > 0 ? 'warn' : null);
    renderThresholdKpi(u.thresholds);
    var busy = live.eventLoopDelayP99Ms > 50 || live.cpuPercent > 90;
    kpi('gen', fmtMs(live.eventLoopDelayP99Ms), (busy ? 'busy · ' : 'loop p99 · ') + 'CPU ' + nf(0).format(live.cpuPercent || 0) + '%', busy ? 'warn' : null);
  }

  function renderThresholdKpi(list) {
    var fails = list.filter(function (x) { return !x.ok; }).length;
    if (list.length === 0) kpi('thresholds', '–', 'none defined');
    else if (fails > 0) kpi('thresholds', fails + ' failing', 'of ' + list.length + ' thresholds', 'bad');
    else kpi('thresholds', 'All pass', list.length + (list.length === 1 ? ' threshold' : ' thresholds'), 'good');
  }

  // ---- thresholds, scenarios ----
  function renderThresholds(list, elapsedMs) {
    var fails = 0;
    var html = list.map(function (x) {
      var id = x.metric + ' ' + x.expr;
      if (isNum(x.failedAtMs)) S.failedAt[id] = x.failedAtMs;
      if (!x.ok) { fails++; if (S.failedAt[id] === undefined) S.failedAt[id] = elapsedMs; }
      var since = !x.ok && isNum(S.failedAt[id]) ? '<span class="since">first failed at ' + fmtElapsed(S.failedAt[id] / 1000) + '</span>' : '';
      return '<div class="th ' + (x.ok ? 'ok' : 'fail') + '" data-threshold="' + esc(id) + '">' +
        '<span class="pill">' + (x.ok ? 'PASS' : 'FAIL') + '</span>' +
        '<div class="what"><div class="metric" title="' + esc(x.metric) + '">' + esc(x.metric) + '</div><div class="expr">' + esc(x.expr) + (x.abortOnFail ? '<span class="abort">abortOnFail</span>' : '') + '</div>' + (x.note ? '<div class="since budget">' + esc(x.note) + '</div>' : '') + '</div>' +
        '<div class="val">' + esc(fmtThreshold(x.value, x.unit)) + since + '</div></div>';
    }).join('');
    setHtml($('thresholds'), html || '<div class="empty">No thresholds defined.</div>');
    setText($('thresholds-count'), list.length ? (fails ? fails + ' of ' + list.length + ' failing' : list.length + ' passing') : '');
  }

  function renderScenarios(list) {
    if (!list.length) return;
    var html = list.map(function (s) {
      var p = Math.max(0, Math.min(1, s.progress));
      return '<div class="sc" data-scenario="' + esc(s.name) + '"><div class="sc-head"><span class="sc-name">' + esc(s.name) + '</span><span class="sc-exec">' + esc(s.executor) + '</span>' +
        (s.done ? '<span class="sc-done">done</span>' : '') + '</div>' +
        (s.description ? '<div class="sc-desc">' + esc(s.description) + '</div>' : '') +
        '<div class="sc-bar"><div style="width:' + (p * 100).toFixed(1) + '%"></div></div>' +
        '<div class="sc-stats"><span><b>' + nf(0).format(p * 100) + '%</b></span><span>VUs <b>' + fmtInt(s.active) + '</b>/' + fmtInt(s.allocated) + '</span>' +
        '<span>iterations <b data-k="sc-iterations">' + fmtInt(s.iterations) + '</b></span>' +
        (s.droppedIterations ? '<span>dropped <b>' + fmtInt(s.droppedIterations) + '</b></span>' : '') +
        (isNum(s.iterationP95) ? '<span>iteration p95 <b>' + fmtMs(s.iterationP95) + '</b></span>' : '') + '</div></div>';
    }).join('');
    setHtml($('scenarios'), html);
  }

  // ---- tables ----
  function sortRows(rows) {
    var key = S.sort.key, dir = S.sort.dir;
    return rows.slice().sort(function (a, b) {
      var x = a[key], y = b[key];
      if (typeof x === 'string' || typeof y === 'string') return dir * String(x).localeCompare(String(y));
      return dir * ((isNum(x) ? x : -Infinity) - (isNum(y) ? y : -Infinity));
    });
  }

  function renderRoutes(rows, total) {
    var tb = $('routes').tBodies[0];
    if (!rows.length) { setHtml(tb, '<tr><td colspan="8" class="empty">No requests yet.</td></tr>'); setText($('routes-count'), ''); return; }
    var html = sortRows(rows).map(function (r) {
      return '<tr data-route="' + esc(r.method + ' ' + r.name) + '"><td class="l name" title="' + esc(r.name) + '">' + esc(r.name) + '</td><td class="l"><span class="method">' + esc(r.method || '–') + '</span></td>' +
        '<td data-c="requests">' + fmtInt(r.requests) + '</td><td data-c="rps">' + fmtRate(r.rps) + '</td>' +
        '<td data-c="errors"' + (r.errorRate > 0 ? ' class="bad"' : '') + '>' + fmtPct(r.errorRate) + '</td>' +
        '<td data-c="avg">' + fmtMs(r.avg) + '</td><td data-c="p95">' + fmtMs(r.p95) + '</td><td data-c="p99">' + fmtMs(r.p99) + '</td></tr>';
    }).join('');
    if (total > rows.length) html += '<tr><td colspan="8" class="more">' + fmtInt(total - rows.length) + ' quieter routes not shown (see the summary)</td></tr>';
    setHtml(tb, html);
    setText($('routes-count'), fmtInt(total) + (total === 1 ? ' route' : ' routes'));
    var ths = $('routes').tHead.rows[0].cells;
    for (var i = 0; i < ths.length; i++) {
      var on = ths[i].dataset.sort === S.sort.key;
      ths[i].className = (ths[i].classList.contains('l') ? 'l' : '') + (on ? ' sorted' + (S.sort.dir > 0 ? ' asc' : '') : '');
    }
  }

  // Tables the protocols declare (meta.tables: LLM ROUTES; see summary/declared-tables.ts), formatted
  // by the server; one card each, present only while its breakdown has rows.
  function renderDeclaredTables(tables) {
    var html = (tables || []).map(function (t) {
      var n = t.labels.length + 1;
      var rows = t.rows.map(function (r) {
        return '<tr><td class="l name" title="' + esc(r.name) + '">' + esc(r.name || '–') + '</td>' + r.cells.map(function (c) { return '<td>' + esc(c) + '</td>'; }).join('') + '</tr>';
      }).join('');
      if (t.total > t.rows.length) rows += '<tr><td colspan="' + n + '" class="more">' + fmtInt(t.total - t.rows.length) + ' quieter rows not shown (see the summary)</td></tr>';
      return '<section class="card" data-table="' + esc(t.breakdown) + '"><h3>' + esc(t.title) + ' <span class="count">' + fmtInt(t.total) + (t.total === 1 ? ' row' : ' rows') + '</span></h3>' +
        '<div class="table-wrap"><table class="table" id="table-' + esc(t.breakdown) + '"><thead><tr><th class="l">Name</th>' +
        t.labels.map(function (l) { return '<th>' + esc(l) + '</th>'; }).join('') + '</tr></thead><tbody>' + rows + '</tbody></table></div></section>';
    }).join('');
    setHtml($('declared-tables'), html);
  }

  function meter(frac, color, label) {
    var w = Math.max(0, Math.min(1, isNum(frac) ? frac : 0)) * 100;
    return '<div class="meter"><div class="track"><div style="width:' + w.toFixed(1) + '%;background:' + color + '"></div></div><span class="num">' + label + '</span></div>';
  }

  function renderErrors(rows, total) {
    var tb = $('errors').tBodies[0];
    var sum = rows.reduce(function (a, r) { return a + r.count; }, 0);
    if (!rows.length) { setHtml(tb, '<tr><td colspan="3" class="empty">No errors.</td></tr>'); setText($('errors-count'), ''); return; }
    setHtml(tb, rows.map(function (r) {
      return '<tr data-error="' + esc(r.key) + '"><td class="l wrap"><span class="kind">' + esc(r.kind) + '</span>' + esc(r.key) + (r.message && r.message !== r.key ? '<span class="err-msg">' + esc(r.message) + (r.location ? ' · ' + esc(r.location) : '') + '</span>' : '') + '</td>' +
        '<td data-c="count">' + fmtInt(r.count) + '</td><td class="l">' + meter(sum ? r.count / sum : 0, '#ef4444', fmtPct(sum ? r.count / sum : 0)) + '</td></tr>';
    }).join(''));
    setText($('errors-count'), fmtInt(sum) + ' failed' + (total > rows.length ? ' · ' + fmtInt(total) + ' kinds' : ''));
  }

  function renderChecks(rows, total) {
    var tb = $('checks').tBodies[0];
    if (!rows.length) { setHtml(tb, '<tr><td colspan="4" class="empty">No checks.</td></tr>'); setText($('checks-count'), ''); return; }
    var failing = 0;
    var html = rows.map(function (c) {
      var n = c.passes + c.fails, r = n ? c.passes / n : 1;
      if (c.fails > 0) failing++;
      var grp = c.group ? '<span class="grp">' + esc(c.group.replace(/^::/, '').split('::').join(' › ')) + ' › </span>' : '';
      return '<tr data-check="' + esc(c.name) + '"><td class="l name" title="' + esc(c.name) + '">' + grp + esc(c.name) + '</td><td class="l">' + meter(r, r >= 0.99 ? '#10b981' : r >= 0.95 ? '#f59e0b' : '#ef4444', fmtPct(r)) + '</td>' +
        '<td>' + fmtInt(c.passes) + '</td><td' + (c.fails > 0 ? ' class="bad"' : '') + '>' + fmtInt(c.fails) + '</td></tr>';
    }).join('');
    if (total > rows.length) html += '<tr><td colspan="4" class="more">' + fmtInt(total - rows.length) + ' more checks not shown</td></tr>';
    setHtml(tb, html);
    setText($('checks-count'), fmtInt(total) + ' · ' + (failing ? failing + ' failing' : 'all passing'));
  }

  // ---- the end ----
  function summaryChecks(g, out) {
    (g.checks || []).forEach(function (c) { out.push({ group: g.path || '', name: c.name, passes: c.passes, fails: c.fails }); });
    (g.groups || []).forEach(function (x) { summaryChecks(x, out); });
    return out;
  }

  function renderEndScenarios(rows, aborted) {
    if (!rows.length) return;
    setHtml($('scenarios'), rows.map(function (s) {
      return '<div class="sc" data-scenario="' + esc(s.name) + '"><div class="sc-head"><span class="sc-name">' + esc(s.name) + '</span><span class="sc-exec">' + esc(s.executor) + '</span>' +
        '<span class="sc-done' + (aborted ? ' stopped' : '') + '">' + (aborted ? 'stopped' : 'done') + '</span></div>' +
        (S.meta && S.meta.scenarios[s.name] ? '<div class="sc-desc">' + esc(S.meta.scenarios[s.name]) + '</div>' : '') +
        '<div class="sc-stats"><span>peak VUs <b>' + fmtInt(s.vusMax) + '</b></span><span>iterations <b data-k="sc-iterations">' + fmtInt(s.iterations) + '</b></span>' +
        (s.droppedIterations ? '<span>dropped <b>' + fmtInt(s.droppedIterations) + '</b></span>' : '') +
        '<span>iteration p95 <b>' + fmtMs(s.iterationDurationP95) + '</b></span>' +
        (s.generatorLimited ? '<span class="sc-warn">limited by the generator</span>' : '') + '</div></div>';
    }).join(''));
  }

  function renderEnd() {
    var sm = S.end.summary, v = sm.volley, verdict = v.verdict, m = sm.metrics;
    // A run shorter than a second may end before its first update.
    if (!S.meta) { setText($('script'), v.script); setText($('runinfo'), 'Volley ' + v.version); }
    var cls = verdict.aborted ? 'aborted' : verdict.thresholdsOk ? 'passed' : 'failed';
    setStatus(cls, verdict.aborted ? 'Aborted' : verdict.thresholdsOk ? 'Passed' : 'Failed');
    var failed = v.thresholds.filter(function (t) { return !t.ok; });
    var title = verdict.aborted ? 'Test aborted' + (verdict.abortReason ? ': ' + verdict.abortReason : '')
      : verdict.thresholdsOk ? (v.thresholds.length ? 'Test finished: all ' + v.thresholds.length + ' thresholds passed' : 'Test finished')
      : 'Test finished: ' + failed.length + ' of ' + v.thresholds.length + ' thresholds failed';
    var html = '<div class="title" id="verdict">' + esc(title) + ' · exit code ' + esc(verdict.exitCode) + '</div>';
    if (v.warnings && v.warnings.length) html += '<ul>' + v.warnings.map(function (w) { return '<li>' + esc(w) + '</li>'; }).join('') + '</ul>';
    var b = $('banner');
    b.className = 'banner ' + (cls === 'passed' ? 'passed' : 'failed');
    setHtml(b, html);
    b.hidden = false;

    var durS = sm.state.testRunDurationMs / 1000;
    var reqs = m.http_reqs ? m.http_reqs.values.count : 0;
    var dur = m.http_req_duration ? m.http_req_duration.values : {};
    var failedRate = m.http_req_failed ? m.http_req_failed.values : null;
    var checks = m.checks ? m.checks.values : null;
    kpi('rps', fmtRate(durS > 0 ? reqs / durS : null), 'average, whole test');
    kpi('vus', fmtInt(m.vus ? m.vus.values.max : null), 'peak · ' + fmtInt(m.vus_max ? m.vus_max.values.max : null) + ' allocated');
    kpi('p95', fmtMs(dur['p(95)']), 'whole test · p99 ' + fmtMs(dur['p(99)']));
    kpi('err', failedRate ? fmtPct(failedRate.rate) : '–', failedRate ? fmtInt(failedRate.passes) + ' failed' : 'no requests', failedRate && failedRate.passes > 0 ? 'bad' : null);
    if (checks) kpi('checks', fmtPct(checks.rate), '✓ ' + fmtInt(checks.passes) + '  ✗ ' + fmtInt(checks.fails), checks.fails > 0 ? 'warn' : null);
    kpi('reqs', fmtInt(reqs), fmtInt(m.iterations ? m.iterations.values.count : 0) + ' iterations');
    var list = v.thresholds.map(function (t) {
      var base = t.metric.split('{')[0], md = m[base];
      var unit = md ? (md.type === 'rate' ? 'rate' : md.contains === 'time' ? 'ms' : md.contains === 'data' ? 'bytes' : 'plain') : 'plain';
      return { metric: t.metric, expr: t.expr, ok: t.ok, value: t.value, abortOnFail: t.abortOnFail, unit: unit, failedAtMs: null };
    });
    renderThresholdKpi(list);
    renderThresholds(list, sm.state.testRunDurationMs);
    renderRoutes(v.routes, v.routes.length);
    renderErrors(v.errors, v.errors.length);
    renderDeclaredTables(S.end.tables || (S.update && S.update.tables));
    renderEndScenarios(v.scenarios, verdict.aborted);
    var cks = summaryChecks(sm.root_group, []).sort(function (a, b) { return b.fails - a.fails; });
    renderChecks(cks, cks.length);
    var link = $('summary-link');
    link.href = '/summary.json' + q;
    link.hidden = false;
    setText($('foot-left'), 'Ended ' + new Date(Date.parse(v.endTime)).toLocaleTimeString('en-GB') + ' · ran ' + fmtElapsed(durS));
    document.body.dataset.ended = '1';
  }

  // ---- render loop ----
  var frame = 0;
  function schedule() { if (!frame) frame = requestAnimationFrame(render); }
  function render() {
    frame = 0;
    if (S.dirty.charts) { S.dirty.charts = false; drawCharts(); }
    if (S.dirty.state) {
      S.dirty.state = false;
      renderHeader();
      if (S.end) renderEnd();
      else if (S.update) {
        var u = S.update;
        renderKpis();
        renderThresholds(u.thresholds, u.live.elapsedMs);
        renderScenarios(u.scenarios);
        renderRoutes(u.routes, u.routesTotal);
        renderDeclaredTables(u.tables);
        renderErrors(u.errors.map(function (e) { return { kind: 'http', key: e.key, message: '', count: e.count }; }), u.errorsTotal);
        renderChecks(u.checks, u.checksTotal);
      }
      if (!S.end) {
        if (!S.connected) setStatus('disconnected', 'Reconnecting');
        else if (!S.meta) setStatus('connecting', 'Waiting for the test');
        else setStatus('running', 'Running');
      }
    }
    document.body.dataset.ready = '1';
  }

  // ---- events ----
  function onInit(d) {
    S.meta = d.meta; S.update = d.update; S.end = d.end; S.failedAt = {};
    setHistory(d.history);
    if (S.update) renderThresholds(S.update.thresholds, S.update.live.elapsedMs);
    S.dirty.state = true;
    schedule();
  }
  function onUpdate(u) {
    S.update = u;
    if (u.row) appendRow(u.row);
    S.dirty.state = true;
    // A failing threshold shows at once, not at the next frame of a background tab.
    if (u.thresholds.some(function (x) { return !x.ok; })) { renderThresholds(u.thresholds, u.live.elapsedMs); renderThresholdKpi(u.thresholds); }
    schedule();
  }
  function onEnd(e) {
    S.end = e;
    S.dirty.state = true;
    schedule();
    // The run is over: do not reconnect when the server goes away.
    if (S.es) S.es.close();
  }

  function connect() {
    var es = new EventSource('/events' + q);
    S.es = es;
    function on(name, fn) {
      es.addEventListener(name, function (ev) {
        S.lastMsgAt = Date.now();
        var d;
        try { d = JSON.parse(ev.data); } catch (err) { return; }
        fn(d);
      });
    }
    es.onopen = function () { S.connected = true; S.lastMsgAt = Date.now(); S.dirty.state = true; schedule(); };
    es.onerror = function () {
      if (S.end) { es.close(); return; }
      S.connected = false; S.dirty.state = true; schedule();
    };
    on('init', onInit);
    on('start', function (m) { S.meta = m; ensureDeclaredCharts(); S.dirty.state = true; schedule(); });
    on('update', onUpdate);
    on('history', function (h) { setHistory(h); schedule(); });
    on('end', onEnd);
  }

  // A run that stops sending (a stuck generator) shows as stalled rather than silently frozen.
  setInterval(function () {
    if (S.end || !S.connected || !S.meta) return;
    var quiet = (Date.now() - S.lastMsgAt) / 1000;
    if (quiet > 5) setStatus('stalled', 'No data for ' + Math.round(quiet) + ' s');
  }, 1000);

  // ---- controls ----
  $('range').addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b) return;
    S.range = Number(b.dataset.range);
    Array.prototype.forEach.call(this.querySelectorAll('button'), function (x) { x.classList.toggle('on', x === b); });
    S.dirty.charts = true;
    schedule();
  });
  $('routes').tHead.addEventListener('click', function (ev) {
    var th = ev.target.closest('th[data-sort]');
    if (!th) return;
    var key = th.dataset.sort;
    S.sort = { key: key, dir: S.sort.key === key ? -S.sort.dir : (key === 'name' || key === 'method' ? 1 : -1) };
    S.dirty.state = true;
    schedule();
  });
  document.addEventListener('visibilitychange', function () { if (!document.hidden) { S.dirty.charts = true; schedule(); } });

  CHARTS.forEach(makeChart);
  var ro = null;
  if (window.ResizeObserver) {
    ro = new ResizeObserver(function () {
      CHARTS.forEach(function (def) {
        var w = Math.max(300, $(def.id).clientWidth);
        if (def.u && Math.abs(def.u.width - w) > 1) def.u.setSize({ width: w, height: 210 });
      });
    });
    CHARTS.forEach(function (def) { ro.observe($(def.id)); });
  }
  connect();
})();
`;
