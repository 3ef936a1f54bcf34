import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Limiter } from './concurrency.js';
import { Ring } from './ring.js';

test('ring buffer keeps FIFO order across growth and wrap-around', () => {
  const r = new Ring<number>();
  let next = 0;
  let expect = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 37; i++) r.push(next++);
    for (let i = 0; i < 30; i++) assert.equal(r.shift(), expect++);
  }
  while (r.length > 0) assert.equal(r.shift(), expect++);
  assert.equal(expect, next);
  assert.equal(r.shift(), undefined);
});

test('limiter: max in service, FIFO queue, full beyond; release hands the slot over', () => {
  const ready: string[] = [];
  const l = new Limiter<string>(2, 2, (w) => ready.push(w));
  assert.equal(l.acquire('a'), 'acquired');
  assert.equal(l.acquire('b'), 'acquired');
  assert.equal(l.acquire('c'), 'queued');
  assert.equal(l.acquire('d'), 'queued');
  assert.equal(l.acquire('e'), 'full');
  assert.equal(l.queued, 2);
  l.release();
  assert.deepEqual(ready, ['c']);
  assert.equal(l.active, 2);
  l.release();
  l.release();
  assert.deepEqual(ready, ['c', 'd']);
  assert.equal(l.active, 1);
});

test('limiter: releases from inside onReady do not recurse', () => {
  let depth = 0;
  let maxDepth = 0;
  const l: Limiter<number> = new Limiter<number>(1, 10_000, () => {
    depth++;
    maxDepth = Math.max(maxDepth, depth);
    l.release(); // a waiter that finishes synchronously
    depth--;
  });
  l.acquire(0);
  for (let i = 1; i <= 5000; i++) l.acquire(i);
  l.release();
  assert.equal(l.queued, 0);
  assert.equal(l.active, 0);
  assert.equal(maxDepth, 1);
});
