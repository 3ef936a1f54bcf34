import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedSummaryFixture, passingSummaryFixture, summaryFixture } from '../summary/testing/fixtures.js';
import { analyze } from './analysis.js';
import { longRunSummaryFixture, saturationSummaryFixture } from './testing/fixtures.js';
import { ANCHORS } from './findings.js';
import { craft } from './testing/test-support.js';

const kinds = (d: Parameters<typeof analyze>[0]) => analyze(d).findings.map((f) => f.kind);

test('the saturation fixture: saturation, both break-aways, failed thresholds, hotspots', () => {
  const a = analyze(saturationSummaryFixture());
  const k = a.findings.map((f) => f.kind);
  for (const want of ['threshold-failed', 'latency-breakaway', 'errors-breakaway', 'saturation', 'error-hotspot', 'latency-hotspot', 'checks-failed'] as const) {
    assert.ok(k.includes(want), `has ${want}: ${k.join(', ')}`);
  }
  assert.ok(!k.includes('generator-limit'), 'the generator was fine');
  const sat = a.findings.find((f) => f.kind === 'saturation')!;
  assert.match(sat.title, /plateaued at about (9\d\d|1,0\d\d) req\/s/);
  // Break-aways happen near the knee, under a grown load.
  assert.match(a.findings.find((f) => f.kind === 'latency-breakaway')!.detail, /The load had grown/);
});

test('the 24-hour soak fixture: nothing but its steady self', () => {
  const k = kinds(longRunSummaryFixture(20_000));
  for (const no of ['latency-breakaway', 'errors-breakaway', 'saturation', 'throughput-plateau', 'generator-limit', 'threshold-failed'] as const) {
    assert.ok(!k.includes(no), `no ${no}: ${k.join(', ')}`);
  }
});

test('the summary fixtures: failed thresholds only when they failed, abort only when aborted', () => {
  assert.equal(kinds(summaryFixture()).filter((k) => k === 'threshold-failed').length, 2);
  assert.ok(!kinds(summaryFixture()).includes('test-aborted'));
  assert.ok(!kinds(passingSummaryFixture()).includes('threshold-failed'));
  const aborted = analyze(abortedSummaryFixture());
  assert.equal(aborted.findings[0]!.kind, 'test-aborted');
});

test('findings are ordered by severity, then by topic; recommendations are deduplicated', () => {
  const d = craft({ p95: (i) => (i >= 60 ? 400 : 100) });
  d.volley.thresholds.push({ metric: 'http_req_duration', expr: 'p(95)<300', value: 390, ok: false, abortOnFail: false, aborted: false });
  d.volley.thresholds.push({ metric: 'http_req_duration', expr: 'p(90)<1000', value: 950, ok: true, abortOnFail: false, aborted: false });
  d.volley.warnings = ['the load generator is saturated (event-loop delay p99 80 ms)'];
  const a = analyze(d);
  assert.deepEqual(
    a.findings.map((f) => f.severity),
    [...a.findings.map((f) => f.severity)].sort((x, y) => ['critical', 'warning', 'info'].indexOf(x) - ['critical', 'warning', 'info'].indexOf(y)),
  );
  assert.deepEqual(
    a.findings.map((f) => f.kind),
    ['threshold-failed', 'latency-breakaway', 'generator-limit', 'threshold-near'],
  );
  assert.equal(new Set(a.recommendations).size, a.recommendations.length);
  assert.equal(a.recommendations.length, 2);
  for (const f of a.findings) assert.ok(Object.values(ANCHORS).includes(f.anchor as never), `${f.kind} links to a known anchor`);
});

test('no series at all: the analysis still works from the tables', () => {
  const d = summaryFixture();
  d.volley.timeSeries = { intervalMs: 1000, t: [], series: {} };
  const k = kinds(d);
  assert.ok(k.includes('threshold-failed'));
  assert.ok(!k.includes('latency-breakaway'));
  assert.ok(!k.includes('saturation'));
});
