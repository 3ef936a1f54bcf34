import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVolleyError } from '../../errors/index.js';
import { formatThresholdExpression, parseThresholdExpression, suggestFix } from './expression.js';

function fails(expr: string): { code: string; message: string; exitCode: number } {
  try {
    parseThresholdExpression(expr);
  } catch (e) {
    assert.ok(isVolleyError(e), `expected a VolleyError, got ${String(e)}`);
    return e as { code: string; message: string; exitCode: number };
  }
  assert.fail(`expected ${JSON.stringify(expr)} to be rejected`);
}

describe('parseThresholdExpression', () => {
  it('parses every aggregation and operator', () => {
    assert.deepEqual(parseThresholdExpression('p(95)<300'), { aggregation: 'p', percentile: 95, op: '<', value: 300, source: 'p(95)<300' });
    assert.deepEqual(parseThresholdExpression('p(99.9) <= 1500'), { aggregation: 'p', percentile: 99.9, op: '<=', value: 1500, source: 'p(99.9) <= 1500' });
    assert.deepEqual(parseThresholdExpression('rate<0.01'), { aggregation: 'rate', op: '<', value: 0.01, source: 'rate<0.01' });
    for (const agg of ['avg', 'min', 'max', 'med', 'count', 'rate', 'value'] as const) {
      for (const op of ['<', '<=', '>', '>=', '==', '===', '!='] as const) {
        const t = parseThresholdExpression(`${agg}${op}1`);
        assert.equal(t.aggregation, agg);
        assert.equal(t.op, op);
        assert.equal(t.value, 1);
      }
    }
  });

  it('accepts negative, decimal and exponent values, and whitespace', () => {
    assert.equal(parseThresholdExpression('value > -5').value, -5);
    assert.equal(parseThresholdExpression('avg<.5').value, 0.5);
    assert.equal(parseThresholdExpression('avg<5.').value, 5);
    assert.equal(parseThresholdExpression('count>=1e3').value, 1000);
    assert.equal(parseThresholdExpression('  p( 90 )  <  2.5  ').percentile, 90);
    assert.equal(parseThresholdExpression('p(0)<1').percentile, 0);
    assert.equal(parseThresholdExpression('p(100)<1').percentile, 100);
  });

  it('rejects with E_THRESHOLD / exit 104 and a reason', () => {
    const e = fails('p(101)<3');
    assert.equal(e.code, 'E_THRESHOLD');
    assert.equal(e.exitCode, 104);
    assert.match(e.message, /percentile 101 is out of range/);
    assert.match(fails('').message, /empty/);
    assert.match(fails('avg').message, /missing the comparison/);
    assert.match(fails('avg<').message, /missing the value/);
    assert.match(fails('avg<abc').message, /expected a number/);
    assert.match(fails('foo<3').message, /unknown aggregation "foo"/);
    assert.match(fails('avg<1e999').message, /out of range/);
    assert.match(fails('avg<3 && max<5').message, /unexpected/);
    assert.match(fails('p(95)<300ms').message, /did you mean "p\(95\)<300"/);
  });

  it('suggests fixes for common mistakes', () => {
    assert.equal(fails('p95<300').message, '"p95<300" is not a threshold expression; did you mean "p(95)<300"?');
    assert.equal(suggestFix('P(95)<300'), 'p(95)<300');
    assert.equal(suggestFix('p99.9 < 1s'), 'p(99.9)<1000');
    assert.equal(suggestFix('p(95<300'), 'p(95)<300');
    assert.equal(suggestFix('percentile(90)<2'), 'p(90)<2');
    assert.equal(suggestFix('average<200'), 'avg<200');
    assert.equal(suggestFix('median<200'), 'med<200');
    assert.equal(suggestFix('rate<1%'), 'rate<0.01');
    assert.equal(suggestFix('count=0'), 'count==0');
    assert.equal(suggestFix('avg=>3'), 'avg>=3');
    assert.equal(suggestFix('avg<250µs'), 'avg<0.25');
    assert.equal(suggestFix('"p(95)<300"'), 'p(95)<300');
    assert.equal(suggestFix('p(95)<300'), undefined);
    assert.equal(suggestFix('nonsense'), undefined);
  });

  it('formats canonically', () => {
    assert.equal(formatThresholdExpression(parseThresholdExpression(' p( 99.90 ) <= 0500 ')), 'p(99.9)<=500');
    assert.equal(formatThresholdExpression(parseThresholdExpression('rate!=-0')), 'rate!=0');
  });
});
