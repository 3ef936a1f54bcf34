import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spikeWindows } from './spikes.js';
import type { ScenarioConfig } from './types.js';

const ramping = (startVUs: number, stages: Array<[number, number]>, startTimeMs = 0, name = 's'): ScenarioConfig =>
  ({ executor: 'ramping-vus', name, startTimeMs, gracefulStopMs: 0, gracefulRampDownMs: 0, exec: 'default', env: {}, tags: {}, startVUs, stages: stages.map(([durationMs, target]) => ({ durationMs, target })) }) as unknown as ScenarioConfig;

test('a spike: up from a level to at least twice it, back down to it; the window spans the excursion', () => {
  // 50 VUs for 60 s, up to 500 in 10 s, hold 60 s, back to 50 in 10 s, 60 s more.
  const w = spikeWindows([ramping(0, [[10_000, 50], [60_000, 50], [10_000, 500], [60_000, 500], [10_000, 50], [60_000, 50]], 5000)]);
  assert.deepEqual(w, [{ name: 'spike:s', startMs: 75_000, endMs: 155_000, base: 50, peak: 500 }]);
});

test('two spikes are numbered; a ramp that never comes back, or a small bump, is not a spike', () => {
  const two = spikeWindows([ramping(10, [[1000, 100], [1000, 10], [1000, 10], [1000, 80], [1000, 11]])]);
  assert.deepEqual(two.map((x) => [x.name, x.startMs, x.endMs]), [['spike:s', 0, 2000], ['spike:s#2', 3000, 5000]]);
  assert.deepEqual(spikeWindows([ramping(10, [[1000, 100], [1000, 100]])]), []);
  assert.deepEqual(spikeWindows([ramping(10, [[1000, 15], [1000, 10]])]), []);
  // Up from nothing and back to nothing: no traffic before it to recover to.
  assert.deepEqual(spikeWindows([ramping(0, [[1000, 50], [1000, 50], [1000, 0]])]), []);
  // Constant executors have no profile to spike.
  assert.deepEqual(spikeWindows([{ ...ramping(1, []), executor: 'constant-vus', vus: 10, durationMs: 1000 } as unknown as ScenarioConfig]), []);
});

test('arrival-rate profiles: from the start rate', () => {
  const s = { ...ramping(0, [[2000, 100], [2000, 20], [5000, 20]]), executor: 'ramping-arrival-rate', startRate: 20 } as unknown as ScenarioConfig;
  assert.deepEqual(spikeWindows([s]).map((x) => [x.name, x.startMs, x.endMs, x.base, x.peak]), [['spike:s', 0, 4000, 20, 100]]);
});
