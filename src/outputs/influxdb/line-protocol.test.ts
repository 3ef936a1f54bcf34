import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeKey, escapeMeasurement, formatLine } from './line-protocol.js';
import { parseLineProtocol } from './testing/line-protocol-parser.js';

describe('formatLine', () => {
  it('writes measurement, sorted tags, float fields and an ms timestamp', () => {
    assert.equal(formatLine('http_reqs', { status: '200', method: 'GET' }, { value: 1, count: 15 }, 1736933400000), 'http_reqs,method=GET,status=200 value=1,count=15 1736933400000');
  });

  it('escapes what line protocol requires and leaves out empty tags and non-finite fields', () => {
    const line = formatLine('m x,y', { 'a b': 'c,d=e', empty: '', 'back\\': 'sla\\sh' }, { 'f=1': 0.5, nan: NaN, inf: Infinity }, 1);
    assert.equal(line, 'm\\ x\\,y,a\\ b=c\\,d\\=e,back\\\\=sla\\\\sh f\\=1=0.5 1');
    assert.equal(formatLine('m', {}, { nan: NaN }, 1), '', 'no writable field: no line');
  });

  it('never writes a line feed inside a line', () => {
    assert.equal(escapeKey('a\nb'), 'a\\nb');
    assert.equal(escapeMeasurement('a\nb'), 'a\\nb');
  });

  it('property: what it writes parses back to the same point', () => {
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\n') && s !== '__proto__');
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_. ,]{0,20}$/),
        fc.dictionary(key, key, { maxKeys: 5, noNullPrototype: true }),
        fc.dictionary(key, fc.double({ noNaN: true, noDefaultInfinity: true }), { minKeys: 1, maxKeys: 4, noNullPrototype: true }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (measurement, tags, fields, t) => {
          const line = formatLine(measurement, tags, fields, t);
          const [p] = parseLineProtocol(line);
          assert.ok(p);
          assert.equal(p.measurement, measurement);
          assert.deepEqual(p.tags, tags);
          assert.deepEqual(Object.keys(p.fields).sort(), Object.keys(fields).sort());
          for (const [k, v] of Object.entries(fields)) assert.ok(Object.is(p.fields[k], v === 0 ? 0 : v) || p.fields[k] === v, `${k}: ${p.fields[k]} vs ${v}`);
          assert.equal(p.timeMs, t);
        },
      ),
      { numRuns: 300 },
    );
  });
});
