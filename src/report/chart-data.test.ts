import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryFixture } from '../summary/testing/fixtures.js';
import { buildChartData, MAX_CHART_POINTS, MAX_HISTOGRAM_BINS, monitorUnit, rebinHistogram } from './chart-data.js';
import { ANCHORS, type Finding } from './findings.js';
import { longRunSummaryFixture } from './testing/fixtures.js';

test('charts exist only for series with data, in display units', () => {
  const d = summaryFixture();
  const cd = buildChartData(d, []);
  assert.deepEqual(
    cd.charts.map((c) => c.id),
    [ANCHORS.load, ANCHORS.latency, ANCHORS.errors, ANCHORS.data, ANCHORS.generator],
  );
  const errors = cd.charts.find((c) => c.id === ANCHORS.errors)!;
  const failed = errors.series.find((s) => s.label === 'failed requests')!;
  // Rates become percentages; nulls stay nulls.
  assert.equal(failed.values[0], Number(((d.volley.timeSeries.series.http_req_failed![0] as number) * 100).toPrecision(4)));
  assert.equal(failed.values[17], null);
  const checks = errors.series.find((s) => s.label === 'failed checks')!;
  assert.equal(checks.values[0], Number(((1 - (d.volley.timeSeries.series.checks![0] as number)) * 100).toPrecision(4)));
  assert.equal(cd.dt.length, 35);
  assert.equal(cd.t0, d.volley.timeSeries.t[0]! / 1000);
  delete d.volley.timeSeries.series['volley_event_loop_delay.p99'];
  d.volley.timeSeries.series.data_received = d.volley.timeSeries.series.data_received!.map(() => null);
  d.volley.timeSeries.series.data_sent = d.volley.timeSeries.series.data_sent!.map(() => null);
  const ids = buildChartData(d, []).charts.map((c) => c.id);
  assert.ok(!ids.includes(ANCHORS.generator));
  assert.ok(!ids.includes(ANCHORS.data));
});

test('dropped iterations appear on the load chart only when some were dropped', () => {
  const d = summaryFixture();
  const load = (x: typeof d) => buildChartData(x, []).charts.find((c) => c.id === ANCHORS.load)!.series.map((s) => s.label);
  assert.ok(load(d).includes('dropped iterations/s'));
  d.volley.timeSeries.series.dropped_iterations = d.volley.timeSeries.series.dropped_iterations!.map(() => 0);
  assert.ok(!load(d).includes('dropped iterations/s'));
});

test('a 24-hour series at one point per second is downsampled, keeping latency peaks', () => {
  const d = longRunSummaryFixture();
  const p99 = d.volley.timeSeries.series['http_req_duration.p99']!;
  p99[50_000] = 98_700; // one bad second must survive downsampling
  const cd = buildChartData(d, []);
  assert.ok(cd.dt.length <= MAX_CHART_POINTS, `${cd.dt.length} points`);
  assert.equal(cd.intervalMs, 22_000);
  for (const c of cd.charts) for (const s of c.series) assert.equal(s.values.length, cd.dt.length);
  const lat = cd.charts.find((c) => c.id === ANCHORS.latency)!.series.find((s) => s.label === 'p99')!;
  assert.equal(Math.max(...lat.values.map((v) => v ?? 0)), 98_700);
  assert.equal(cd.dt[1], 22);
});

test('findings with a time range on an existing chart become marks', () => {
  const d = summaryFixture();
  const t = d.volley.timeSeries.t;
  const f = (anchor: string, range?: { from: number; to: number }): Finding => ({ kind: 'latency-breakaway', severity: 'warning', title: 't', detail: 'd', anchor, ...(range ? { range } : {}) });
  const cd = buildChartData(d, [f(ANCHORS.latency, { from: t[3]!, to: t[9]! }), f(ANCHORS.routes, { from: 0, to: 1 }), f(ANCHORS.latency)]);
  assert.deepEqual(cd.marks, [{ chart: ANCHORS.latency, from: t[3]! / 1000, to: t[9]! / 1000, label: 'latency broke away', severity: 'warning' }]);
});

test('fault windows and spikes are shaded on every time chart but the generator\'s, with their recovery', () => {
  const d = summaryFixture();
  const start = Date.parse(d.volley.startTime);
  d.volley.windows = [
    { name: 'storm', kind: 'fault', startMs: 3000, endMs: 5000, recoveryMs: 2000, recovered: true },
    { name: 'spike:api', kind: 'spike', startMs: 8000, endMs: 12_000, recoveryMs: 4000, recovered: false },
  ];
  const cd = buildChartData(d, []);
  const latency = cd.marks.filter((m) => m.chart === ANCHORS.latency);
  assert.deepEqual(latency, [
    { chart: ANCHORS.latency, from: (start + 3000) / 1000, to: (start + 5000) / 1000, label: 'fault storm · recovered in 2 s', severity: 'warning' },
    { chart: ANCHORS.latency, from: (start + 8000) / 1000, to: (start + 12_000) / 1000, label: 'spike:api · not recovered', severity: 'info' },
  ]);
  assert.equal(cd.marks.filter((m) => m.chart === ANCHORS.generator).length, 0);
  assert.equal(cd.marks.length, 2 * (cd.charts.length - 1));
});

