import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVolleyError } from '../../errors/index.js';
import { formatMetricSelector, parseMetricSelector } from './selector.js';

describe('parseMetricSelector', () => {
  it('parses plain names and tag filters', () => {
    assert.deepEqual(parseMetricSelector('http_req_duration'), { metric: 'http_req_duration', tags: {} });
    assert.deepEqual(parseMetricSelector('http_req_duration{route:/api/query,status:200}'), {
      metric: 'http_req_duration',
      tags: { route: '/api/query', status: '200' },
    });
  });

  it('follows k6: values keep ":" and inner spaces, pairs are trimmed and unquoted', () => {
    assert.deepEqual(parseMetricSelector('http_req_duration{ url : http://x:8080/a b , "status":\'200\' }').tags, {
      url: 'http://x:8080/a b',
      status: '200',
    });
    // k6's name_contains_tokens case: braces inside the value.
    assert.deepEqual(parseMetricSelector('http_req_duration{name:http://${}.com}').tags, { name: 'http://${}.com' });
    assert.deepEqual(parseMetricSelector('checks{group:::login}').tags, { group: '::login' });
  });

  it('rejects malformed keys with E_THRESHOLD naming the key', () => {
    for (const [key, why] of [
      ['http_req_duration{route:/a', /unmatched/],
      ['http_req_duration}{', /before/],
      ['http_req_duration{a:b}x', /must end the key/],
      ['http_req_duration{}', /empty tag filter/],
      ['http_req_duration{route}', /has no value/],
      ['http_req_duration{route:}', /has no value/],
      ['http_req_duration{:x}', /no tag name/],
      ['http_req_duration{a:1,}', /stray comma/],
      ['{a:1}', /missing the metric name/],
      ['2xx', /not a valid metric name/],
    ] as const) {
      assert.throws(
        () => parseMetricSelector(key),
        (e: unknown) => isVolleyError(e) && e.code === 'E_THRESHOLD' && e.exitCode === 104 && e.message.includes(JSON.stringify(key)) && why.test(e.message),
        key,
      );
    }
  });

  it('keeps odd tag names as plain tags', () => {
    assert.deepEqual(Object.entries(parseMetricSelector('m{__proto__:x,constructor:y}').tags), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('formats canonically', () => {
    assert.equal(formatMetricSelector(parseMetricSelector('m{ a : 1 ,b:"2"}')), 'm{a:1,b:2}');
    assert.equal(formatMetricSelector({ metric: 'm', tags: {} }), 'm');
  });

  it('round-trips random selectors (property)', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/);
    // Values: anything but commas, not starting or ending with a space or a quote.
    const value = fc.stringMatching(/^[^,\s"'](?:[^,]{0,12}[^,\s"'])?$/);
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 0, maxKeys: 4 }), key, (tags, metric) => {
        const sel = { metric, tags: { ...tags } };
        assert.deepEqual(parseMetricSelector(formatMetricSelector(sel)), sel);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but a VolleyError on garbage (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab_1{}:, "\''.split('')), maxLength: 16 }), (s) => {
        try {
          parseMetricSelector(s);
        } catch (e) {
          assert.ok(isVolleyError(e) && e.code === 'E_THRESHOLD');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
