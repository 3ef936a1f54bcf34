import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode, isVolleyError } from '../errors/index.js';
import { resolveOptions, resolveOptionsWithWarnings, type CliOptionFlags, type ResolveInput } from './resolve.js';
import type { ScenarioConfig } from './types.js';

/** Resolves with sensible defaults for the parts a test does not care about. */
function resolve(input: Partial<ResolveInput> & { options?: unknown; env?: Record<string, string>; flags?: CliOptionFlags }) {
  return resolveOptionsWithWarnings({
    scriptOptions: input.options ?? input.scriptOptions,
    scriptPath: input.scriptPath ?? 'test.ts',
    processEnv: input.env ?? input.processEnv ?? {},
    cli: input.flags ?? input.cli ?? {},
    exportedFunctions: input.exportedFunctions ?? ['default', 'ingest', 'browse'],
  });
}

/** A scenario whose executor-specific fields tests may read without narrowing. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyScenario = ScenarioConfig & { [field: string]: any };

/** The one scenario of a run. */
function only(input: Parameters<typeof resolve>[0]): AnyScenario {
  const { scenarios } = resolve(input).options;
  assert.equal(scenarios.length, 1);
  return scenarios[0]!;
}

/** Runs `fn`, expects an E_INVALID_OPTIONS error, returns its problem lines. */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(isVolleyError(e), `expected a VolleyError, got ${String(e)}`);
    assert.equal(e.code, 'E_INVALID_OPTIONS');
    assert.equal(e.exitCode, ExitCode.InvalidConfig);
    assert.equal(e.exitCode, 104);
    return e.message
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^ {2}- /, ''));
  }
  assert.fail('expected resolveOptions to throw');
}

const problemsOf = (input: Parameters<typeof resolve>[0]) => problems(() => resolve(input));

describe('resolveOptions: shortcut conversion', () => {
  it('no options at all: 1 VU, 1 iteration (per-vu-iterations) named default', () => {
    assert.deepEqual(only({}), {
      name: 'default',
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      maxDurationMs: 600_000,
      startTimeMs: 0,
      gracefulStopMs: 30_000,
      exec: 'default',
      env: {},
      tags: {},
    });
  });

  it('iterations → shared-iterations (vus default 1, maxDuration default 10m)', () => {
    const s = only({ options: { iterations: 5 } });
    assert.equal(s.executor, 'shared-iterations');
    assert.deepEqual([s.vus, s.iterations, s.maxDurationMs], [1, 5, 600_000]);
  });

  it('vus + iterations + duration → shared-iterations with maxDuration = duration', () => {
    const s = only({ options: { vus: 2, iterations: 6, duration: '10s' } });
    assert.equal(s.executor, 'shared-iterations');
    assert.deepEqual([s.vus, s.iterations, s.maxDurationMs], [2, 6, 10_000]);
  });

  it('duration → constant-vus (vus default 1)', () => {
    const s = only({ options: { duration: '2m' } });
    assert.equal(s.executor, 'constant-vus');
    assert.deepEqual([s.vus, s.durationMs], [1, 120_000]);
    const t = only({ options: { vus: 3, duration: '30s' } });
    assert.deepEqual([t.executor, t.vus, t.durationMs], ['constant-vus', 3, 30_000]);
  });

  it('stages → ramping-vus with startVUs = vus (default 1)', () => {
    const s = only({ options: { stages: [{ duration: '20s', target: 10 }, { duration: '3m', target: 5 }] } });
    assert.equal(s.executor, 'ramping-vus');
    assert.equal(s.startVUs, 1);
    assert.deepEqual(s.stages, [
      { durationMs: 20_000, target: 10 },
      { durationMs: 180_000, target: 5 },
    ]);
    assert.equal(s.gracefulRampDownMs, 30_000);
    const t = only({ options: { vus: 0, stages: [{ duration: '10s', target: 100 }] } });
    assert.equal(t.startVUs, 0, 'vus 0 is fine with stages (ramp up from nothing)');
  });

  it('vus alone → shared-iterations with vus iterations (k6 ≥ 2.1)', () => {
    const s = only({ flags: { vus: 8 } });
    assert.deepEqual([s.executor, s.vus, s.iterations], ['shared-iterations', 8, 8]);
  });

  it('vus alone overrides scenarios, with a warning', () => {
    const r = resolve({ options: { vus: 10, scenarios: { a: { executor: 'constant-vus', duration: '10s' } } } });
    assert.deepEqual(
      r.options.scenarios.map((s) => [s.name, s.executor]),
      [['default', 'shared-iterations']],
    );
    assert.match(r.warnings.join('\n'), /options\.vus=10 .*options\.scenarios is ignored/);
  });

  it('vus with explicitly empty stages: runs 1 iteration on 1 VU, with a warning', () => {
    const r = resolve({ options: { vus: 5, stages: [] } });
    assert.equal(r.options.scenarios[0]!.executor, 'per-vu-iterations');
    assert.match(r.warnings.join('\n'), /options\.stages is empty/);
  });

  it('explicitly empty scenarios: runs 1 iteration on 1 VU, with a warning', () => {
    const r = resolve({ options: { scenarios: {} } });
    const s = r.options.scenarios[0] as AnyScenario;
    assert.deepEqual([s.executor, s.vus], ['per-vu-iterations', 1]);
    assert.match(r.warnings.join('\n'), /options\.scenarios is empty/);
  });

  it('scenarios are used as written when no shortcut is set', () => {
    const r = resolve({
      options: {
        scenarios: {
          browse: { executor: 'ramping-vus', stages: [{ duration: '10s', target: 20 }], exec: 'browse' },
          ingest: { executor: 'constant-arrival-rate', rate: 200, duration: '30s', preAllocatedVUs: 20, maxVUs: 200, exec: 'ingest' },
        },
      },
    });
    assert.deepEqual(
      r.options.scenarios.map((s) => [s.name, s.executor, s.exec]),
      [
        ['browse', 'ramping-vus', 'browse'],
        ['ingest', 'constant-arrival-rate', 'ingest'],
      ],
    );
    assert.deepEqual(r.warnings, []);
  });
});

