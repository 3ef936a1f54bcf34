#!/usr/bin/env node
// Memory per VU: N VUs (the real Vu, IterationRunner and MetricStore) each loop
//   await http.get(url); await sleep(1)
// so every VU holds its keep-alive connection while it sleeps. Prints RSS and V8 heap above the
// idle base (everything loaded, no VU yet), per VU, after a steady state. Bounded: ~25 s.
//
// Usage (build first: npx tsc -p .; the target must accept N connections, e.g. nginx with
// worker_connections > N, or `volley target`):
//   node --expose-gc bench/micro/memory-per-vu.mjs URL [vus=10000] [seconds=15]
// HEAPSNAPSHOT=FILE also writes a heap snapshot at the measurement (bench/micro/heap-by-type.mjs reads it).
import { MetricStore } from '../../dist/src/metrics/store.js';
import { IterationRunner } from '../../dist/src/vu/iteration.js';
import { threadBuiltins, threadRegistry } from '../../dist/src/vu/thread.js';
import { Vu } from '../../dist/src/vu/vu.js';
import http from '../../dist/src/protocols/http/module.js';
import { sleep } from '../../dist/src/vu/api.js';
import { currentVu } from '../../dist/src/vu/context.js';
import v8 from 'node:v8';
import { liveConnections } from '../../dist/src/protocols/http/fast/connection.js';

const [url = 'http://127.0.0.1:18081/', vusArg = '10000', secsArg = '15'] = process.argv.slice(2);
const nVus = Number(vusArg);
const secs = Number(secsArg);
const store = new MetricStore(threadRegistry, []);
const shared = { recorder: store, metrics: threadBuiltins, registry: threadRegistry, scriptDir: process.cwd(), options: {} };
let failures = 0;
// SLEEP=vu uses the VU's lean sleep (Vu.sleep); default: volley's sleep() (timers/promises with the VU's signal).
const leanSleep = process.env.SLEEP === 'vu';
const fn = async () => {
  const r = await http.get(url);
  if (r.status !== 200) failures++;
  if (leanSleep) await currentVu().sleep(1000);
  else await sleep(1);
};
const runner = new IterationRunner(fn, undefined, () => failures++);
const base = store.tagSets.of({ scenario: 'default', group: '' });
const scenario = { name: 'default', executor: 'constant-vus', startTime: Date.now(), iterationInInstance: 0, iterationInTest: 0, progress: 0 };

// Warm the code paths with one VU so the base includes compiled code, then measure the base.
{
  const vu = new Vu(0, scenario, {}, base, shared);
  await runner.run(vu);
  await vu.close();
}
const mb = (b) => (b / 1024 / 1024).toFixed(1);
function settle() {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
  const m = process.memoryUsage();
  m.spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
  return m;
}
await new Promise((r) => setTimeout(r, 200));
const m0 = settle();

let stop = false;
const vus = [];
const loops = [];
const t0 = performance.now();
for (let i = 0; i < nVus; i++) {
  const vu = new Vu(i + 1, scenario, {}, base, shared);
  vus.push(vu);
  loops.push(
    (async () => {
      while (!stop && !vu.interrupted) await runner.run(vu);
    })(),
  );
  // Ramp: 500 new VUs (connections) per 50 ms, within the server's accept backlog.
  if (i % 500 === 499) await new Promise((r) => setTimeout(r, 50));
}
await new Promise((r) => setTimeout(r, secs * 1000));
store.drain();
const m1 = settle();
if (process.env.HEAPSNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.HEAPSNAPSHOT);
const elapsed = (performance.now() - t0) / 1000;
const iters = runner.completed;
const conns = liveConnections();
stop = true;
for (const vu of vus) vu.interrupt();
await Promise.allSettled(loops);
for (const vu of vus) await vu.close();

const spaces = Object.keys(m1.spaces)
  .map((k) => `${k.replace('_space', '')} ${mb(m0.spaces[k])}→${mb(m1.spaces[k])}`)
  .join(', ');
console.log(`V8 spaces (committed MB): ${spaces}; heapTotal ${mb(m0.heapTotal)}→${mb(m1.heapTotal)}`);
const per = (a, b) => (((b - a) / nVus) / 1024).toFixed(2);
console.log(`${leanSleep ? 'Vu.sleep' : 'sleep()'}: ${nVus} VUs, ${conns} connections held, ${iters} iterations in ${elapsed.toFixed(1)} s (${(iters / elapsed).toFixed(0)}/s), ${failures} failures`);
console.log(`base:   rss ${mb(m0.rss)} MB, heapUsed ${mb(m0.heapUsed)} MB, external ${mb(m0.external)} MB`);
console.log(`loaded: rss ${mb(m1.rss)} MB, heapUsed ${mb(m1.heapUsed)} MB, external ${mb(m1.external)} MB`);
console.log(`above base: rss ${mb(m1.rss - m0.rss)} MB (${per(m0.rss, m1.rss)} KB per VU), heap ${mb(m1.heapUsed - m0.heapUsed)} MB (${per(m0.heapUsed, m1.heapUsed)} KB per VU)`);
process.exit(0);
