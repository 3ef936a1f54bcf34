/**
 * Error budgets in seconds of SLO breach, on synthetic per-second data: which windows breach, the
 * breached seconds, the run's allowance, the burn rate, the shared union, live judgement, bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSink, type Sink, type SinkDelta } from '../sinks.js';
import { parseThresholdExpression } from './expression.js';
import { collectThresholdProblems } from './validate.js';
import { ThresholdSet, type StatReader, type ThresholdEval } from './threshold-set.js';
import { BreachUnion, breachAccount, type TimeBudgetState } from './time-budget.js';

const DAY = 86_400_000;
type Kind = 'trend' | 'rate';

/** A run fed second by second into a ThresholdSet: each second gives samples per metric. */
function run(spec: Record<string, Array<string | { threshold: string; abortOnFail: boolean }>>, types: Record<string, Kind>) {
  const set = new ThresholdSet(
    Object.fromEntries(Object.entries(spec).map(([k, l]) => [k, l.map((t) => (typeof t === 'string' ? { threshold: t, abortOnFail: false, delayAbortEvalMs: 0 } : { ...t, delayAbortEvalMs: 0 }))])),
  );
  const whole = new Map<string, Sink>(Object.entries(types).map(([m, t]) => [m, newSink(t)]));
  let bucket = 0;
  const reader = (key: string): StatReader => {
    const s = whole.get(key)!;
    return { type: types[key]!, get: (a) => s.get(a), percentile: (p) => s.percentile(p) };
  };
  return {
    /** One second: metric → its samples (a metric left out had none that second). */
    second(samples: Record<string, number[]>): void {
      const entries: Array<{ metric: string; part: string; key: string; delta: SinkDelta }> = [];
      for (const [metric, values] of Object.entries(samples)) {
        const s = newSink(types[metric]!);
        for (const v of values) {
          s.add(v);
          whole.get(metric)!.add(v);
        }
        entries.push({ metric, part: 'total', key: '', delta: s.drain() });
      }
      set.addBucket(bucket, entries);
      set.closeBuckets(++bucket);
    },
    live: (): ThresholdEval[] => set.evaluate(reader, bucket * 1000),
    final: (elapsedMs = bucket * 1000): ThresholdEval[] => set.evaluate(reader, elapsedMs, { final: true }),
  };
}
const fill = (n: number, v: number): number[] => new Array<number>(n).fill(v);
const tb = (e: ThresholdEval | undefined): TimeBudgetState => e!.budget as TimeBudgetState;

