#!/usr/bin/env node
// CPU per streamed chunk and per SSE event on the client side (this process), the server in a
// child process (pin them apart: taskset -c 1 for this one; the child inherits it unless
// SERVER_CPU=0 is set, which runs it under taskset -c 0).
//
// Usage (build first: npx tsc -p .):
//   taskset -c 1 node bench/micro/streams.mjs [streams=20] [seconds=4] [events per response=200]
//
// Cases, each run for `seconds` with `streams` concurrent streams, every response `events` events
// written one per write (the server yields between writes, so most arrive as their own chunk):
//   node:http     plain node:http GETs counting 'data' events: Node's floor, no parsing, no metrics
//   http.stream   Volley's streamed HTTP (real Vu and MetricStore), `for await` over chunks
//   onChunk       the same with params.onChunk and done()
//   sse.open      Volley's SSE client: parse, record sse_* per event, handlers
// and, alone, SseParser over one buffer (ns per event, no I/O).
import { spawn } from 'node:child_process';
import { request, Agent } from 'node:http';
import { MetricStore } from '../../dist/src/metrics/store.js';
import { resolveOptions } from '../../dist/src/config/resolve.js';
import { metricCatalog } from '../../dist/src/protocols/index.js';
import { threadBuiltins, threadRegistry } from '../../dist/src/vu/thread.js';
import { Vu } from '../../dist/src/vu/vu.js';
import { vuStorage } from '../../dist/src/vu/context.js';
import http from '../../dist/src/protocols/http/module.js';
import sse, { SseParser } from '../../dist/src/protocols/sse/module.js';
import { bench } from './bench-util.mjs';

const [streamsArg = '20', secsArg = '4', eventsArg = '200'] = process.argv.slice(2);
const nStreams = Number(streamsArg);
const secs = Number(secsArg);
const nEvents = Number(eventsArg);

const SERVER = `
const http = require('node:http');
const ev = (i) => 'id: ' + i + '\\ndata: {"choices":[{"delta":{"content":"token ' + i + '"}}]}\\n\\n';
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let i = 0;
  const tick = () => {
    if (i >= ${nEvents}) return res.end();
    res.write(ev(++i));
    setImmediate(tick);
  };
  tick();
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;
const args = process.env.SERVER_CPU !== undefined ? ['taskset', ['-c', process.env.SERVER_CPU, process.execPath, '-e', SERVER]] : [process.execPath, ['-e', SERVER]];
const server = spawn(args[0], args[1], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((r) => server.stdout.once('data', (d) => r(Number(String(d).trim()))));
const url = `http://127.0.0.1:${port}/`;

const store = new MetricStore(threadRegistry, [], { breakdowns: metricCatalog().breakdowns });
const options = resolveOptions({ scriptOptions: { iterations: 1 }, scriptPath: 'streams', processEnv: process.env, cli: {}, exportedFunctions: ['default'] });
const shared = { recorder: store, metrics: threadBuiltins, registry: threadRegistry, scriptDir: process.cwd(), options };
const base = store.tagSets.of({ scenario: 'default', group: '' });
const scenario = { name: 'default', executor: 'constant-vus', startTime: Date.now(), iterationInInstance: 0, iterationInTest: 0, progress: 0 };

/** Runs `one()` in `nStreams` loops for warm-up then `secs`; returns CPU µs per chunk and per event. */
async function measure(name, one) {
  let stop = false;
  const count = { chunks: 0, events: 0 };
  const loops = [];
  for (let i = 0; i < nStreams; i++) {
    const vu = new Vu(i + 1, scenario, {}, base, shared);
    loops.push((async () => {
      while (!stop) await vuStorage.run(vu, () => one(count));
    })());
  }
  await new Promise((r) => setTimeout(r, 1000));
  store.drain();
  const c0 = { ...count };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, secs * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  const chunks = count.chunks - c0.chunks;
  const events = count.events - c0.events;
  stop = true;
  await Promise.all(loops);
  store.drain();
  const us = (cpu.user + cpu.system);
  console.log(
    `${name.padEnd(14)} ${String(Math.round(events / wall)).padStart(8)} events/s ${String(Math.round(chunks / wall)).padStart(8)} chunks/s  ` +
      `CPU ${(us / events).toFixed(2).padStart(6)} µs/event ${(us / chunks).toFixed(2).padStart(6)} µs/chunk  (${((us / 1e6 / wall) * 100).toFixed(0)} % of a core)`,
  );
}

const agent = new Agent({ keepAlive: true });
await measure('node:http', (count) => new Promise((resolve, reject) => {
  request(url, { agent }, (res) => {
    res.on('data', () => count.chunks++);
    res.on('end', () => {
      count.events += nEvents;
      resolve();
    });
  }).on('error', reject).end();
}));

await measure('http.stream', async (count) => {
  const res = await http.stream('GET', url);
  for await (const _c of res) count.chunks++;
  count.events += nEvents;
});

await measure('onChunk', async (count) => {
  const res = await http.stream('GET', url, null, { onChunk: () => count.chunks++ });
  await res.done();
  count.events += nEvents;
});

await measure('sse.open', async (count) => {
  const r = await sse.open(url, {}, (c) => c.on('event', () => undefined));
  count.events += r.events;
  count.chunks += r.events; // chunks are not exposed by sse.open; ≈ events with one write each
});

const text = Array.from({ length: 1000 }, (_, i) => `id: ${i}\ndata: {"choices":[{"delta":{"content":"token ${i}"}}]}\n\n`).join('');
const buf = Buffer.from(text);
let sink = 0;
const perBuffer = bench('SseParser, 1000 events in one buffer (per buffer)', 200, () => {
  const p = new SseParser({ onEvent: (e) => (sink += e.data.length) });
  p.push(buf);
});
console.log(`SseParser alone: ${(perBuffer / 1000).toFixed(0)} ns per event`);

agent.destroy();
server.kill();
