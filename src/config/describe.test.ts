import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeScenario, maxVUs, resolveOptions, scenarioMaxDurationMs, testMaxDurationMs } from './resolve.js';
import type { ScenarioConfig } from './types.js';

function scenarios(s: Record<string, unknown>): ScenarioConfig[] {
  return resolveOptions({ scriptOptions: { scenarios: s }, scriptPath: 't.ts', processEnv: {}, cli: {}, exportedFunctions: ['default', 'ingest'] }).scenarios;
}
const one = (raw: unknown) => scenarios({ s: raw })[0]!;

describe('describeScenario (k6 wording)', () => {
  it('describes each executor', () => {
    assert.equal(describeScenario(one({ executor: 'constant-vus', vus: 20, duration: '30s' })), '20 looping VUs for 30s (gracefulStop: 30s)');
    assert.equal(
      describeScenario(one({ executor: 'ramping-vus', stages: [{ duration: '10s', target: 200 }, { duration: '20s', target: 200 }, { duration: '5s', target: 0 }] })),
      'Up to 200 looping VUs for 35s over 3 stages (gracefulRampDown: 30s, gracefulStop: 30s)',
    );
    assert.equal(
      describeScenario(one({ executor: 'constant-arrival-rate', rate: 200, duration: '30s', preAllocatedVUs: 20, maxVUs: 200, exec: 'ingest' })),
      '200.00 iterations/s for 30s (maxVUs: 20-200, exec: ingest, gracefulStop: 30s)',
    );
    assert.equal(
      describeScenario(one({ executor: 'constant-arrival-rate', rate: 30, timeUnit: '1m', duration: '1m', preAllocatedVUs: 5 })),
      '0.50 iterations/s for 1m0s (maxVUs: 5, gracefulStop: 30s)',
    );
    assert.equal(
      describeScenario(one({ executor: 'ramping-arrival-rate', startRate: 5, preAllocatedVUs: 2, maxVUs: 10, stages: [{ duration: '10s', target: 50 }, { duration: '10s', target: 0 }] })),
      'Up to 50.00 iterations/s for 20s over 2 stages (maxVUs: 2-10, gracefulStop: 30s)',
    );
    assert.equal(
      describeScenario(one({ executor: 'shared-iterations', vus: 10, iterations: 200, startTime: '10s', gracefulStop: '5s', maxDuration: '1m30s' })),
      '200 iterations shared among 10 VUs (maxDuration: 1m30s, startTime: 10s, gracefulStop: 5s)',
    );
    assert.equal(describeScenario(one({ executor: 'per-vu-iterations', vus: 10, iterations: 20, gracefulStop: 0 })), '20 iterations for each of 10 VUs (maxDuration: 10m0s)');
  });
});

describe('scenarioMaxDurationMs / testMaxDurationMs / maxVUs', () => {
  it('startTime + planned duration, without gracefulStop', () => {
    assert.equal(scenarioMaxDurationMs(one({ executor: 'constant-vus', duration: '30s', startTime: '5s' })), 35_000);
    assert.equal(scenarioMaxDurationMs(one({ executor: 'shared-iterations' })), 600_000);
    assert.equal(scenarioMaxDurationMs(one({ executor: 'per-vu-iterations', maxDuration: '1m' })), 60_000);
    assert.equal(scenarioMaxDurationMs(one({ executor: 'ramping-vus', stages: [{ duration: '10s', target: 1 }, { duration: '5s', target: 0 }], startTime: '1s' })), 16_000);
    assert.equal(scenarioMaxDurationMs(one({ executor: 'constant-arrival-rate', rate: 1, duration: '20s', preAllocatedVUs: 1 })), 20_000);
    assert.equal(scenarioMaxDurationMs(one({ executor: 'ramping-arrival-rate', preAllocatedVUs: 1, stages: [{ duration: '3s', target: 1 }] })), 3000);
  });
  it('testMaxDurationMs takes the latest end, with gracefulStop by default', () => {
    const s = scenarios({
      a: { executor: 'constant-vus', duration: '30s' },
      b: { executor: 'constant-vus', duration: '10s', startTime: '25s', gracefulStop: '1s' },
    });
    assert.equal(testMaxDurationMs(s), 60_000);
    assert.equal(testMaxDurationMs(s, false), 35_000);
    assert.equal(testMaxDurationMs([]), 0);
  });
  it('maxVUs per executor', () => {
    assert.equal(maxVUs(one({ executor: 'constant-vus', vus: 7, duration: '1s' })), 7);
    assert.equal(maxVUs(one({ executor: 'shared-iterations', vus: 3, iterations: 9 })), 3);
    assert.equal(maxVUs(one({ executor: 'per-vu-iterations', vus: 4 })), 4);
    assert.equal(maxVUs(one({ executor: 'ramping-vus', startVUs: 12, stages: [{ duration: '1s', target: 5 }] })), 12);
    assert.equal(maxVUs(one({ executor: 'ramping-vus', stages: [{ duration: '1s', target: 5 }, { duration: '1s', target: 50 }] })), 50);
    assert.equal(maxVUs(one({ executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 2, maxVUs: 9 })), 9);
    assert.equal(maxVUs(one({ executor: 'ramping-arrival-rate', preAllocatedVUs: 6, stages: [{ duration: '1s', target: 1 }] })), 6);
  });
});
