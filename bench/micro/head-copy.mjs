#!/usr/bin/env node
// Copying a response head (and small body) out of the shared read buffer, per response:
// Buffer.allocUnsafe + buf.copy (the fast transport's onHead) against the alternatives.
// Usage: node bench/micro/head-copy.mjs
import { bench } from './bench-util.mjs';

const shared = Buffer.alloc(64 * 1024, 0x61);
const N = 2_000_000;
let sink;
for (const take of [180, 400]) {
  bench(`allocUnsafe + buf.copy (${take} B)`, N, (i) => {
    const c = Buffer.allocUnsafe(take);
    shared.copy(c, 0, i & 1023, (i & 1023) + take);
    sink = c;
  });
  bench(`allocUnsafe + set(subarray) (${take} B)`, N, (i) => {
    const c = Buffer.allocUnsafe(take);
    c.set(shared.subarray(i & 1023, (i & 1023) + take));
    sink = c;
  });
  bench(`Buffer.copyBytesFrom (${take} B)`, N, (i) => {
    sink = Buffer.copyBytesFrom(shared, i & 1023, take);
  });
}
if (sink.length === 0) console.log('');
