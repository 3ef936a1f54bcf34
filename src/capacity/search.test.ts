import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchCapacity, type SearchSettings, type StepOutcome } from './search.js';
import type { Verdict } from './confidence.js';

/**
 * A system whose SLO holds up to `knee` req/s; `saturatedFrom`: the generator saturates from there;
 * `uncertainBand`: rates in (knee, knee + band] give an uncertain verdict at the plain step length
 * and `extendedVerdict` once re-run longer.
 */
function system(knee: number, saturatedFrom = Infinity, uncertainBand = 0, extendedVerdict: Verdict = 'broke') {
  const rates: number[] = [];
  const factors: number[] = [];
  return {
    rates,
    factors,
    step: async (rate: number, factor: number): Promise<StepOutcome> => {
      rates.push(rate);
      factors.push(factor);
      const inBand = rate > knee && rate <= knee + uncertainBand;
      const verdict: Verdict = rate <= knee ? 'held' : inBand ? (factor > 1 ? extendedVerdict : 'uncertain') : 'broke';
      const ok = verdict === 'held';
      return { rate, achievedRps: ok ? rate : knee * 0.8, p95Ms: ok ? 50 : 900, errorRate: 0, dropped: 0, inFlight: null, ok, verdict, slos: [], broken: ok ? [] : ['p95'], extended: factor > 1, stoppedEarly: !ok, generatorLimited: rate >= saturatedFrom, durationMs: 1000 * factor };
    },
  };
}
const settings: SearchSettings = { startRate: 10, maxRate: 10_000, growth: 2, precision: 0.05, maxSteps: 20, uncertain: 'extend', extendFactor: 4 };

test('ramps by the growth factor until an SLO breaks, then bisects to the precision', async () => {
  const s = system(137);
  const r = await searchCapacity(s.step, settings);
  assert.deepEqual(s.rates.slice(0, 6), [10, 20, 40, 80, 160, 120]);
  assert.equal(r.stoppedBecause, 'found');
  assert.ok(r.capacity! <= 137 && r.breaksAt! > 137, `${r.capacity}..${r.breaksAt}`);
  assert.ok((r.breaksAt! - r.capacity!) / r.capacity! <= 0.05);
  assert.equal(r.uncertainty, r.breaksAt! - r.capacity!);
  assert.equal(r.knee, r.breaksAt, 'the lowest rate tried whose p95 doubled (the fake system jumps from 50 to 900 ms at its limit)');
  assert.match(r.saturation!, /^throughput flat at 110\/s of 1\d\d\/s offered, p95 900 ms$/);
  assert.deepEqual(r.range, { confidence: 0.95, holds: r.capacity, breaks: r.breaksAt, uncertain: [], policy: 'extend' });
  assert.ok(s.factors.every((f) => f === 1), 'no step re-run: every verdict was decided');
});

test('an uncertain step is re-run once, longer; still uncertain it counts as broke and the range says so', async () => {
  // 140..160 uncertain at the plain length; the re-run decides it (broke).
  const decided = system(137, Infinity, 23, 'broke');
  const a = await searchCapacity(decided.step, settings);
  assert.deepEqual(decided.rates.slice(0, 6), [10, 20, 40, 80, 160, 160], 'the uncertain 160/s re-run at once');
  assert.deepEqual(decided.factors.slice(4, 6), [1, 4]);
  assert.equal(a.steps[5]!.extended, true);
  assert.ok(a.capacity! <= 137 && a.breaksAt! > 137);
  assert.deepEqual(a.range.uncertain, [], 'every re-run decided');
  assert.equal(a.range.breaks, a.breaksAt);

  // Re-runs that stay uncertain: conservative capacity, the undecided rates listed, the confident break above them.
  const stuck = system(137, Infinity, 23, 'uncertain');
  const b = await searchCapacity(stuck.step, settings);
  assert.equal(b.stoppedBecause, 'found');
  assert.ok(b.capacity! <= 137, `${b.capacity}`);
  assert.ok(b.range.uncertain.length > 0 && b.range.uncertain.every((r) => r > 137 && r <= 160), JSON.stringify(b.range));
  assert.equal(b.breaksAt, b.range.uncertain[0], 'the bisection bracket closes on the lowest rate not shown to hold');
  assert.equal(b.range.breaks, null, 'nothing above the capacity broke with confidence: 160/s stayed uncertain and the ramp stopped there');
  assert.match(b.explanation, /was not shown to hold \(uncertain, counted as broke\)/);

  // Policy 'broke': no re-run, an uncertain step counts as broke at once.
  const eager = system(137, Infinity, 23, 'held');
  const c = await searchCapacity(eager.step, { ...settings, uncertain: 'broke' });
  assert.ok(eager.factors.every((f) => f === 1));
  assert.equal(c.range.policy, 'broke');
  assert.ok(c.range.uncertain.includes(160));
});

test('says so when the first rate breaks, when the maximum holds, and when the generator is the limit', async () => {
  assert.equal((await searchCapacity(system(5).step, settings)).stoppedBecause, 'below-start');
  const unsure = await searchCapacity(system(5, Infinity, 100, 'uncertain').step, settings);
  assert.equal(unsure.stoppedBecause, 'below-start');
  assert.equal(unsure.steps.length, 2);
  assert.match(unsure.explanation, /too short to show that the SLOs hold with 95 % confidence: lengthen --step-duration/);
  const max = await searchCapacity(system(1e9).step, { ...settings, maxRate: 100 });
  assert.equal(max.stoppedBecause, 'max-rate');
  assert.equal(max.capacity, 100);
  const gen = await searchCapacity(system(100, 160).step, settings);
  assert.equal(gen.stoppedBecause, 'generator');
  assert.equal(gen.capacity, 80);
  assert.match(gen.explanation, /load generator itself was saturated/);
  const bounded = await searchCapacity(system(137).step, { ...settings, maxSteps: 6 });
  assert.equal(bounded.steps.length, 6);
  assert.equal(bounded.stoppedBecause, 'max-steps');
});
