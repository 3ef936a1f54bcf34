#!/usr/bin/env node
// V8's --optimize-for-size, set before any worker thread (and its heap) exists. A load generator
// holds many idle coroutines and sockets and churns short-lived garbage; with this flag V8 sizes
// its heaps for that. Measured 2026-11-25 on the 2-core box (bench/README.md method):
//   10,000 sleeping VUs with keep-alive connections: 22.4 → 7.3 KB RSS per VU above the idle base;
//   plain GET, 64 VUs, one pinned worker: 97.9k → 103.4k req/s, 0.125 → 0.121 CPU s per 10k requests.
// The price is more frequent garbage collection when the live heap is large: at 10,000 sleeping VUs
// CPU per request rose (0.54 → 0.97 CPU s per 10k), while the rate reached went up (5.8k → 8.1k/s).
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--optimize-for-size');
const { main } = await import('../dist/src/cli/main.js');
const code = await main(process.argv.slice(2));
// Exit once stdout and stderr are flushed: the script's init context ran in this thread, and a
// timer or client it left open (setInterval, a database pool) must not keep Volley running.
let pending = 2;
const done = () => --pending === 0 && process.exit(code);
process.stdout.write('', done);
process.stderr.write('', done);
