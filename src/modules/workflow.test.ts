import { test } from 'node:test';
import assert from 'node:assert/strict';
import { between, classForVu, constantPacing, constantThroughput, loadShape, markov, task, user, WeightedPick } from './workflow.js';

const noop = () => undefined;

test('classForVu: fixed counts take the first ids; weights hold on every prefix (smooth round-robin)', () => {
  const admin = user({ name: 'admin', fixedCount: 2, tasks: [task('a', noop)] });
  const a = user({ name: 'a', weight: 3, tasks: [task('a', noop)] });
  const b = user({ name: 'b', weight: 1, tasks: [task('b', noop)] });
  const users = [admin, a, b];
  assert.equal(classForVu(users, 1).name, 'admin');
  assert.equal(classForVu(users, 2).name, 'admin');
  const names = Array.from({ length: 40 }, (_, i) => classForVu(users, i + 3).name);
  for (let n = 1; n <= 40; n++) {
    const prefix = names.slice(0, n);
    const as = prefix.filter((x) => x === 'a').length;
    assert.ok(Math.abs(as - (n * 3) / 4) <= 1, `prefix ${n}: ${as} of class a`);
  }
  assert.throws(() => classForVu([admin], 3), /VU 3 has no user class/);
});

test('WeightedPick draws by weight', () => {
  const p = new WeightedPick([['x', 1], ['y', 0], ['z', 3]] as const, 'test');
  assert.equal(p.pick(0), 'x');
  assert.equal(p.pick(0.24), 'x');
  assert.equal(p.pick(0.26), 'z');
  assert.equal(p.pick(0.999), 'z');
  assert.throws(() => new WeightedPick([['x', 0]] as const, 'a set'), /a set: every weight is 0/);
});

test('wait times follow Locust: between, constantPacing (none when the task was slower), constantThroughput', () => {
  const w = between(1, 5);
  for (let i = 0; i < 100; i++) {
    const s = w(0);
    assert.ok(s >= 1 && s <= 5);
  }
  assert.equal(constantPacing(2)(500), 1.5);
  assert.equal(constantPacing(2)(2500), 0);
  assert.equal(constantThroughput(4)(100), 0.15);
  assert.throws(() => between(5, 1), /max is less than min/);
  assert.throws(() => constantThroughput(0), /must be more than 0/);
});

test('loadShape turns a tick function into ramping-vus stages, merging equal slopes', () => {
  const stages = loadShape((t) => (t < 10 ? [10, 2] : t < 20 ? [4, 3] : t < 25 ? [4, 1] : null));
  // 0→10 at 2/s (5 s), hold until 10, 10→4 at 3/s (2 s), hold to 25.
  assert.deepEqual(stages, [
    { duration: '5s', target: 10 },
    { duration: '5s', target: 10 },
    { duration: '2s', target: 4 },
    { duration: '13s', target: 4 },
  ]);
  assert.throws(() => loadShape(() => null), /stopped the test before it began/);
  assert.throws(() => loadShape(() => [1.5, 1]), /tick\(0\) returned \[1.5, 1\]/);
});

test('bad definitions name the task, user or transition', () => {
  assert.throws(() => task('has space', noop), /task name 'has space' is not valid/);
  assert.throws(() => task('t', noop, -1), /task\('t'\): weight -1/);
  assert.throws(() => user({ name: 'u', tasks: [] }), /needs at least one task/);
  assert.throws(() => user({ name: 'u', tasks: [task('a', noop, 0)] }), /every task has weight 0/);
  assert.throws(() => markov({ tasks: [task('a', noop)], next: { a: { c: 1 } } }), /transition a → 'c' names no task/);
  assert.throws(() => markov({ tasks: [task('a', noop), task('b', noop)], next: { a: { b: 1 } } }), /task 'b' has no transitions/);
  assert.throws(() => user({ name: 'u', fixedCount: 1.5, tasks: [task('a', noop)] }), /fixedCount 1.5/);
});
