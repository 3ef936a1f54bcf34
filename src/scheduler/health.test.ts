import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aggregator } from '../metrics/aggregator.js';
import { GeneratorHealth } from './health.js';

const reading = (delay: number, cpu: number) => ({ eventLoopDelayP99Ms: delay, eventLoopDelayMaxMs: delay, cpuPercent: cpu });

test('a saturated worker (busy CPU and a late event loop) warns once, to add workers', () => {
  const warnings: string[] = [];
  const h = new GeneratorHealth(new Aggregator(() => 1000), (m) => warnings.push(m));
  h.record(reading(2, 30), 0);
  assert.deepEqual(warnings, []);
  h.record(reading(80, 99), 1);
  h.record(reading(90, 99), 2);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /saturated .*CPU 99% .*--workers/);
  assert.equal(h.summary.saturatedSeconds, 2);
});

test('a late event loop with an idle worker does not blame the load: the machine or the script held it up', () => {
  const warnings: string[] = [];
  const h = new GeneratorHealth(new Aggregator(() => 1000), (m) => warnings.push(m));
  h.record(reading(120, 1), 0);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /held up \(delay p99 120 ms\) while it used only 1% of a core/);
  assert.doesNotMatch(warnings[0]!, /--workers/);
});

test('a held-up second first (e.g. while the machine starts up) does not silence a later saturation warning', () => {
  const warnings: string[] = [];
  const h = new GeneratorHealth(new Aggregator(() => 1000), (m) => warnings.push(m));
  h.record(reading(120, 1), 0);
  h.record(reading(150, 2), 1);
  h.record(reading(90, 99), 2);
  h.record(reading(95, 99), 3);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0]!, /held up/);
  assert.match(warnings[1]!, /saturated .*CPU 99% .*--workers/);
});

test('volley_cpu is the busiest worker’s reading, whichever worker reported last', () => {
  const agg = new Aggregator(() => 1000);
  const h = new GeneratorHealth(agg, () => {});
  h.record(reading(1, 90), 0, 0);
  h.record(reading(1, 10), 0, 1);
  assert.equal(agg.find('volley_cpu')!.sink.get('value'), 90);
  h.record(reading(7, 40), 1, 0);
  assert.equal(agg.find('volley_cpu')!.sink.get('value'), 40);
  assert.deepEqual(h.last, { eventLoopDelayP99Ms: 7, eventLoopDelayMaxMs: 7, cpuPercent: 40 }, 'the live line shows the busiest too');
});
