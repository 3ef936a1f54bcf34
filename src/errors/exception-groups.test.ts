import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExceptionGroups, LineBudget, normaliseMessage, OTHER_PATTERN } from './exception-groups.js';

test('normaliseMessage folds numbers, UUIDs and hex ids, keeps words', () => {
  assert.equal(normaliseMessage('order 0.8123 failed'), 'order <n> failed');
  assert.equal(normaliseMessage('user 3f2b8c1e-9d4a-4b7e-8f00-1234567890ab not found'), 'user <uuid> not found');
  assert.equal(normaliseMessage('object 5f0c9a7b3e2d1c4b5a697887 at 0xdeadbeef'), 'object <hex> at <hex>');
  assert.equal(normaliseMessage("Cannot read properties of undefined (reading 'id')"), "Cannot read properties of undefined (reading 'id')");
  assert.equal(normaliseMessage('x'.repeat(10_000)).length, 500);
});

test('ExceptionGroups counts by kind and location, caps kinds with an "other" count', () => {
  const g = new ExceptionGroups(2);
  assert.ok(g.add({ code: 'E', message: 'order 1', location: 'a.ts:1:1', stack: undefined }));
  assert.equal(g.add({ code: 'E', message: 'order 2', location: 'a.ts:1:1', stack: undefined }), undefined);
  assert.ok(g.add({ code: 'E', message: 'order 2', location: 'a.ts:9:1', stack: undefined }), 'another location is another kind');
  assert.equal(g.add({ code: 'E', message: 'boom', location: undefined, stack: undefined }, 5), undefined);
  const l = g.list();
  assert.equal(l[0]!.varied, true, 'order 1 then order 2: the messages varied');
  assert.equal(l[1]!.varied, undefined);
  assert.deepEqual(
    l.map((e) => [e.pattern, e.message, e.count]),
    [
      ['order <n>', 'order 1', 2],
      ['order <n>', 'order 2', 1],
      [OTHER_PATTERN, OTHER_PATTERN, 5],
    ],
  );
  // Merging groups from another thread keeps their pattern, "other" included.
  const main = new ExceptionGroups(10);
  for (const e of l) main.add(e, e.count);
  assert.equal(main.list().find((e) => e.pattern === OTHER_PATTERN)?.count, 5);
  assert.equal(main.size, 2);
});

test('LineBudget lets N lines a second through and counts the rest', () => {
  let now = 0;
  const b = new LineBudget(2, () => now);
  assert.deepEqual([b.take(), b.take(), b.take(), b.take()], [true, true, false, false]);
  assert.equal(b.flush(), 2);
  assert.equal(b.flush(), 0);
  now = 1000;
  assert.equal(b.take(), true);
});
