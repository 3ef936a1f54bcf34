import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from './analysis.js';
import { detectBreakaway, detectSaturation, errorsBreakaway, generatorFinding, latencyBreakaway, saturationFinding, type LoadPoint } from './analysis-load.js';
import { ANCHORS } from './findings.js';
import { craft, wobble } from './testing/test-support.js';

test('a quiet run has no findings at all', () => {
  const a = analyze(craft());
  assert.deepEqual(a.findings, []);
  assert.deepEqual(a.recommendations, []);
});

// ------------------------------------------------------------------------------------------------
// Break-aways

test('detectBreakaway: a sustained step is found at its onset; noise and single spikes are not', () => {
  const step = Array.from({ length: 100 }, (_, i) => (i < 60 ? 100 + 5 * wobble(i) : 300 + 10 * wobble(i)));
  const b = detectBreakaway(step, { minRatio: 1.5, minRise: 2 })!;
  assert.equal(b.excursion.from, 60);
  assert.equal(b.excursion.recovered, false);
  assert.ok(Math.abs(b.baseline.level - 100) < 5);
  const noisy = Array.from({ length: 100 }, (_, i) => 100 + 20 * wobble(i));
  assert.equal(detectBreakaway(noisy, { minRatio: 1.5, minRise: 2 }), undefined);
  const spikes = Array.from({ length: 100 }, (_, i) => (i === 40 || i === 41 || i === 70 ? 900 : 100));
  assert.equal(detectBreakaway(spikes, { minRatio: 1.5, minRise: 2 }), undefined, 'two seconds are not sustained');
});

test('detectBreakaway ignores a warm-up spike before the steady part', () => {
  const s = Array.from({ length: 100 }, (_, i) => (i < 4 ? 800 : 100 + 3 * wobble(i)));
  assert.equal(detectBreakaway(s, { minRatio: 1.5, minRise: 2 }), undefined);
});

test('latency break-away at a steady load: onset, peak, recovery, and "not more load"', () => {
  const d = craft({ p95: (i) => (i >= 60 && i < 80 ? 400 : 100 * (1 + 0.05 * wobble(i))) });
  const r = latencyBreakaway(d)!;
  assert.ok(r, 'found');
  const f = r.finding;
  assert.equal(f.kind, 'latency-breakaway');
  assert.equal(f.anchor, ANCHORS.latency);
  assert.equal(f.range!.from, d.volley.timeSeries.t[60]);
  assert.equal(f.range!.to, d.volley.timeSeries.t[80]);
  assert.match(f.title, /T\+1m0s/);
  assert.match(f.title, /400ms/);
  assert.match(f.detail, /came back after 20s/);
  assert.match(f.detail, /had not grown/);
  assert.match(f.recommendation!, /the load was steady/);
});

test('latency break-away under growing load says what the load was then', () => {
  const d = craft({
    vus: (i) => (i < 60 ? 20 : 40),
    rps: (i) => (i < 60 ? 200 : 380),
    p95: (i) => (i < 60 ? 100 * (1 + 0.05 * wobble(i)) : 350),
  });
  const f = latencyBreakaway(d)!.finding;
  assert.match(f.detail, /The load had grown: 40 VUs and 380 req\/s then, against 20 VUs and 200 req\/s/);
  assert.match(f.detail, /stayed high until the end/);
  assert.match(f.recommendation!, /40 VUs \/ 380 req\/s/);
});

test('latency break-away notes a busy generator at the same time', () => {
  const d = craft({ p95: (i) => (i >= 60 ? 400 : 100), eventLoop: (i) => (i >= 60 ? 120 : 12) });
  assert.match(latencyBreakaway(d)!.finding.detail, /event-loop delay was high meanwhile/);
});

test('errors break-away: found with its onset; absent for zero errors and for steady noise', () => {
  const d = craft({ failed: (i) => (i >= 50 && i < 70 ? 0.12 : 0) });
  const lat = latencyBreakaway(d);
  const f = errorsBreakaway(d, lat?.breakaway)!;
  assert.equal(f.kind, 'errors-breakaway');
  assert.equal(f.anchor, ANCHORS.errors);
  assert.equal(f.range!.from, d.volley.timeSeries.t[50]);
  assert.match(f.title, /from 0% to 12%/);
  assert.equal(errorsBreakaway(craft()), undefined);
  assert.equal(errorsBreakaway(craft({ failed: (i) => 0.015 + 0.01 * wobble(i) })), undefined);
});

test('errors and latency breaking away together are linked', () => {
  const d = craft({ failed: (i) => (i >= 50 ? 0.2 : 0), p95: (i) => (i >= 51 ? 500 : 100) });
  const a = analyze(d);
  const e = a.findings.find((f) => f.kind === 'errors-breakaway')!;
  assert.match(e.detail, /Latency broke away at the same time/);
});

