import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVolleyError } from '../../errors/index.js';
import type { MetricType } from '../metric.js';
import { checkThresholdMetricsExist, validateThresholds, type ThresholdSpecLike } from './validate.js';

const spec = (...exprs: string[]): ThresholdSpecLike[] => exprs.map((threshold) => ({ threshold, abortOnFail: false, delayAbortEvalMs: 0 }));
const types: Record<string, MetricType> = {
  http_req_duration: 'trend',
  http_reqs: 'counter',
  http_req_failed: 'rate',
  checks: 'rate',
  vus: 'gauge',
};
const typeOf = (name: string): MetricType | undefined => types[name];

function errorOf(fn: () => void): { code: string; message: string; exitCode: number } {
  try {
    fn();
  } catch (e) {
    assert.ok(isVolleyError(e));
    return e as { code: string; message: string; exitCode: number };
  }
  assert.fail('expected an error');
}

describe('validateThresholds', () => {
  it('accepts valid thresholds, incl. unknown (custom, not yet declared) metrics', () => {
    validateThresholds(
      {
        http_req_duration: spec('p(95)<300', 'avg<200', 'med<100', 'min>0', 'max<5000', 'p(99.9)<900'),
        'http_req_duration{route:/api/query}': [{ threshold: 'p(95)<900', abortOnFail: true, delayAbortEvalMs: 10_000 }],
        http_reqs: spec('count>100', 'rate>10'),
        http_req_failed: spec('rate<0.01'),
        vus: spec('value>0'),
        my_custom_trend: spec('count>5'), // unknown yet: type not checked
      },
      typeOf,
    );
  });

  it('names the metric and expression, suggests the fix', () => {
    const e = errorOf(() => validateThresholds({ http_req_duration: spec('p(95)<300', 'p95<300') }, typeOf));
    assert.equal(e.code, 'E_THRESHOLD');
    assert.equal(e.exitCode, 104);
    assert.equal(e.message, 'thresholds["http_req_duration"][1]: "p95<300" is not a threshold expression; did you mean "p(95)<300"?');
  });

  it('checks aggregations against metric types (as k6, plus min and max on gauges)', () => {
    const e = errorOf(() =>
      validateThresholds(
        { http_reqs: spec('p(95)<3'), http_req_failed: spec('count<3'), vus: spec('avg<10'), http_req_duration: spec('rate<1') },
        typeOf,
      ),
    );
    assert.match(e.message, /^4 problems with thresholds:/);
    assert.match(e.message, /thresholds\["http_reqs"\]\[0\]: "p\(95\)<3" uses p\(95\), which a counter metric \(http_reqs\) does not have; use count, rate, drift/);
    assert.match(e.message, /thresholds\["http_req_failed"\]\[0\]: .* use rate, drift$/m);
    assert.match(e.message, /thresholds\["vus"\]\[0\]: .*gauge.* use value, min, max, drift$/m);
    assert.match(e.message, /thresholds\["http_req_duration"\]\[0\]: .* use avg, min, max, med, p\(N\), drift$/m);
  });

  it('lists every problem in one error: keys, expressions, shapes', () => {
    const e = errorOf(() =>
      validateThresholds(
        {
          'http_req_duration{route}': spec('p(95)<1'),
          checks: spec('rate>>0.9', 'rate>0.9'),
          http_reqs: 'count>1' as unknown as ThresholdSpecLike[],
          vus: [{ threshold: 42 as unknown as string, abortOnFail: false, delayAbortEvalMs: 0 }],
          iterations: [{ threshold: 'count>1', abortOnFail: true, delayAbortEvalMs: -1 }],
        },
        typeOf,
      ),
    );
    assert.match(e.message, /^5 problems/);
    assert.match(e.message, /thresholds\["http_req_duration\{route\}"\]: tag filter "route" has no value/);
    assert.match(e.message, /thresholds\["checks"\]\[0\]: "rate>>0.9" is not a threshold expression/);
    assert.match(e.message, /thresholds\["http_reqs"\]: expected a list/);
    assert.match(e.message, /thresholds\["vus"\]\[0\]: expected a threshold expression string/);
    assert.match(e.message, /thresholds\["iterations"\]\[0\]: delayAbortEval/);
  });
});

describe('checkThresholdMetricsExist', () => {
  it('reports thresholds on metrics that were never defined, with a suggestion', () => {
    const e = errorOf(() =>
      checkThresholdMetricsExist({ http_req_duraton: spec('p(95)<1'), 'nope{a:b}': spec('count>1'), http_reqs: spec('count>1') }, typeOf, Object.keys(types)),
    );
    assert.equal(e.exitCode, 104);
    assert.match(e.message, /thresholds\["http_req_duraton"\]: no metric named "http_req_duraton" was defined; did you mean "http_req_duration"\?/);
    assert.match(e.message, /thresholds\["nope\{a:b\}"\]: no metric named "nope" was defined$/m);
    assert.doesNotMatch(e.message, /http_reqs/);
  });

  it('type-checks custom metrics declared after init', () => {
    const e = errorOf(() => checkThresholdMetricsExist({ my_trend: spec('count>5') }, (n) => (n === 'my_trend' ? 'trend' : undefined)));
    assert.match(e.message, /uses count, which a trend metric \(my_trend\) does not have/);
    checkThresholdMetricsExist({ my_trend: spec('p(50)>5') }, (n) => (n === 'my_trend' ? 'trend' : undefined));
  });
});
