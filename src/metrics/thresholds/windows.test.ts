import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSink, type Sink } from '../sinks.js';
import { parseThresholdExpression } from './expression.js';
import { ThresholdSet, type StatReader } from './threshold-set.js';

/** A run fed bucket by bucket into a ThresholdSet, with the whole-run sink beside it. */
function run(spec: Record<string, string[]>, type: 'trend' | 'rate', abortOnFail = false) {
  const set = new ThresholdSet(Object.fromEntries(Object.entries(spec).map(([k, l]) => [k, l.map((threshold) => ({ threshold, abortOnFail, delayAbortEvalMs: 0 }))])));
  const whole: Sink = newSink(type);
  let bucket = 0;
  const reader = (): StatReader => ({ type, get: (a) => whole.get(a), percentile: (p) => whole.percentile(p) });
  return {
    set,
    /** One second of samples (all on metric 'm'). */
    second(values: number[]): void {
      const s = newSink(type);
      for (const v of values) {
        s.add(v);
        whole.add(v);
      }
      set.addBucket(bucket, [{ metric: 'm', part: 'total', key: '', delta: s.drain() }]);
      set.closeBuckets(++bucket);
    },
    live: () => set.evaluate(reader, bucket * 1000),
    final: () => set.evaluate(reader, bucket * 1000, { final: true }),
  };
}
const fill = (n: number, v: number): number[] => new Array<number>(n).fill(v);

test('windowed threshold syntax: for <duration>, budget [over <duration>]; errors name the expression', () => {
  assert.equal(parseThresholdExpression('p(95)<350 for 5m').windowMs, 300_000);
  assert.equal(parseThresholdExpression('rate < 0.02 for 1h30m').windowMs, 5_400_000);
  assert.deepEqual(parseThresholdExpression('rate<0.001 budget').budget, {});
  assert.deepEqual(parseThresholdExpression('rate<=0.001 budget over 30d').budget, { periodMs: 30 * 86_400_000 });
  assert.equal(parseThresholdExpression('p(95)<350').windowMs, undefined);
  for (const [bad, why] of [
    ['p(95)<350 for 5', /"p\(95\)<350 for 5".*window length with its unit/],
    ['p(95)<350 for 500ms', /at least 1s/],
    ['avg<300 budget', /"avg<300 budget".*on a rate/],
    ['rate>0.1 budget', /on a rate/],
    ['rate<0.001 budget over', /SLO period/],
    ['rate<0.001 for 5m budget', /not both/],
    ['p(95)<350 for 5m for 1m', /twice/],
    ['p(95)<350 during 5m', /unexpected "during 5m"/],
  ] as const) {
    assert.throws(() => parseThresholdExpression(bad), (e: Error & { code?: string }) => e.code === 'E_THRESHOLD' && why.test(e.message), bad);
  }
});

test('a windowed threshold fails on a bad stretch the whole-run aggregate hides', () => {
  const r = run({ m: ['p(95)<350 for 10s', 'p(95)<350'] }, 'trend');
  for (let s = 0; s < 100; s++) r.second(s >= 40 && s < 43 ? fill(20, 1000) : fill(20, 100));
  const [windowed, plain] = r.final();
  assert.equal(plain!.ok, true, 'the whole-run p95 is 100 ms (3 % of samples are slow)');
  assert.equal(windowed!.ok, false);
  assert.equal(windowed!.value, 1000);
  assert.equal(windowed!.window!.windowMs, 10_000);
  assert.equal(windowed!.window!.windows, 91, 'a 10 s window ending at every second from 10 s to 100 s');
  // One slow second is 10 % of a window's samples: every window holding one of seconds 40..42 fails.
  assert.equal(windowed!.window!.firstFailStartMs, 31_000, 'the first window holding second 40');
  assert.equal(windowed!.window!.failed, 12, 'windows starting at 31..42 s');
});

test('windows slide: a bad stretch that a tumbling grid would cut in halves is caught', () => {
  // Seconds 15..24 are slow (1000 ms, else 100 ms). Tumbling 10 s windows (10–20, 20–30) are each
  // half slow: avg 550 ms, under 600. Sliding windows holding 6 or more slow seconds are over.
  const r = run({ m: ['avg<600 for 10s'] }, 'trend');
  for (let s = 0; s < 40; s++) r.second(s >= 15 && s < 25 ? fill(10, 1000) : fill(10, 100));
  const [t] = r.final();
  assert.equal(t!.ok, false);
  assert.equal(t!.value, 1000);
  assert.equal(t!.window!.worstStartMs, 15_000);
  assert.equal(t!.window!.failed, 9, 'windows starting at 11..19 s');
});