// ------------------------------------------------------------------------------------------------
// Saturation

/** A closed-model ramp: throughput grows as VUs / 125 ms until `capacity`, then latency absorbs the rest. */
function ramp(capacity: number | undefined) {
  return craft({
    seconds: 200,
    vus: (i) => 1 + i,
    rps: (i) => {
      const open = (1 + i) / 0.125;
      return (capacity === undefined ? open : Math.min(open, capacity)) * (1 + 0.01 * wobble(i));
    },
    p95: (i) => {
      const x = capacity === undefined ? (1 + i) / 0.125 : Math.min((1 + i) / 0.125, capacity);
      const r = (1 + i) / x - 0.1; // Little's law: R = N / X − Z
      return r * 1000 * 2.5;
    },
  });
}

test('saturation: throughput flat past a knee while VUs and latency grow, with Little\'s law', () => {
  const f = saturationFinding(ramp(800))!;
  assert.equal(f.kind, 'saturation');
  assert.equal(f.anchor, ANCHORS.load);
  assert.match(f.title, /plateaued at about (79\d|80\d) req\/s/);
  assert.match(f.detail, /Little's law/);
  assert.match(f.detail, /queue in the service/);
  assert.ok(f.range && f.range.from < f.range.to);
});

test('no saturation when throughput keeps scaling with VUs', () => {
  assert.equal(saturationFinding(ramp(undefined)), undefined);
});

test('no saturation for constant arrival rates alone: flat throughput is the plan', () => {
  const d = ramp(800);
  d.volley.scenarios = d.volley.scenarios.map((s) => ({ ...s, executor: 'constant-arrival-rate' }));
  assert.equal(saturationFinding(d), undefined);
});

test('throughput plateau without a latency rise points at the generator (closed models only)', () => {
  const d = craft({ seconds: 200, vus: (i) => 1 + i, rps: (i) => Math.min((1 + i) * 8, 800), p95: () => 60 });
  const f = saturationFinding(d)!;
  assert.equal(f.kind, 'throughput-plateau');
  assert.match(f.detail, /not into the service/);
  d.volley.scenarios.push({ name: 'x', executor: 'constant-arrival-rate', iterations: 1, droppedIterations: 0, vusMax: 1, iterationDurationP95: 1 });
  assert.equal(saturationFinding(d), undefined, 'an arrival-rate scenario in the mix adds its own VUs and throughput');
});

test('detectSaturation needs enough points and a real VU range', () => {
  const p = (i: number, vus: number, rps: number, p95: number): LoadPoint => ({ index: i, vus, rps, p95, avg: p95 / 2 });
  assert.equal(detectSaturation([p(0, 10, 100, 5), p(1, 100, 100, 50)]), undefined);
  const flatVus = Array.from({ length: 30 }, (_, i) => p(i, 20 + (i % 3), 200, 50));
  assert.equal(detectSaturation(flatVus), undefined);
});

// ------------------------------------------------------------------------------------------------
// Generator

test('generator: sustained event-loop delay is a finding linked to the generator chart', () => {
  const d = craft({ eventLoop: (i) => (i >= 30 && i < 45 ? 180 : 12) });
  const f = generatorFinding(d)!;
  assert.equal(f.kind, 'generator-limit');
  assert.equal(f.anchor, ANCHORS.generator);
  assert.match(f.detail, /event-loop delay \(p99\) stayed above 50 ms for 15s/);
  assert.match(f.detail, /180ms/);
  assert.equal(f.range!.from, d.volley.timeSeries.t[30]);
});

test('generator: sustained CPU is a finding; one busy second (the last, partial bucket) is not', () => {
  assert.match(generatorFinding(craft({ cpu: (i) => (i >= 10 && i < 20 ? 99 : 30) }))!.detail, /CPU was at 90% of a core or more for 10s/);
  assert.equal(generatorFinding(craft({ cpu: (i) => (i === 119 ? 100 : 30) })), undefined);
});

test('generator: warnings about the generator and generator-limited scenarios', () => {
  const w = craft();
  w.volley.warnings = ['the load generator is saturated (event-loop delay p99 80 ms, CPU 100% of a core)', 'scenario "x" dropped 3 iterations'];
  const f = generatorFinding(w)!;
  assert.equal(f.anchor, ANCHORS.warnings);
  assert.match(f.detail, /load generator is saturated/);
  assert.doesNotMatch(f.detail, /dropped 3 iterations/, 'only the warnings about the generator');
  const g = craft();
  g.volley.scenarios[0]!.generatorLimited = true;
  assert.match(generatorFinding(g)!.detail, /"s0" as generator-limited/);
  assert.equal(generatorFinding(craft()), undefined);
});
