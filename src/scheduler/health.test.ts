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