describe('resolveOptions: shortcut conflicts (k6 rules)', () => {
  const conflicts: [string, unknown, RegExp][] = [
    ['iterations + stages', { iterations: 5, stages: [{ duration: '1s', target: 1 }] }, /^options\.iterations: can't be used together with options\.stages/],
    ['iterations + scenarios', { iterations: 5, scenarios: { a: { executor: 'per-vu-iterations' } } }, /^options\.iterations: can't be used together with options\.scenarios/],
    ['duration + stages', { duration: '10s', stages: [{ duration: '1s', target: 1 }] }, /^options\.duration: can't be used together with options\.stages/],
    ['duration + scenarios', { duration: '10s', scenarios: { a: { executor: 'per-vu-iterations' } } }, /^options\.duration: can't be used together with options\.scenarios/],
    ['stages + scenarios', { stages: [{ duration: '1s', target: 1 }], scenarios: { a: { executor: 'per-vu-iterations' } } }, /^options\.stages: can't be used together with options\.scenarios/],
    ['iterations + empty scenarios', { iterations: 5, scenarios: {} }, /^options\.iterations: can't be used together with options\.scenarios/],
  ];
  for (const [name, options, re] of conflicts) {
    it(`${name} in the same place is an error`, () => {
      const p = problemsOf({ options });
      assert.equal(p.length, 1, p.join('\n'));
      assert.match(p[0]!, re);
    });
  }

  it('reports every conflict, not just the first', () => {
    const p = problemsOf({ options: { iterations: 5, stages: [{ duration: '1s', target: 1 }], scenarios: {} } });
    assert.equal(p.length, 2);
  });

  it('the same flags on the CLI conflict too, named as flags', () => {
    const p = problemsOf({ flags: { vus: 2, duration: '10s', stages: '10s:20' } });
    assert.deepEqual(p, ['--duration: can\'t be used together with --stages; use one of iterations, duration, stages or scenarios']);
  });

  it('explicitly empty stages do not conflict (k6 checks len(stages) > 0)', () => {
    const s = only({ options: { duration: '10s', stages: [] } });
    assert.equal(s.executor, 'constant-vus');
  });

  it('duration 0 is an error', () => {
    assert.deepEqual(problemsOf({ options: { vus: 3, duration: 0 } }), ['options.duration: must be longer than 0 (for a test without an end, use scenarios)']);
  });

  it('shortcut-made scenarios report problems against the shortcut', () => {
    assert.deepEqual(problemsOf({ flags: { vus: 10, iterations: 6 } }), ["--iterations: 6 iterations can't be shared among 10 VUs: iterations must be at least vus"]);
    assert.deepEqual(problemsOf({ flags: { vus: 0, duration: '10s' } }), ['--vus: must be a positive integer (got 0)']);
    assert.deepEqual(problemsOf({ env: { VOLLEY_VUS: '0' } }), ['VOLLEY_VUS: must be a positive integer (got 0)']);
    assert.deepEqual(problemsOf({ flags: { vus: 0, stages: '10s:0' } }), ["--stages: either startVUs or one of the stages' targets must be greater than 0"]);
  });
});

describe('resolveOptions: precedence CLI > VOLLEY_* > script', () => {
  const script = { vus: 2, duration: '30s' };

  it('vus: each level overrides the one below', () => {
    assert.equal(only({ options: script }).vus, 2);
    assert.equal(only({ options: script, env: { VOLLEY_VUS: '5' } }).vus, 5);
    assert.equal(only({ options: script, env: { VOLLEY_VUS: '5' }, flags: { vus: 7 } }).vus, 7);
    assert.equal(only({ options: script, flags: { vus: 7 } }).vus, 7);
  });

  it('duration: each level overrides the one below', () => {
    const d = (s: ScenarioConfig) => (s.executor === 'constant-vus' ? s.durationMs : NaN);
    assert.equal(d(only({ options: script })), 30_000);
    assert.equal(d(only({ options: script, env: { VOLLEY_DURATION: '1m' } })), 60_000);
    assert.equal(d(only({ options: script, env: { VOLLEY_DURATION: '1m' }, flags: { duration: '5s' } })), 5_000);
  });

  it('VOLLEY_DURATION without a unit is milliseconds (as K6_DURATION); --duration without a unit is refused', () => {
    const s = only({ env: { VOLLEY_VUS: '10', VOLLEY_DURATION: '10000' } });
    assert.deepEqual([s.executor, s.vus, s.executor === 'constant-vus' && s.durationMs], ['constant-vus', 10, 10_000]);
    assert.deepEqual(problemsOf({ flags: { duration: '1000' } }), ['--duration: "1000" has no unit (use e.g. "30s", "1m30s", "500ms")']);
  });

  it('iterations: each level overrides the one below', () => {
    const it = (s: ScenarioConfig) => (s.executor === 'shared-iterations' ? s.iterations : NaN);
    assert.equal(it(only({ options: { iterations: 10 } })), 10);
    assert.equal(it(only({ options: { iterations: 10 }, env: { VOLLEY_ITERATIONS: '20' } })), 20);
    assert.equal(it(only({ options: { iterations: 10 }, env: { VOLLEY_ITERATIONS: '20' }, flags: { iterations: 30 } })), 30);
  });

  it('stages: each level overrides the one below', () => {
    const st = (s: ScenarioConfig) => (s.executor === 'ramping-vus' ? s.stages : []);
    const options = { stages: [{ duration: '11s', target: 11 }] };
    assert.deepEqual(st(only({ options })), [{ durationMs: 11_000, target: 11 }]);
    assert.deepEqual(st(only({ options, env: { VOLLEY_STAGES: '2m30s:11,1h1m:100' } })), [
      { durationMs: 150_000, target: 11 },
      { durationMs: 3_660_000, target: 100 },
    ]);
    assert.deepEqual(st(only({ options, env: { VOLLEY_STAGES: '2m30s:11' }, flags: { stages: '44s:44,55s:55' } })), [
      { durationMs: 44_000, target: 44 },
      { durationMs: 55_000, target: 55 },
    ]);
  });

  it('vus and stages from different levels combine (k6: script vus 22, env vus 33, CLI stages)', () => {
    const s = only({ options: { vus: 22, stages: [{ duration: '11s', target: 11 }] }, env: { VOLLEY_VUS: '33' }, flags: { stages: '44s:44,55s:55' } });
    assert.equal(s.executor === 'ramping-vus' && s.startVUs, 33);
  });

  it('duration/iterations/stages at a higher level replace all of them below (k6 Apply)', () => {
    // Script duration is dropped by env iterations: shared-iterations with the default maxDuration.
    const s = only({ options: { vus: 5, duration: '50s' }, env: { VOLLEY_ITERATIONS: '17' } });
    assert.deepEqual([s.executor, s.vus, s.iterations, s.maxDurationMs], ['shared-iterations', 5, 17, 600_000]);
    // Script stages are dropped by CLI duration.
    const t = only({ options: { stages: [{ duration: '20s', target: 10 }] }, flags: { duration: '5s' } });
    assert.equal(t.executor, 'constant-vus');
    // Script vus + duration, CLI stages: ramping-vus from the script vus.
    const u = only({ options: { vus: 5, duration: '50s' }, flags: { stages: '5s:5' } });
    assert.deepEqual([u.executor, u.executor === 'ramping-vus' && u.startVUs], ['ramping-vus', 5]);
  });

  it('a higher-level shortcut replaces the script scenarios, with a warning', () => {
    const r = resolve({
      options: { scenarios: { someKey: { executor: 'constant-vus', vus: 10, duration: '60s' } } },
      env: { VOLLEY_ITERATIONS: '25' },
      flags: { vus: 12 },
    });
    const s = r.options.scenarios[0] as AnyScenario;
    assert.deepEqual([s.name, s.executor, s.vus, s.iterations], ['default', 'shared-iterations', 12, 25]);
    assert.deepEqual(r.warnings, ['VOLLEY_ITERATIONS overrides options.scenarios: those scenarios are ignored']);
  });

  it('an explicitly empty --stages at a higher level clears lower shortcuts (1 VU, 1 iteration)', () => {
    const r = resolve({ options: { stages: [{ duration: '20s', target: 20 }], vus: 10 }, env: { VOLLEY_DURATION: '15s' }, flags: { stages: '' } });
    assert.equal(r.options.scenarios[0]!.executor, 'per-vu-iterations');
    assert.match(r.warnings.join('\n'), /--stages is empty/);
  });

  it('plain options: CLI > env > script > default', () => {
    const o = (input: Parameters<typeof resolve>[0]) => resolve(input).options;
    assert.equal(o({}).maxRedirects, 10);
    assert.equal(o({ options: { maxRedirects: 3 } }).maxRedirects, 3);
    assert.equal(o({ options: { maxRedirects: 3 }, env: { VOLLEY_MAX_REDIRECTS: '4' } }).maxRedirects, 4);
    assert.equal(o({ options: { maxRedirects: 3 }, env: { VOLLEY_MAX_REDIRECTS: '4' }, flags: { maxRedirects: 0 } }).maxRedirects, 0);
    assert.equal(o({ options: { userAgent: 'a' }, env: { VOLLEY_USER_AGENT: 'b' } }).userAgent, 'b');
    assert.equal(o({ options: { insecureSkipTLSVerify: false }, env: { VOLLEY_INSECURE_SKIP_TLS_VERIFY: 'true' } }).insecureSkipTLSVerify, true);
    assert.equal(o({ env: { VOLLEY_INSECURE_SKIP_TLS_VERIFY: '1' }, flags: { insecureSkipTLSVerify: false } }).insecureSkipTLSVerify, false);
    assert.deepEqual(o({ options: { summaryTrendStats: ['avg'] }, env: { VOLLEY_SUMMARY_TREND_STATS: 'min,max' } }).summaryTrendStats, ['min', 'max']);
    assert.deepEqual(o({ env: { VOLLEY_SUMMARY_TREND_STATS: 'min,max' }, flags: { summaryTrendStats: 'p(99.9), count' } }).summaryTrendStats, ['p(99.9)', 'count']);
    assert.equal(o({ options: { summaryTimeUnit: 's' }, flags: { summaryTimeUnit: 'ms' } }).summaryTimeUnit, 'ms');
    assert.equal(o({ env: { VOLLEY_NO_THRESHOLDS: 'true' } }).noThresholds, true);
    assert.equal(o({ env: { VOLLEY_NO_THRESHOLDS: 'false' }, flags: { noThresholds: true } }).noThresholds, true);
    assert.equal(o({ env: { VOLLEY_NO_SUMMARY: 'TRUE' } }).noSummary, true);
    assert.equal(o({ env: { VOLLEY_WORKERS: '2' } }).workers, 2);
    assert.equal(o({ env: { VOLLEY_WORKERS: '2' }, flags: { workers: 4 } }).workers, 4);
    assert.equal(o({ options: { setupTimeout: '10s' }, env: { VOLLEY_SETUP_TIMEOUT: '20s' } }).setupTimeoutMs, 20_000);
    assert.equal(o({ options: { minIterationDuration: '1s' } }).minIterationDurationMs, 1000);
    assert.equal(o({ options: { throw: true }, flags: { throw: false } }).throw, false);
  });

  it('empty VOLLEY_* variables are ignored', () => {
    assert.equal(resolve({ options: { maxRedirects: 3 }, env: { VOLLEY_MAX_REDIRECTS: '' } }).options.maxRedirects, 3);
    assert.equal(only({ options: { vus: 2, duration: '1s' }, env: { VOLLEY_VUS: ' ' } }).vus, 2);
  });

  it('tags merge key by key, higher levels winning', () => {
    const { tags } = resolve({ options: { tags: { a: 'script', b: 'script' } }, env: { VOLLEY_TAGS: 'b:env,c=env' }, flags: { tags: { c: 'cli' } } }).options;
    assert.deepEqual(tags, { a: 'script', b: 'env', c: 'cli' });
  });

  it('__ENV is the process environment overlaid with -e', () => {
    const { env } = resolve({ env: { HOME: '/home/u', BASE_URL: 'http://a', UNSET: undefined as unknown as string }, flags: { env: { BASE_URL: 'http://b', X: '' } } }).options;
    assert.deepEqual(env, { HOME: '/home/u', BASE_URL: 'http://b', X: '' });
  });
});

describe('resolveOptions: defaults', () => {
  it('every plain option has its documented default', () => {
    const o = resolve({}).options;
    assert.deepEqual(o.summaryTrendStats, ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)']);
    assert.equal(o.summaryTimeUnit, undefined);
    assert.equal(o.setupTimeoutMs, 60_000);
    assert.equal(o.teardownTimeoutMs, 60_000);
    assert.deepEqual(o.tags, {});
    assert.match(o.userAgent, /^Volley\/\d+\.\d+\.\d+/);
    assert.equal(o.insecureSkipTLSVerify, false);
    assert.equal(o.maxRedirects, 10);
    assert.equal(o.batch, 20);
    assert.equal(o.batchPerHost, 6);
    assert.equal(o.discardResponseBodies, false);
    assert.equal(o.throw, false);
    assert.equal(o.noConnectionReuse, false);
    assert.equal(o.noVUConnectionReuse, false);
    assert.equal(o.noCookiesReset, false);
    assert.equal(o.minIterationDurationMs, 0);
    assert.equal(o.workers, undefined);
    assert.equal(o.noThresholds, false);
    assert.equal(o.noSummary, false);
    assert.deepEqual(o.thresholds, {});
  });

  it('thresholds: strings and objects, with abortOnFail false and delayAbortEval 0 by default', () => {
    const { thresholds } = resolve({
      options: {
        thresholds: {
          http_req_duration: ['p(95)<300', 'p(99)<500'],
          'http_req_duration{route:/api/query}': [{ threshold: 'p(95)<900', abortOnFail: true, delayAbortEval: '10s' }],
          checks: [{ threshold: 'rate>0.99' }],
        },
      },
    }).options;
    assert.deepEqual(thresholds, {
      http_req_duration: [
        { threshold: 'p(95)<300', abortOnFail: false, delayAbortEvalMs: 0 },
        { threshold: 'p(99)<500', abortOnFail: false, delayAbortEvalMs: 0 },
      ],
      'http_req_duration{route:/api/query}': [{ threshold: 'p(95)<900', abortOnFail: true, delayAbortEvalMs: 10_000 }],
      checks: [{ threshold: 'rate>0.99', abortOnFail: false, delayAbortEvalMs: 0 }],
    });
  });
});

describe('resolveOptions: error messages', () => {
  it('the examples from the spec, all reported together in one error', () => {
    const p = problemsOf({
      options: {
        scenarios: {
          browse: { executor: 'ramping-vu', stages: [{ duration: '10s', target: 5 }] },
          shop: { executor: 'constant-vus', duraton: '10s', duration: '10s' },
          ingest: { executor: 'constant-arrival-rate', rate: 10, duration: '10x', preAllocatedVUs: 1 },
          x: { executor: 'per-vu-iterations', exec: 'ingst' },
        },
        thresholds: { http_req_duration: [42] },
        summaryTrendStat: ['avg'],
      },
    });
    assert.deepEqual(p, [
      'options.summaryTrendStat: unknown option; did you mean "summaryTrendStats"?',
      'options.thresholds.http_req_duration[0]: must be an expression string or { threshold, abortOnFail?, delayAbortEval? } (got 42)',
      'options.scenarios.browse.executor: unknown executor "ramping-vu"; did you mean "ramping-vus"?',
      'options.scenarios.shop.duraton: unknown option; did you mean "duration"?',
      'options.scenarios.ingest.duration: "10x" is not a duration (use e.g. "30s", "1m30s", "500ms")',
      'options.scenarios.x.exec: the script exports no function "ingst"; did you mean "ingest"?',
    ]);
  });

  it('the error message has a header and one line per problem, and a hint', () => {
    try {
      resolveOptions({ scriptOptions: { vus: -1, foo: 1 }, scriptPath: 'my.ts', processEnv: {}, cli: {}, exportedFunctions: ['default'] });
      assert.fail('should throw');
    } catch (e) {
      assert.ok(isVolleyError(e));
      assert.equal(
        e.message,
        ['Invalid options (2 problems):', '  - options.foo: unknown option (see docs/options.md for the options Volley reads)', '  - options.vus: must be a positive integer (got -1)'].join('\n'),
      );
      assert.match(e.hint ?? '', /my\.ts/);
      assert.deepEqual((e as unknown as { problems: string[] }).problems.length, 2);
    }
  });

  it('CLI- and environment-sourced values name the flag or variable', () => {
    const p = problemsOf({
      env: { VOLLEY_DURATION: '10x', VOLLEY_MAX_REDIRECTS: 'ten', VOLLEY_INSECURE_SKIP_TLS_VERIFY: 'yes', VOLLEY_SUMMARY_TIME_UNIT: 'h', VOLLEY_WORKERS: '0' },
      flags: { vus: -1, iterations: 1.5, maxRedirects: -1, summaryTrendStats: 'avg,p99', workers: 0, env: { '1BAD': 'x' } },
    });
    assert.deepEqual(p, [
      'VOLLEY_DURATION: "10x" is not a duration (use e.g. "30s", "1m30s", "500ms")',
      'VOLLEY_INSECURE_SKIP_TLS_VERIFY: must be true or false (got "yes")',
      'VOLLEY_MAX_REDIRECTS: must be a non-negative integer (got "ten")',
      'VOLLEY_SUMMARY_TIME_UNIT: must be "s", "ms" or "us" (got "h")',
      'VOLLEY_WORKERS: must be a positive integer (got "0")',
      '--vus: must be a positive integer (got -1)',
      '--iterations: must be a positive integer (got 1.5)',
      '--max-redirects: must be a non-negative integer (got -1)',
      '--summary-trend-stats: "p99" is not a trend stat; did you mean "p(99)"?',
      '--workers: must be a positive integer (got 0)',
      '--env: invalid variable name "1BAD" (use letters, digits and _, not starting with a digit)',
    ]);
  });

  it('bad stages from the CLI and the environment', () => {
    assert.deepEqual(problemsOf({ flags: { stages: '10s:5,10s:' } }), ['--stages (stage 2, "10s:"): has no target; write DURATION:TARGET, e.g. "10s:10"']);
    assert.deepEqual(problemsOf({ env: { VOLLEY_STAGES: '1000:100' } }), ['VOLLEY_STAGES (stage 1, "1000:100"): "1000" has no unit (use e.g. "30s", "1m30s", "500ms")']);
    assert.deepEqual(problemsOf({ flags: { stages: '10s:-5' } }), ['--stages (stage 1, "10s:-5"): the target must be a non-negative integer (got "-5")']);
  });

  it('bad script stages name the stage and field', () => {
    const p = problemsOf({ options: { stages: [{ duration: '20s' }, { duration: '1x', target: 1.5 }, { duration: '1s', target: 1, foo: 2 }] } });
    assert.deepEqual(p, [
      'options.stages[0].target: is required (a number of VUs)',
      'options.stages[1].duration: "1x" is not a duration (use e.g. "30s", "1m30s", "500ms")',
      'options.stages[1].target: must be a non-negative integer (got 1.5)',
      'options.stages[2].foo: unknown stage option (a stage has "duration" and "target")',
    ]);
  });

  it('threshold entries: shape only (the expressions are parsed elsewhere)', () => {
    const p = problemsOf({
      options: {
        thresholds: {
          a: 'p(95)<1',
          b: [''],
          c: [{ abortOnFail: 'yes' }],
          d: [{ threshold: 'rate<1', delayAbortEval: '5x', abortOnFial: true }],
          '': ['x'],
        },
      },
    });
    assert.deepEqual(p, [
      'options.thresholds.a: must be an array of thresholds, e.g. ["p(95)<1"] (got "p(95)<1")',
      'options.thresholds.b[0]: must not be empty',
      'options.thresholds.c[0].threshold: is required (an expression such as "p(95)<500")',
      'options.thresholds.c[0].abortOnFail: must be true or false (got "yes")',
      'options.thresholds.d[0].delayAbortEval: "5x" is not a duration (use e.g. "30s", "1m30s", "500ms")',
      'options.thresholds.d[0].abortOnFial: unknown threshold option; did you mean "abortOnFail"?',
      'options.thresholds[""]: the metric name must not be empty',
    ]);
    // Expressions are not parsed here.
    assert.doesNotThrow(() => resolve({ options: { thresholds: { x: ['not an expression at all'] } } }));
  });

  it('options.env is refused with a pointer to -e', () => {
    assert.deepEqual(problemsOf({ options: { env: { A: '1' } } }), [
      'options.env: not a script option: pass variables with --env KEY=VALUE, or per scenario with scenarios.NAME.env',
    ]);
  });

  it('options that are not an object', () => {
    assert.deepEqual(problemsOf({ options: 5 }), ['options: must be an object (got 5)']);
    assert.deepEqual(problemsOf({ options: { scenarios: [] } }), ['options.scenarios: must be an object mapping scenario names to scenarios (got an array)']);
    assert.deepEqual(problemsOf({ options: { thresholds: ['p(95)<1'] } }), [
      'options.thresholds: must be an object mapping metric names to arrays of thresholds, e.g. { http_req_duration: ["p(95)<500"] } (got an array)',
    ]);
  });

  it('scenario names follow k6 (letters, digits, _ and -)', () => {
    assert.doesNotThrow(() => resolve({ options: { scenarios: { 'my-scenario_2': { executor: 'per-vu-iterations' } } } }));
    assert.deepEqual(problemsOf({ options: { scenarios: { 'my scenario': { executor: 'per-vu-iterations' } } } }), [
      'options.scenarios["my scenario"]: the scenario name should contain only latin letters, digits, underscores and dashes',
    ]);
  });

  it('a missing default export is reported against the script or scenario', () => {
    assert.deepEqual(problemsOf({ options: { vus: 1, duration: '1s' }, exportedFunctions: ['ingest'] }), [
      'test.ts: the script has no default export to run; add `export default async function () { ... }`',
    ]);
    assert.deepEqual(problemsOf({ options: { scenarios: { a: { executor: 'per-vu-iterations' } } }, exportedFunctions: ['ingest'] }), [
      'options.scenarios.a: the script has no default export to run: export a default function or set "exec" to an exported function',
    ]);
    assert.doesNotThrow(() => resolve({ options: { scenarios: { a: { executor: 'per-vu-iterations', exec: 'ingest' } } }, exportedFunctions: ['ingest'] }));
  });

  it('exec is checked even when other fields of the scenario are bad', () => {
    assert.deepEqual(problemsOf({ options: { scenarios: { a: { executor: 'constant-vus', exec: 'nope' } } } }), [
      'options.scenarios.a.duration: is required (e.g. "30s")',
      'options.scenarios.a.exec: the script exports no function "nope"',
    ]);
  });

  it('not-implemented k6 options are accepted with a warning', () => {
    const r = resolve({ options: { hosts: { 'a.test': '127.0.0.1' }, ext: { loadimpact: {} }, rps: 10, blockHostnames: ['*.x'] } });
    assert.deepEqual(r.warnings, [
      'options.rps: not implemented by Volley yet; ignored',
      'options.blockHostnames: not implemented by Volley yet; ignored',
      'options.hosts: not implemented by Volley yet; ignored',
      'options.ext: not implemented by Volley yet; ignored',
    ]);
  });

  it('unknown names without a close match list where to look', () => {
    assert.deepEqual(problemsOf({ options: { completelyUnrelated: 1 } }), ['options.completelyUnrelated: unknown option (see docs/options.md for the options Volley reads)']);
  });

  it('thresholds cannot come from the CLI', () => {
    assert.deepEqual(problemsOf({ flags: { thresholds: 'x' as never } }), ['--thresholds: thresholds can only be set in the script options']);
  });
});

describe('options the VU side used to read on its own', () => {
  const ro = (i: Partial<ResolveInput>) => resolveOptions({ scriptOptions: { iterations: 1 }, scriptPath: 's.ts', processEnv: {}, cli: {}, exportedFunctions: ['default'], ...i });
  it('tlsCACerts, httpTransport and localAddresses are options: script, environment and flags', () => {
    const fromScript = ro({ scriptOptions: { tlsCACerts: 'PEM', httpTransport: 'undici', localAddresses: ['127.0.0.2'] } });
    assert.deepEqual([fromScript.tlsCACerts, fromScript.httpTransport, fromScript.localAddresses], [['PEM'], 'undici', ['127.0.0.2']]);
    const fromEnv = ro({ processEnv: { VOLLEY_HTTP_TRANSPORT: 'undici', VOLLEY_LOCAL_ADDRESSES: '127.0.0.1, 127.0.0.2' } });
    assert.deepEqual([fromEnv.httpTransport, fromEnv.localAddresses], ['undici', ['127.0.0.1', '127.0.0.2']]);
    const fromCli = ro({ processEnv: { VOLLEY_HTTP_TRANSPORT: 'undici' }, cli: { httpTransport: 'fast', localAddresses: '127.0.0.3' } });
    assert.deepEqual([fromCli.httpTransport, fromCli.localAddresses], ['fast', ['127.0.0.3']]);
    const defaults = ro({});
    assert.deepEqual([defaults.tlsCACerts, defaults.httpTransport, defaults.localAddresses], [[], 'fast', []]);
    assert.throws(() => ro({ processEnv: { VOLLEY_HTTP_TRANSPORT: 'h3' } }), /VOLLEY_HTTP_TRANSPORT.*'fast' or 'undici'/s);
  });
});
