import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPath, Problems } from './problems.js';
import { EXECUTORS, normaliseScenario } from './scenarios.js';
import type { ScenarioConfig } from './types.js';

/** Normalises one scenario named 's'; returns it, the problems and the warnings. */
function norm(raw: unknown): { s: ScenarioConfig | undefined; problems: string[]; warnings: string[] } {
  const problems = new Problems();
  const warnings: string[] = [];
  const s = normaliseScenario('s', raw, (path) => formatPath('s', path), problems, warnings);
  return { s, problems: problems.list, warnings };
}

function ok(raw: unknown): ScenarioConfig {
  const r = norm(raw);
  assert.deepEqual(r.problems, []);
  assert.ok(r.s);
  return r.s;
}

const common = { name: 's', startTimeMs: 0, gracefulStopMs: 30_000, exec: 'default', env: {}, tags: {} };

describe('normaliseScenario: k6 defaults of every executor', () => {
  it('shared-iterations: vus 1, iterations 1, maxDuration 10m', () => {
    assert.deepEqual(ok({ executor: 'shared-iterations' }), { ...common, executor: 'shared-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000 });
  });
  it('per-vu-iterations: vus 1, iterations 1, maxDuration 10m', () => {
    assert.deepEqual(ok({ executor: 'per-vu-iterations' }), { ...common, executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000 });
  });
  it('constant-vus: vus 1; duration required', () => {
    assert.deepEqual(ok({ executor: 'constant-vus', duration: '30s' }), { ...common, executor: 'constant-vus', vus: 1, durationMs: 30_000 });
    assert.deepEqual(norm({ executor: 'constant-vus' }).problems, ['s.duration: is required (e.g. "30s")']);
  });
  it('ramping-vus: startVUs 1, gracefulRampDown 30s; stages required', () => {
    assert.deepEqual(ok({ executor: 'ramping-vus', stages: [{ duration: '10s', target: 5 }] }), {
      ...common,
      executor: 'ramping-vus',
      startVUs: 1,
      stages: [{ durationMs: 10_000, target: 5 }],
      gracefulRampDownMs: 30_000,
    });
    assert.deepEqual(norm({ executor: 'ramping-vus' }).problems, ['s.stages: needs at least one stage, e.g. [{ duration: "30s", target: 10 }]']);
    assert.deepEqual(norm({ executor: 'ramping-vus', stages: [] }).problems, ['s.stages: needs at least one stage, e.g. [{ duration: "30s", target: 10 }]']);
  });
  it('constant-arrival-rate: timeUnit 1s, maxVUs = preAllocatedVUs; rate, duration, preAllocatedVUs required', () => {
    assert.deepEqual(ok({ executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 5 }), {
      ...common,
      executor: 'constant-arrival-rate',
      rate: 10,
      timeUnitMs: 1000,
      durationMs: 60_000,
      preAllocatedVUs: 5,
      maxVUs: 5,
      whenBusy: 'drop',
      maxQueue: 100_000,
    });
    assert.deepEqual(norm({ executor: 'constant-arrival-rate' }).problems, [
      's.rate: is required (iterations to start per timeUnit)',
      's.duration: is required (e.g. "30s")',
      's.preAllocatedVUs: is required (VUs to initialise before the test)',
    ]);
  });
  it('ramping-arrival-rate: startRate 0, timeUnit 1s, maxVUs = preAllocatedVUs; stages, preAllocatedVUs required', () => {
    assert.deepEqual(ok({ executor: 'ramping-arrival-rate', preAllocatedVUs: 2, stages: [{ duration: '5s', target: 50 }] }), {
      ...common,
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnitMs: 1000,
      stages: [{ durationMs: 5000, target: 50 }],
      preAllocatedVUs: 2,
      maxVUs: 2,
      whenBusy: 'drop',
      maxQueue: 100_000,
    });
    assert.deepEqual(norm({ executor: 'ramping-arrival-rate' }).problems, [
      's.preAllocatedVUs: is required (VUs to initialise before the test)',
      's.stages: needs at least one stage, e.g. [{ duration: "30s", target: 10 }]',
    ]);
  });
  it('common options are read for every executor', () => {
    for (const executor of EXECUTORS) {
      const raw = { executor, startTime: '10s', gracefulStop: '5s', exec: 'ingest', env: { A: '1' }, tags: { t: 'v' }, duration: '1s', rate: 1, preAllocatedVUs: 1, stages: [{ duration: '1s', target: 1 }] };
      const keep: Record<string, string[]> = {
        'shared-iterations': [],
        'per-vu-iterations': [],
        'constant-vus': ['duration'],
        'ramping-vus': ['stages'],
        'constant-arrival-rate': ['duration', 'rate', 'preAllocatedVUs'],
        'ramping-arrival-rate': ['stages', 'preAllocatedVUs'],
      };
      const input = Object.fromEntries(Object.entries(raw).filter(([k]) => !['duration', 'rate', 'preAllocatedVUs', 'stages'].includes(k) || keep[executor]!.includes(k)));
      const s = ok(input);
      assert.deepEqual([s.startTimeMs, s.gracefulStopMs, s.exec, s.env, s.tags], [10_000, 5000, 'ingest', { A: '1' }, { t: 'v' }], executor);
    }
  });
  it('durations may be numbers of milliseconds or unit-less strings (ms), as in k6', () => {
    const s = ok({ executor: 'constant-vus', vus: 2, duration: '1d', gracefulStop: '10000', startTime: 1000.5 });
    assert.deepEqual([s.startTimeMs, s.gracefulStopMs, s.executor === 'constant-vus' && s.durationMs], [1000.5, 10_000, 86_400_000]);
  });
  it('sub-second durations are allowed (k6 requires ≥ 1s; Volley only > 0)', () => {
    const s = ok({ executor: 'constant-vus', duration: '200ms' });
    assert.equal(s.executor === 'constant-vus' && s.durationMs, 200);
  });
  it("per-scenario `options.browser.type: 'chromium'` (k6 browser) marks a browser scenario", () => {
    const r = norm({ executor: 'per-vu-iterations', options: { browser: { type: 'chromium' } } });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.s?.browser, { type: 'chromium' });
    assert.equal(ok({ executor: 'per-vu-iterations' }).browser, undefined);
  });
  it('per-scenario `options`: another browser type is an error, other keys a warning', () => {
    assert.deepEqual(norm({ executor: 'per-vu-iterations', options: { browser: { type: 'firefox' } } }).problems, [
      `s.options.browser.type: must be 'chromium', the only browser Volley (like k6) drives (got "firefox")`,
    ]);
    assert.deepEqual(norm({ executor: 'per-vu-iterations', options: { foo: 1 } }).warnings, ['s.options.foo: not a per-scenario option Volley knows (only "browser"); ignored']);
  });
});

describe('normaliseScenario: errors', () => {
  const cases: [string, unknown, string[]][] = [
    ['not an object', 5, ['s: must be an object with an "executor" (got 5)']],
    ['no executor', {}, ['s.executor: is required (one of shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate)']],
    ['executor typo', { executor: 'ramping-vu' }, ['s.executor: unknown executor "ramping-vu"; did you mean "ramping-vus"?']],
    ['executor nonsense', { executor: 'fast' }, ['s.executor: unknown executor "fast" (use one of shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate)']],
    ['executor not a string', { executor: 3 }, ['s.executor: unknown executor 3 (use one of shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate)']],
    [
      'externally-controlled',
      { executor: 'externally-controlled', vus: 1 },
      ['s.executor: the "externally-controlled" executor is not supported by Volley yet (use one of shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate)'],
    ],
    ['option typo', { executor: 'constant-vus', duration: '1s', duraton: '10s' }, ['s.duraton: unknown option; did you mean "duration"?']],
    [
      "another executor's option",
      { executor: 'constant-vus', duration: '1s', iterations: 3 },
      ['s.iterations: not an option of the "constant-vus" executor (it takes vus, duration; "iterations" belongs to shared-iterations, per-vu-iterations)'],
    ],
    ['bad duration', { executor: 'constant-vus', duration: '10x' }, ['s.duration: "10x" is not a duration (use e.g. "30s", "1m30s", "500ms")']],
    ['zero duration', { executor: 'constant-vus', duration: '0s' }, ['s.duration: must be longer than 0']],
    ['negative startTime', { executor: 'per-vu-iterations', startTime: '-1s' }, ['s.startTime: must not be negative (got "-1s")']],
    ['negative gracefulStop number', { executor: 'per-vu-iterations', gracefulStop: -5 }, ['s.gracefulStop: must not be negative (got -5)']],
    ['zero vus', { executor: 'constant-vus', vus: 0, duration: '1s' }, ['s.vus: must be a positive integer (got 0)']],
    ['fractional vus', { executor: 'per-vu-iterations', vus: 1.5 }, ['s.vus: must be a positive integer (got 1.5)']],
    ['string vus', { executor: 'per-vu-iterations', vus: '5' }, ['s.vus: must be a positive integer (got "5")']],
    ['zero iterations', { executor: 'per-vu-iterations', iterations: 0 }, ['s.iterations: must be a positive integer (got 0)']],
    ['shared iterations < vus', { executor: 'shared-iterations', vus: 10, iterations: 5 }, ["s.iterations: 5 iterations can't be shared among 10 VUs: iterations must be at least vus"]],
    ['zero maxDuration', { executor: 'shared-iterations', maxDuration: 0 }, ['s.maxDuration: must be longer than 0']],
    ['zero rate', { executor: 'constant-arrival-rate', rate: 0, duration: '1s', preAllocatedVUs: 1 }, ['s.rate: must be a positive integer (got 0)']],
    ['negative rate', { executor: 'constant-arrival-rate', rate: -5, duration: '1s', preAllocatedVUs: 1 }, ['s.rate: must be a positive integer (got -5)']],
    ['fractional rate', { executor: 'constant-arrival-rate', rate: 0.5, duration: '1s', preAllocatedVUs: 1 }, ['s.rate: must be a positive integer (got 0.5)']],
    ['zero timeUnit', { executor: 'constant-arrival-rate', rate: 1, timeUnit: '0s', duration: '1s', preAllocatedVUs: 1 }, ['s.timeUnit: must be longer than 0']],
    [
      'preAllocatedVUs > maxVUs',
      { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 20, maxVUs: 10 },
      ['s.maxVUs: 10 is less than preAllocatedVUs (20); maxVUs must be at least preAllocatedVUs'],
    ],
    [
      'no VUs at all',
      { executor: 'ramping-arrival-rate', preAllocatedVUs: 0, stages: [{ duration: '1s', target: 1 }] },
      ['s.preAllocatedVUs: no VUs to run iterations with: set preAllocatedVUs (and maxVUs) to at least 1'],
    ],
    ['negative startRate', { executor: 'ramping-arrival-rate', startRate: -1, preAllocatedVUs: 1, stages: [{ duration: '1s', target: 1 }] }, ['s.startRate: must be a non-negative integer (got -1)']],
    ['negative stage target', { executor: 'ramping-vus', stages: [{ duration: '1s', target: -1 }] }, ['s.stages[0].target: must be a non-negative integer (got -1)']],
    ['fractional stage target', { executor: 'ramping-vus', stages: [{ duration: '1s', target: 2.5 }] }, ['s.stages[0].target: must be a non-negative integer (got 2.5)']],
    ['stage without target', { executor: 'ramping-vus', stages: [{ duration: '1s' }] }, ['s.stages[0].target: is required (a number)']],
    ['stage without duration', { executor: 'ramping-vus', stages: [{ target: 1 }] }, ['s.stages[0].duration: is required (e.g. "30s")']],
    ['stage typo', { executor: 'ramping-vus', stages: [{ duration: '1s', target: 1, tagret: 2 }] }, ['s.stages[0].tagret: unknown stage option; did you mean "target"?']],
    ['stages not an array', { executor: 'ramping-vus', stages: { duration: '1s', target: 1 } }, ['s.stages: must be an array']],
    ['ramping to nothing', { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 0 }] }, ["s: either startVUs or one of the stages' targets must be greater than 0"]],
    ['too many VUs', { executor: 'ramping-vus', stages: [{ duration: '1s', target: 200_000_000 }] }, ['s.stages[0].target: must be at most 100000000 VUs']],
    ['empty exec', { executor: 'per-vu-iterations', exec: '' }, ['s.exec: must not be empty']],
    ['env values must be strings', { executor: 'per-vu-iterations', env: { A: 1 } }, ['s.env.A: must be a string (got 1)']],
    ['tags must be an object', { executor: 'per-vu-iterations', tags: 'x' }, ['s.tags: must be an object of string values (got "x")']],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => {
      const r = norm(raw);
      assert.deepEqual(r.problems, expected);
      assert.equal(r.s, undefined);
    });
  }

  it('reports every problem of a scenario at once', () => {
    const r = norm({ executor: 'constant-arrival-rate', rate: 0, duration: '10x', preAllocatedVUs: -1, foo: 1, iterations: 2 });
    assert.equal(r.problems.length, 5, r.problems.join('\n'));
  });

  it('a cross-field check still runs when an unrelated field is bad', () => {
    const r = norm({ executor: 'constant-arrival-rate', rate: 1, duration: '10x', preAllocatedVUs: 20, maxVUs: 10 });
    assert.deepEqual(r.problems, [
      's.duration: "10x" is not a duration (use e.g. "30s", "1m30s", "500ms")',
      's.maxVUs: 10 is less than preAllocatedVUs (20); maxVUs must be at least preAllocatedVUs',
    ]);
  });
});
