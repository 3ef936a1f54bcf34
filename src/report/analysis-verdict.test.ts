import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedFinding, anchorOfMetric, checksFinding, droppedIterationsFindings, scenarioOptions, thresholdFindings } from './analysis-verdict.js';
import { ANCHORS } from './findings.js';
import { craft } from './testing/test-support.js';
import type { SummaryData } from '../summary/types.js';

function withThreshold(d: SummaryData, metric: string, expr: string, value: number | null, ok: boolean): SummaryData {
  d.volley.thresholds.push({ metric, expr, value, ok, abortOnFail: false, aborted: false });
  return d;
}

test('a failed threshold: by how much, its chart, and how much of the run was over the limit', () => {
  // p95 over 150 in the last 30 of 120 seconds only.
  const d = withThreshold(craft({ p95: (i) => (i >= 90 ? 300 : 100) }), 'http_req_duration', 'p(95)<150', 180, false);
  const [f] = thresholdFindings(d);
  assert.equal(f!.kind, 'threshold-failed');
  assert.equal(f!.severity, 'critical');
  assert.equal(f!.anchor, ANCHORS.latency);
  assert.match(f!.title, /p\(95\) = 180ms: 20% over the limit \(1\.2×\)/);
  assert.match(f!.detail, /over the limit during 25% of the run, first at T\+1m30s/);
});

test('a failed threshold whose per-second series never crossed: the tail did it', () => {
  const d = withThreshold(craft(), 'http_req_duration', 'p(95)<150', 160, false);
  assert.match(thresholdFindings(d)[0]!.detail, /never crossed the limit/);
});

test('thresholds without a matching series, with no data, and rate metrics', () => {
  const d = craft();
  withThreshold(d, 'http_req_duration{route:/a}', 'p(99)<100', 140, false);
  withThreshold(d, 'orders', 'count>10', null, false);
  const [sub, none] = thresholdFindings(d);
  assert.doesNotMatch(sub!.detail, /per-second/, 'no series for sub-metrics');
  assert.match(none!.detail, /no data/);
  const r = withThreshold(craft({ failed: () => 0.02 }), 'http_req_failed', 'rate<0.01', 0.02, false);
  const [rf] = thresholdFindings(r);
  assert.equal(rf!.anchor, ANCHORS.errors);
  assert.match(rf!.detail, /over the limit during 100% of the run/);
});

test('near misses are reported as info; comfortable passes are not', () => {
  const d = craft();
  withThreshold(d, 'http_req_duration', 'p(95)<300', 290, true);
  withThreshold(d, 'http_req_duration', 'p(99)<800', 400, true);
  const fs = thresholdFindings(d);
  assert.equal(fs.length, 1);
  assert.equal(fs[0]!.kind, 'threshold-near');
  assert.equal(fs[0]!.severity, 'info');
  assert.match(fs[0]!.title, /only 3.3% headroom/);
  assert.deepEqual(thresholdFindings(craft()), []);
});

test('an aborted run is a critical finding; a complete one is not', () => {
  const d = craft();
  d.volley.verdict = { thresholdsOk: false, aborted: true, abortReason: 'script called exec.test.abort()', exitCode: 108 };
  const f = abortedFinding(d)!;
  assert.equal(f.severity, 'critical');
  assert.match(f.title, /aborted after 2m0s: script called exec\.test\.abort\(\)/);
  assert.equal(f.anchor, ANCHORS.errorsTable);
  assert.equal(abortedFinding(craft()), undefined);
});

test('failing checks, worst first; none when all pass', () => {
  const d = craft();
  d.root_group.checks.push({ name: 'a', path: '::a', id: '1', passes: 90, fails: 10 }, { name: 'b', path: '::b', id: '2', passes: 50, fails: 50 });
  const f = checksFinding(d)!;
  assert.match(f.title, /^2 checks failed; the worst, "b" failed 50% of the time \(50 of 100\)/);
  assert.match(f.detail, /"a" failed 10%/);
  assert.equal(checksFinding(craft()), undefined);
});

test('dropped iterations: at maxVUs or below it; none without drops', () => {
  const d = craft({ executors: ['constant-arrival-rate'] });
  d.volley.scenarios[0] = { ...d.volley.scenarios[0]!, droppedIterations: 50, vusMax: 40 };
  d.volley.options = { scenarios: [{ name: 's0', executor: 'constant-arrival-rate', maxVUs: 40, rate: 100, timeUnitMs: 1000 }] };
  d.volley.timeSeries.series.dropped_iterations![30] = 5;
  const [f] = droppedIterationsFindings(d);
  assert.match(f!.title, /Scenario "s0" could not keep its arrival rate: 50 iterations dropped \(4\.8%\)/);
  assert.match(f!.detail, /all 40 VUs it may allocate \(maxVUs\) busy/);
  assert.match(f!.detail, /first at T\+30s/);
  assert.match(f!.recommendation!, /Raise maxVUs of scenario "s0" above 40/);
  d.volley.scenarios[0]!.vusMax = 10;
  assert.match(droppedIterationsFindings(d)[0]!.recommendation!, /below its maxVUs/);
  assert.deepEqual(droppedIterationsFindings(craft()), []);
});

test('scenario options in both shapes: resolved array and name map', () => {
  const d = craft();
  d.volley.options = { scenarios: [{ name: 'a', maxVUs: 3 }] };
  assert.equal(scenarioOptions(d, 'a')?.maxVUs, 3);
  d.volley.options = { scenarios: { b: { maxVUs: 4 } } };
  assert.equal(scenarioOptions(d, 'b')?.maxVUs, 4);
  assert.equal(scenarioOptions(d, 'c'), undefined);
});

test('anchors by metric', () => {
  assert.equal(anchorOfMetric('http_req_waiting{status:200}'), ANCHORS.latency);
  assert.equal(anchorOfMetric('http_req_failed'), ANCHORS.errors);
  assert.equal(anchorOfMetric('checks{group:::a}'), ANCHORS.checks);
  assert.equal(anchorOfMetric('http_reqs'), ANCHORS.load);
  assert.equal(anchorOfMetric('my_custom'), ANCHORS.thresholds);
  assert.equal(anchorOfMetric('monitor_process_resident_memory_bytes'), ANCHORS.monitors);
});

test('a failed threshold on a monitored series: its chart, and when the system under test crossed it', () => {
  const d = craft();
  d.volley.timeSeries.series.monitor_process_resident_memory_bytes = d.volley.timeSeries.t.map((_, i) => (i >= 60 ? 400e6 : 200e6));
  withThreshold(d, 'monitor_process_resident_memory_bytes', 'max<300e6', 400e6, false);
  const [f] = thresholdFindings(d);
  assert.equal(f!.anchor, ANCHORS.monitors);
  assert.match(f!.detail, /per-second max was over the limit during 50% of the run, first at T\+1m0s/);
});
