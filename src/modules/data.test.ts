import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestVu, runInVu } from '../vu/testing/test-support.js';
import { SharedArray } from './data.js';

describe('volley/data SharedArray', () => {
  it('loads once per name, is read-only and iterable', () => {
    let calls = 0;
    const load = () => {
      calls++;
      return [{ user: 'a', tags: ['x'] }, { user: 'b', tags: [] }];
    };
    const a = new SharedArray('users-test', load);
    const b = new SharedArray('users-test', load);
    assert.equal(calls, 1);
    assert.equal(a, b);
    assert.equal(a.length, 2);
    assert.equal(a[1]!.user, 'b');
    assert.deepEqual([...a].map((u) => u.user), ['a', 'b']);
    assert.ok(a instanceof SharedArray);
    assert.ok(!([] instanceof SharedArray));
    assert.throws(() => {
      (a as unknown as { user: string }[])[0]!.user = 'changed';
    }, TypeError);
    assert.throws(() => (a as unknown as unknown[]).push(1), TypeError);
  });

  it('rejects bad loaders and calls from a VU', () => {
    assert.throws(() => new SharedArray('not-array', () => 'x' as unknown as string[]), { code: 'E_SHARED_ARRAY', message: /not an array/ });
    const { vu } = makeTestVu();
    assert.throws(() => runInVu(vu, () => new SharedArray('in-vu', () => [1])), { code: 'E_SHARED_ARRAY', message: /init context/ });
  });
});
