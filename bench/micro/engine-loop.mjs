#!/usr/bin/env node
// The engine's per-request cost without the CLI around it: N VUs (the real Vu, IterationRunner
// and worker MetricStore, as a constant-vus scenario runs them) loop over one iteration function
// against a target, and this prints steady-state requests/s and CPU per request (user+sys of this
// process, which is single-threaded here: no worker, no main-thread aggregation).
//
// Usage (build first: npx tsc -p .):
//   taskset -c 1 node bench/micro/engine-loop.mjs URL [plain|scripted] [vus=64] [seconds=5]
// Env VOLLEY_HTTP_TRANSPORT=undici|fast picks the transport (default fast); PROFILE=FILE writes a
// CPU profile of the measured (steady-state) part only, for bench/micro/prof-summary.mjs.
//   plain:    await http.get(url)
//   scripted: const r = await http.get(url); check(r, { status: r.status === 200, id: r.json('id') !== undefined })
import { MetricStore } from '../../dist/src/metrics/store.js';
import { resolveOptions } from '../../dist/src/config/resolve.js';
import { metricCatalog } from '../../dist/src/protocols/index.js';
import { IterationRunner } from '../../dist/src/vu/iteration.js';
import { threadBuiltins, threadRegistry } from '../../dist/src/vu/thread.js';
import { Vu } from '../../dist/src/vu/vu.js';
import http from '../../dist/src/protocols/http/module.js';
import { check } from '../../dist/src/vu/api.js';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

const [url = 'http://127.0.0.1:18081/', kind = 'plain', vusArg = '64', secsArg = '5'] = process.argv.slice(2);
const nVus = Number(vusArg);
const secs = Number(secsArg);
const store = new MetricStore(threadRegistry, [], { breakdowns: metricCatalog().breakdowns });
// The run's options as the CLI resolves them (VOLLEY_HTTP_TRANSPORT picks the transport).
const options = resolveOptions({ scriptOptions: { iterations: 1 }, scriptPath: 'engine-loop', processEnv: process.env, cli: {}, exportedFunctions: ['default'] });
const shared = { recorder: store, metrics: threadBuiltins, registry: threadRegistry, scriptDir: process.cwd(), options };
const fns = {
  plain: async () => {
    await http.get(url);
  },
  scripted: async () => {
    const r = await http.get(url);
    check(r, { 'status 200': (x) => x.status === 200, 'has id': (x) => x.json('id') !== undefined });
  },
};
const fn = fns[kind];
if (!fn) throw new Error(`kind: plain or scripted, not ${kind}`);
let exceptions = 0;
const runner = new IterationRunner(fn, undefined, (e) => {
  if (exceptions++ === 0) console.error(e);
});
const base = store.tagSets.of({ scenario: 'default', group: '' });
const scenario = { name: 'default', executor: 'constant-vus', startTime: Date.now(), iterationInInstance: 0, iterationInTest: 0, progress: 0 };
let stop = false;
const vus = [];
const loops = [];
for (let i = 0; i < nVus; i++) {
  const vu = new Vu(i + 1, scenario, {}, base, shared);
  vus.push(vu);
  loops.push(
    (async () => {
      while (!stop) await runner.run(vu);
    })(),
  );
}
await new Promise((r) => setTimeout(r, 1000)); // warm-up (JIT, connections)
store.drain();
let session;
if (process.env.PROFILE) {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
const n0 = runner.completed;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await new Promise((r) => setTimeout(r, secs * 1000));
const n = runner.completed - n0;
const cpu = process.cpuUsage(cpu0);
const wall = (performance.now() - t0) / 1000;
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(process.env.PROFILE, JSON.stringify(profile));
}
stop = true;
await Promise.all(loops);
for (const vu of vus) await vu.close();
const cpuS = (cpu.user + cpu.system) / 1e6;
console.log(
  `${process.env.VOLLEY_HTTP_TRANSPORT ?? 'fast'} ${kind} vus=${nVus}: ${Math.round(n / wall)} req/s, CPU ${((cpuS / n) * 10_000).toFixed(4)} s per 10k` +
    ` (${((cpuS / n) * 1e6).toFixed(2)} µs/req; user ${(cpu.user / 1e6).toFixed(2)} s, sys ${(cpu.system / 1e6).toFixed(2)} s)${exceptions ? `, ${exceptions} exceptions` : ''}`,
);
process.exit(0);
