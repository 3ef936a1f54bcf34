/** Property tests for the threshold parser. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVolleyError } from '../../errors/index.js';
import { AGGREGATION_KEYWORDS, THRESHOLD_OPERATORS, formatThresholdExpression, parseThresholdExpression, type ParsedThreshold } from './expression.js';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 });
const percentile = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }));
const ws = fc.constantFrom('', ' ', '  ', '\t');

const threshold = fc.record({
  agg: fc.oneof(fc.constantFrom(...AGGREGATION_KEYWORDS), fc.constant('p' as const)),
  percentile,
  op: fc.constantFrom(...THRESHOLD_OPERATORS),
  value: finite,
});

describe('threshold parser properties', () => {
  it('valid expressions (with random spacing) parse to what they say and round-trip through the canonical form', () => {
    fc.assert(
      fc.property(threshold, ws, ws, ws, ws, (t, w1, w2, w3, w4) => {
        const lhs = t.agg === 'p' ? `p(${String(t.percentile)})` : t.agg;
        const src = `${w1}${lhs}${w2}${t.op}${w3}${String(t.value)}${w4}`;
        const parsed = parseThresholdExpression(src);
        assert.equal(parsed.aggregation, t.agg);
        assert.equal(parsed.op, t.op);
        assert.equal(parsed.value, Object.is(t.value, -0) ? 0 : t.value);
        if (t.agg === 'p') assert.equal(parsed.percentile, Object.is(t.percentile, -0) ? 0 : t.percentile);
        assert.equal(parsed.source, src);
        const canonical = formatThresholdExpression(parsed);
        const again: ParsedThreshold = parseThresholdExpression(canonical);
        assert.deepEqual({ ...again, source: '' }, { ...parsed, source: '' });
        assert.equal(formatThresholdExpression(again), canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it('time budgets: budget <time> over <period> [per <window>] in either order, any unit, parse to their ms; a budget over its period is refused', () => {
    const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
    const dur = fc.record({ n: fc.integer({ min: 1, max: 500 }), unit: fc.constantFrom('s', 'm', 'h', 'd') });
    fc.assert(
      fc.property(dur, dur, fc.option(dur, { nil: undefined }), fc.boolean(), (b, p, w, perFirst) => {
        const budgetMs = b.n * UNIT[b.unit]!;
        const periodMs = p.n * UNIT[p.unit]!;
        const windowMs = w ? w.n * UNIT[w.unit]! : 60_000;
        const budget = `budget ${b.n}${b.unit} over ${p.n}${p.unit}`;
        const per = w ? `per ${w.n}${w.unit}` : '';
        const src = `p(95)<350 ${perFirst ? `${per} ${budget}` : `${budget} ${per}`}`;
        if (budgetMs > periodMs || windowMs > periodMs) {
          assert.throws(() => parseThresholdExpression(src), (e: unknown) => isVolleyError(e) && e.code === 'E_THRESHOLD' && e.message.includes(JSON.stringify(src)));
          return;
        }
        assert.deepEqual(parseThresholdExpression(src).timeBudget, { budgetMs, periodMs, windowMs });
      }),
      { numRuns: 1000 },
    );
  });

  it('garbage never throws anything but a VolleyError E_THRESHOLD', () => {
    const alphabet = fc.constantFrom(...'pP()<>=!.-+eE0123456789 avgminxdcoutrlë%µs\t{}:,"\''.split(''));
    const garbage = fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 12 }));
    fc.assert(
      fc.property(garbage, (s) => {
        try {
          const t = parseThresholdExpression(s);
          assert.ok(Number.isFinite(t.value));
          if (t.aggregation === 'p') assert.ok(t.percentile! >= 0 && t.percentile! <= 100);
        } catch (e) {
          assert.ok(isVolleyError(e), `non-VolleyError for ${JSON.stringify(s)}: ${String(e)}`);
          assert.equal((e as { code: string }).code, 'E_THRESHOLD');
          assert.ok((e as Error).message.includes(JSON.stringify(s)));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('non-string inputs are VolleyErrors too', () => {
    for (const v of [undefined, null, 42, {}, []]) {
      assert.throws(() => parseThresholdExpression(v as unknown as string), (e: unknown) => isVolleyError(e));
    }
  });
});
