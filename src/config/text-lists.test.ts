import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isVolleyError } from '../errors/index.js';
import { parseKeyValueList, parseStagesFlag } from './resolve.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(isVolleyError(e));
    assert.equal(e.code, 'E_INVALID_OPTIONS');
    assert.equal(e.exitCode, 104);
    return e.message.split('\n').slice(1).map((l) => l.replace(/^ {2}- /, ''));
  }
  assert.fail('expected an error');
}

describe('parseStagesFlag', () => {
  it('parses DURATION:TARGET lists', () => {
    assert.deepEqual(parseStagesFlag('10s:5,20s:10'), [
      { durationMs: 10_000, target: 5 },
      { durationMs: 20_000, target: 10 },
    ]);
    assert.deepEqual(parseStagesFlag(' 1m6s:5 , 0s:0 '), [
      { durationMs: 66_000, target: 5 },
      { durationMs: 0, target: 0 },
    ]);
    assert.deepEqual(parseStagesFlag('1h1m:100'), [{ durationMs: 3_660_000, target: 100 }]);
  });
  it('an empty string is an empty list', () => {
    assert.deepEqual(parseStagesFlag(''), []);
  });
  it('reports every bad stage, naming the flag', () => {
    assert.deepEqual(problems(() => parseStagesFlag('10:20s,1000:20,10s,,:5,5s:x')), [
      '--stages (stage 1, "10:20s"): "10" has no unit (use e.g. "30s", "1m30s", "500ms")',
      '--stages (stage 1, "10:20s"): the target must be a non-negative integer (got "20s")',
      '--stages (stage 2, "1000:20"): "1000" has no unit (use e.g. "30s", "1m30s", "500ms")',
      '--stages (stage 3, "10s"): has no target; write DURATION:TARGET, e.g. "10s:10"',
      '--stages (stage 4): is empty; write DURATION:TARGET, e.g. "30s:10"',
      '--stages (stage 5, ":5"): has no duration; write DURATION:TARGET, e.g. "30s:10"',
      '--stages (stage 6, "5s:x"): the target must be a non-negative integer (got "x")',
    ]);
  });
  it('uses the given label', () => {
    assert.match(problems(() => parseStagesFlag('x', '-s'))[0]!, /^-s \(stage 1/);
  });
});

describe('parseKeyValueList', () => {
  it('parses KEY=VALUE', () => {
    assert.deepEqual(parseKeyValueList('a=b'), { a: 'b' });
    assert.deepEqual(parseKeyValueList('URL=http://x/?a=b'), { URL: 'http://x/?a=b' });
  });
  it('splits a single string on commas, keeping commas inside values', () => {
    assert.deepEqual(parseKeyValueList('a=1,b=2'), { a: '1', b: '2' });
    assert.deepEqual(parseKeyValueList('LIST=a,b,C=3'), { LIST: 'a,b', C: '3' });
  });
  it('never splits array items (repeated flags)', () => {
    assert.deepEqual(parseKeyValueList(['A=1', 'B=x,y=z', 'A=2']), { A: '2', B: 'x,y=z' });
  });
  it('KEY without a value is an empty string for -e, an error for --tag', () => {
    assert.deepEqual(parseKeyValueList(['EMPTY']), { EMPTY: '' });
    assert.deepEqual(problems(() => parseKeyValueList(['name'], { label: '--tag', requireValue: true })), ['--tag: "name" has no value; write name=VALUE']);
    assert.deepEqual(problems(() => parseKeyValueList(['name='], { label: '--tag', requireValue: true })), ['--tag: "name=" has no value; write name=VALUE']);
  });
  it('checks -e names like k6 (letters, digits, _; not starting with a digit), tags are free', () => {
    assert.deepEqual(problems(() => parseKeyValueList(['1X=a', 'A-B=c', '=v'])), [
      '--env: invalid variable name "1X" (use letters, digits and _, not starting with a digit)',
      '--env: invalid variable name "A-B" (use letters, digits and _, not starting with a digit)',
      '--env: "=v" has no name; write KEY=VALUE',
    ]);
    assert.deepEqual(parseKeyValueList(['my-tag=1', 'route=/a'], { label: '--tag', requireValue: true }), { 'my-tag': '1', route: '/a' });
  });
});