test('time budget syntax: budget <time> over <period> [per <window>]; the window defaults to 1m', () => {
  assert.deepEqual(parseThresholdExpression('p(95)<350 budget 28800s over 30d').timeBudget, { budgetMs: 28_800_000, periodMs: 30 * DAY, windowMs: 60_000 });
  assert.deepEqual(parseThresholdExpression('p(95)<350 per 10s budget 8h over 30d').timeBudget, { budgetMs: 8 * 3_600_000, periodMs: 30 * DAY, windowMs: 10_000 });
  assert.deepEqual(parseThresholdExpression('rate<0.01 budget 1h over 1d per 1s').timeBudget, { budgetMs: 3_600_000, periodMs: DAY, windowMs: 1000 });
  assert.equal(parseThresholdExpression('rate<0.001 budget over 30d').timeBudget, undefined, 'the event budget is unchanged');
  assert.deepEqual(parseThresholdExpression('rate<0.001 budget over 30d').budget, { periodMs: 30 * DAY });
  for (const [bad, why] of [
    ['p(95)<350 budget 40d over 30d', /"p\(95\)<350 budget 40d over 30d".*the time budget \(40d\) is longer than its period \(30d\)/],
    ['p(95)<350 budget 28800x over 30d', /"p\(95\)<350 budget 28800x over 30d".*the time budget "28800x" is not a duration with a unit/],
    ['p(95)<350 budget 28800 over 30d', /"28800" is not a duration with a unit/],
    ['p(95)<350 budget 28800s', /a time budget needs its period: "budget 8h over 30d"/],
    ['p(95)<350 budget 28800s over 30x', /SLO period with its unit/],
    ['p(95)<350 per 1m', /"per" sets the window of a time budget/],
    ['p(95)<350 per 1500ms budget 1h over 1d', /whole number of seconds/],
    ['p(95)<350 per 2d budget 1h over 1d', /longer than the budget's period/],
    ['p(95)<350 for 5m budget 1h over 1d', /not both/],
    ['drift<=0 budget 1h over 1d', /drift is judged over the whole run/],
    ['p(95)<350 budget 1h over 1d budget 1h over 1d', /twice/],
  ] as const) {
    assert.throws(() => parseThresholdExpression(bad), (e: Error & { code?: string; exitCode?: number }) => e.code === 'E_THRESHOLD' && e.exitCode === 104 && why.test(e.message), bad);
  }
  const problems = collectThresholdProblems({ vus: [{ threshold: 'value>0 budget 1h over 1d', abortOnFail: false, delayAbortEvalMs: 0 }] }, () => 'gauge', false);
  assert.match(problems[0]!, /thresholds\["vus"\]\[0\]: "value>0 budget 1h over 1d" is a time budget, but vus is sampled by the main thread/);
  const windowed = collectThresholdProblems({ recovery_time: [{ threshold: 'max<30000 for 1m', abortOnFail: false, delayAbortEvalMs: 0 }] }, () => 'trend', false);
  assert.match(windowed[0]!, /thresholds\["recovery_time"\]\[0\]: "max<30000 for 1m" is windowed \("for …"\), but recovery_time is measured at the end of the run/);
});

test('breached seconds are the lengths of the breached windows; the allowance is budget × run ÷ period', () => {
  // 10 minutes, 20 samples a second: p95 300 ms except seconds 125..194 (70 s) at 900 ms.
  const r = run({ lat: ['p(95)<350 budget 28800s over 30d', 'p(95)<350 per 1s budget 28800s over 30d'] }, { lat: 'trend' });
  for (let s = 0; s < 600; s++) r.second({ lat: fill(20, s >= 125 && s < 195 ? 900 : 300) });
  const [perMinute, perSecond] = r.final();
  const m = tb(perMinute);
  // 1-minute windows: 2m–3m (seconds 120..179) and 3m–4m (180..239) both have > 5 % slow samples.
  assert.equal(m.windows, 10);
  assert.equal(m.breachedWindows, 2);
  assert.equal(m.used, 120);
  assert.deepEqual(m.breaches, [{ startMs: 120_000, endMs: 240_000 }]);
  // 600 s of a 30-day period with 28,800 s of budget: 600 × 28,800 ÷ 2,592,000 = 6.667 s allowed.
  assert.equal(m.allowed, 6.667);
  assert.equal(m.remaining, -113.333);
  assert.equal(m.burnRate, 18, '120 s of 600 is 20 %; the budget allows 1/90: 18×');
  assert.equal(m.exhaustedInMs, Math.round((30 * DAY) / 18));
  assert.equal(perMinute!.ok, false);
  assert.equal(perMinute!.value, 900, 'the worst window’s p95');
  // 1-second windows see exactly the 70 slow seconds.
  const s = tb(perSecond);
  assert.equal(s.windows, 600);
  assert.equal(s.used, 70);
  assert.deepEqual(s.breaches, [{ startMs: 125_000, endMs: 195_000 }]);
  // The two share the budget: the union is the minute windows (they cover the seconds).
  assert.equal(m.shared!.used, 120);
  assert.equal(m.shared!.sumOfMembers, 190);
  assert.equal(m.shared!.ok, false);
});

test('within budget it passes; windows without samples are not breaches; the last window ends with the run', () => {
  const r = run({ err: ['rate<0.1 per 10s budget 12h over 1d'] }, { err: 'rate' });
  // 95 s: errors only in seconds 20..24 (a 10 s window at 50 %), silence from 50 s to 80 s.
  for (let s = 0; s < 95; s++) r.second(s >= 50 && s < 80 ? {} : { err: fill(10, s >= 20 && s < 25 ? 1 : 0) });
  const [t] = r.final(94_500);
  const b = tb(t);
  assert.equal(b.windows, 7, '10 windows of which 3 are silent; the last (90–95 s) is 5 s long');
  assert.equal(b.breachedWindows, 1);
  assert.equal(b.used, 10);
  assert.equal(b.allowed, 47.25, '94.5 s × 12 h ÷ 24 h');
  assert.equal(t!.ok, true);
  assert.equal(b.burnRate, 0.212);
});

test('the run’s last partial second counts only up to the run’s end', () => {
  const r = run({ lat: ['avg<100 per 1s budget 12h over 1d'] }, { lat: 'trend' });
  for (let s = 0; s < 5; s++) r.second({ lat: fill(5, s === 4 ? 500 : 10) });
  const b = tb(r.final(4_300)[0]);
  assert.equal(b.used, 0.3, 'the breached last second lasted 0.3 s');
  assert.equal(b.breaches[0]!.endMs, 4_300);
});

test('the union counts a second once when several thresholds are breached in it; other budgets are not in it', () => {
  const r = run(
    {
      lat: ['p(95)<350 per 1s budget 12h over 1d', 'p(99)<2000 per 1s budget 1h over 1d'],
      err: ['rate<0.05 per 1s budget 12h over 1d'],
    },
    { lat: 'trend', err: 'rate' },
  );
  // Latency bad at 10..19 s, errors bad at 15..24 s: union 10..24 = 15 s.
  for (let s = 0; s < 60; s++) r.second({ lat: fill(20, s >= 10 && s < 20 ? 900 : 100), err: fill(20, s >= 15 && s < 25 ? 1 : 0) });
  const [lat, latOther, err] = r.final();
  assert.equal(tb(lat).used, 10);
  assert.equal(tb(err).used, 10);
  const u = tb(lat).shared!;
  assert.deepEqual(u, tb(err).shared);
  assert.deepEqual(u.thresholds, ['lat: p(95)<350 per 1s budget 12h over 1d', 'err: rate<0.05 per 1s budget 12h over 1d']);
  assert.equal(u.used, 15);
  assert.equal(u.sumOfMembers, 20);
  assert.deepEqual(u.breaches, [{ startMs: 10_000, endMs: 25_000 }]);
  assert.equal(u.allowed, 30);
  assert.equal(u.ok, true);
  assert.equal(tb(latOther).shared, undefined, 'a budget of 1h over 1d is its own group (alone: no union)');
  assert.equal(tb(latOther).used, 0);
});

test('a shared budget over its allowance fails the members that were breached, not the others', () => {
  const r = run({ lat: ['p(95)<350 per 1s budget 12h over 1d'], err: ['rate<0.05 per 1s budget 12h over 1d'], ok: ['rate<0.5 per 1s budget 12h over 1d'] }, { lat: 'trend', err: 'rate', ok: 'rate' });
  // 20 s: latency bad 0..5, errors bad 5..10: each 5 s ≤ 10 s allowed, the union 10 s… plus one more second each.
  for (let s = 0; s < 20; s++) r.second({ lat: fill(20, s < 6 ? 900 : 100), err: fill(20, s >= 6 && s < 12 ? 1 : 0), ok: fill(4, 0) });
  const [lat, err, ok] = r.final();
  assert.equal(tb(lat).used, 6);
  assert.equal(tb(lat).remaining, 4, 'within its own allowance');
  assert.equal(tb(lat).shared!.used, 12);
  assert.equal(tb(lat).shared!.ok, false);
  assert.equal(lat!.ok, false);
  assert.equal(err!.ok, false);
  assert.equal(ok!.ok, true, 'never breached: it did not spend the shared budget');
});

test('live, a time budget is judged once its allowance reaches one window; abortOnFail follows', () => {
  // 12h over 1d allows half the run: a 1 s window is judged from 2 s on.
  const r = run({ lat: [{ threshold: 'avg<100 per 1s budget 12h over 1d', abortOnFail: true }] }, { lat: 'trend' });
  r.second({ lat: [500] });
  let [t] = r.live();
  assert.equal(t!.ok, true, '1 s breached of 0.5 s allowed, but 0.5 s is less than one window: not judged yet');
  assert.equal(tb(t).belowOneWindow, true);
  r.second({ lat: [10] });
  [t] = r.live();
  assert.equal(t!.ok, true, '1 s breached of 1 s allowed');
  r.second({ lat: [500] });
  [t] = r.live();
  assert.equal(t!.ok, false, '2 s breached of 1.5 s allowed');
  assert.equal(t!.shouldAbort, true);
  // At the end it is judged however short the run: one breached minute of a 4 s run fails.
  const short = run({ lat: ['avg<100 budget 28800s over 30d'] }, { lat: 'trend' });
  for (let s = 0; s < 4; s++) short.second({ lat: [s === 2 ? 500 : 10] });
  const [end] = short.final();
  assert.equal(end!.ok, false);
  assert.equal(tb(end).used, 4, 'the one (partial) 1m window is the whole 4 s run');
  assert.equal(tb(end).belowOneWindow, true);
});

test('without per-second data (a merged run) the whole run is judged as one window', () => {
  const set = new ThresholdSet({ lat: [{ threshold: 'avg<100 budget 1h over 1d', abortOnFail: false, delayAbortEvalMs: 0 }] });
  const s = newSink('trend');
  s.add(500);
  const [t] = set.evaluate(() => ({ type: 'trend', get: (a) => s.get(a), percentile: (p) => s.percentile(p) }), 30_000, { final: true });
  assert.equal(tb(t).wholeRun, true);
  assert.equal(tb(t).used, 30);
  assert.equal(t!.ok, false);
});

test('BreachUnion and breachAccount on their own', () => {
  const u = new BreachUnion();
  u.mark(0, 3000);
  u.mark(2000, 5000);
  u.mark(100_000, 160_000);
  assert.equal(u.usedMs(), 65_000);
  assert.equal(u.usedMs(159_500), 64_500, 'the run ended half-way through its last second');
  assert.deepEqual(u.intervals(), [{ startMs: 0, endMs: 5000 }, { startMs: 100_000, endMs: 160_000 }]);
  const a = breachAccount(28_800_000, 30 * DAY, 30 * 60_000, 0, []);
  assert.equal(a.allowed, 20, '28,800 s a month allows 20 s in 30 minutes');
  assert.equal(a.burnRate, 0);
  assert.equal(a.exhaustedInMs, null);
});
