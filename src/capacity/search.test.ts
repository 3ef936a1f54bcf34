import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchCapacity, type SearchSettings, type StepOutcome } from './search.js';

/** A system whose SLO holds up to `knee` req/s; `saturatedFrom`: the generator saturates from there. */
function system(knee: number, saturatedFrom = Infinity) {
  const rates: number[] = [];
  return {
    rates,
    step: async (rate: number): Promise<StepOutcome> => {
      rates.push(rate);
      const ok = rate <= knee;
      return { rate, achievedRps: ok ? rate : knee * 0.8, p95Ms: ok ? 50 : 900, errorRate: 0, dropped: 0, inFlight: null, ok, broken: ok ? [] : ['p95'], stoppedEarly: !ok, generatorLimited: rate >= saturatedFrom, durationMs: 1000 };
    },
  };
}
const settings: SearchSettings = { startRate: 10, maxRate: 10_000, growth: 2, precision: 0.05, maxSteps: 20 };

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
});

test('says so when the first rate breaks, when the maximum holds, and when the generator is the limit', async () => {
  assert.equal((await searchCapacity(system(5).step, settings)).stoppedBecause, 'below-start');
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