test('rebinHistogram: few buckets kept as they are, many merged into log-spaced bins, counts preserved', () => {
  assert.equal(rebinHistogram([]), undefined);
  assert.deepEqual(rebinHistogram([[5, 2], [1, 3], [2, 0]]), { bounds: [1, 5], counts: [3, 2] });
  const fine: Array<[number, number]> = Array.from({ length: 500 }, (_, i) => [0.5 * 1.02 ** i, 1 + (i % 7)]);
  const h = rebinHistogram(fine)!;
  assert.equal(h.bounds.length, MAX_HISTOGRAM_BINS);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), fine.reduce((a, [, c]) => a + c, 0));
  for (let i = 1; i < h.bounds.length; i++) assert.ok(h.bounds[i]! > h.bounds[i - 1]!);
  assert.equal(h.bounds[h.bounds.length - 1], Number(fine[fine.length - 1]![0].toPrecision(4)));
});

test('monitored series of the system under test get their own chart, in their units; none without', () => {
  const d = summaryFixture();
  assert.ok(!buildChartData(d, []).charts.some((c) => c.id === ANCHORS.monitors));
  const n = d.volley.timeSeries.t.length;
  const s = d.volley.timeSeries.series;
  s.monitor_process_resident_memory_bytes = Array.from({ length: n }, (_, i) => 80e6 + i * 1e6);
  s.monitor_process_cpu_seconds_total = Array.from({ length: n }, () => 0.25);
  s.monitor_process_open_fds = Array.from({ length: n }, () => 42);
  s.monitor_node_network_receive_bytes_total_device_eth0 = Array.from({ length: n }, () => null); // never answered
  const chart = buildChartData(d, []).charts.find((c) => c.id === ANCHORS.monitors);
  assert.ok(chart, 'the System under test chart');
  assert.equal(chart.title, 'System under test');
  assert.deepEqual(
    chart.series.map((x) => [x.label, x.unit, x.scale, x.hidden ?? false]),
    [
      ['process_resident_memory_bytes', 'size', 'y', false],
      ['process_cpu_seconds_total', 'cores', 'y2', false],
      ['process_open_fds', 'count', 'y2', true],
    ],
  );
  assert.equal(chart.series[0]!.values[2], 82e6);
  assert.equal(chart.series[1]!.values.length, n);
});

test('monitorUnit: sizes, bytes per second, CPU cores, rates, plain numbers', () => {
  assert.equal(monitorUnit('monitor_nodejs_heap_size_used_bytes'), 'size');
  assert.equal(monitorUnit('monitor_nodejs_heap_space_size_used_bytes_space_old'), 'size');
  assert.equal(monitorUnit('monitor_node_network_receive_bytes_total'), 'bytes');
  assert.equal(monitorUnit('monitor_node_cpu_seconds_total_mode_user'), 'cores');
  assert.equal(monitorUnit('monitor_http_requests_total'), 'rate');
  assert.equal(monitorUnit('monitor_node_load1'), 'count');
});

test('an LLM run gets the charts and table volley/llm declares; a plain HTTP run none of them', async () => {
  const { recordedRun } = await import('../summary/testing/recorded-run.js');
  const { renderHtmlReport } = await import('./index.js');
  const llm = recordedRun({ llm: true }).summary;
  const cd = buildChartData(llm, []);
  const latency = cd.charts.find((c) => c.id === 'chart-llm-latency');
  assert.deepEqual(latency?.series.map((s) => [s.label, s.unit, s.scale]), [
    ['TTFT p50', 'ms', 'y'],
    ['TTFT p95', 'ms', 'y'],
    ['ITL p95', 'ms', 'y2'],
  ]);
  const tput = cd.charts.find((c) => c.id === 'chart-llm-throughput')!;
  assert.deepEqual(tput.series.find((s) => s.label === 'output tokens/s')?.values, [80, 80]);
  assert.deepEqual(tput.series.find((s) => s.label === 'LLM requests/s')?.values, [4, 4]);
  const html = renderHtmlReport(llm);
  assert.match(html, /<div class="chart" id="chart-llm-latency"><h3>LLM latency<\/h3>/);
  assert.match(html, /<a href="#table-llm_route">LLM routes<\/a>/);
  assert.match(html, /<section class="panel" id="table-llm_route" data-breakdown="llm_route"><h2>LLM routes /);
  assert.match(html, /<td class="name mono">\/api\/assistant\/query volley-sim-1<\/td><td class="n">8<\/td><td class="n">0.00%<\/td>/);

  const plain = recordedRun({ llm: false }).summary;
  const ids = buildChartData(plain, []).charts.map((c) => c.id);
  assert.deepEqual(ids, [ANCHORS.load, ANCHORS.latency, ANCHORS.errors, ANCHORS.data]);
  const plainHtml = renderHtmlReport(plain);
  assert.doesNotMatch(plainHtml, /chart-llm|table-llm_route|LLM routes/);
});