test('windowed thresholds are judged live, on full windows only, and abortOnFail aborts', () => {
  const r = run({ m: ['p(95)<350 for 5s'] }, 'trend', true);
  r.second(fill(10, 1000)); // a slow first second alone is not a full window
  assert.equal(r.live()[0]!.ok, true);
  for (let s = 0; s < 3; s++) r.second(fill(10, 100));
  assert.equal(r.live()[0]!.ok, true);
  r.second(fill(10, 100)); // the first full 5 s window: 20 % slow
  const [t] = r.live();
  assert.equal(t!.ok, false);
  assert.equal(t!.shouldAbort, true);
  assert.equal(t!.window!.windows, 1);
});

test('a run shorter than its window is judged as one window over the whole run', () => {
  const r = run({ m: ['p(95)<350 for 5m'] }, 'trend');
  for (let s = 0; s < 4; s++) r.second(fill(10, s === 3 ? 1000 : 100));
  const [t] = r.final();
  assert.equal(t!.ok, false);
  assert.equal(t!.window!.partial, true);
});

test('long windows slide by a sixtieth of their length: constant work per second', () => {
  const r = run({ m: ['avg<350 for 2m'] }, 'trend');
  for (let s = 0; s < 240; s++) r.second(fill(2, 100));
  const [t] = r.final();
  assert.equal(t!.ok, true);
  assert.equal(t!.window!.windows, 61, '2 s steps from 120 s to 240 s');
});

test('an error budget reports allowed, used, remaining and burn rate; live it waits until one bad event is allowed', () => {
  const r = run({ m: ['rate<0.001 budget over 30d', 'rate<0.001'] }, 'rate', true);
  r.second([1, ...fill(99, 0)]);
  const [budget, plain] = r.live();
  assert.equal(budget!.ok, true, '100 events allow 0.1 bad event: too early to judge the budget');
  assert.equal(plain!.ok, false, 'the plain rate threshold fails on the first error');
  for (let s = 0; s < 99; s++) r.second(fill(100, 0));
  const [end] = r.final();
  assert.equal(end!.ok, true);
  assert.deepEqual(end!.budget, { unit: 'events', events: 10_000, allowed: 10, used: 1, remaining: 9, burnRate: 0.1, periodMs: 30 * 86_400_000, exhaustedInMs: 300 * 86_400_000 });
  for (let s = 0; s < 20; s++) r.second(fill(100, 1));
  const [over] = r.final();
  assert.equal(over!.ok, false);
  assert.equal(over!.budget!.used, 2001);
  assert.ok(over!.budget!.remaining < 0);
});

test("'drift<=0' judges the run's per-second series at the end: a growing one fails, a flat one passes", () => {
  const set = new ThresholdSet({ up: [{ threshold: 'drift<=0', abortOnFail: false, delayAbortEvalMs: 0 }], flat: [{ threshold: 'drift<=0', abortOnFail: false, delayAbortEvalMs: 0 }] });
  const t = Array.from({ length: 60 }, (_, i) => i * 1000);
  const series = { up: t.map((_, i) => 100 + i), flat: t.map((_, i) => 100 + (i % 3)) } as Record<string, number[]>;
  const reader = (): StatReader => ({ type: 'gauge', get: () => 1, percentile: () => undefined });
  assert.equal(set.evaluate(reader, 60_000)[0]!.ok, true, 'not judged live');
  const [up, flat] = set.evaluate(reader, 60_000, { final: true, series: (k) => ({ t, v: series[k]! }) });
  assert.equal(up!.ok, false);
  assert.ok(up!.value! > 1000, `%/h ${up!.value}`);
  assert.match(up!.drift!, /^up grew/);
  assert.equal(flat!.ok, true);
  assert.equal(flat!.value, 0);
  assert.throws(() => parseThresholdExpression('drift<0 for 5m'), /neither "for" nor "budget"/);
});
