#!/usr/bin/env node
/**
 * CPU of the arrival-rate scheduler: constant-arrival-rate against a target that accepts and never
 * answers, so every VU hangs and nearly every arrival is dropped; what is left is the scheduler's
 * own cost. Prints CPU seconds (all threads, from a preload's process.cpuUsage) per wall second.
 *
 *   npm run build && node bench/arrival-cpu.mjs [rate=1000] [seconds=10] [vus=10]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [rate = 1000, seconds = 10, vus = 10] = process.argv.slice(2).map(Number);
const bin = fileURLToPath(new URL('../bin/volley.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'volley-arrival-cpu-'));
const held = [];
const server = createServer((req) => held.push(req)); // never answers
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/hang`;
writeFileSync(
  join(dir, 'script.mjs'),
  `import http from 'volley/http';
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s', duration: '${seconds}s', preAllocatedVUs: ${vus}, maxVUs: ${vus}, gracefulStop: '0s' } } };
export default async function () { await http.get('${url}'); }
`,
);
writeFileSync(
  join(dir, 'probe.mjs'),
  `import { isMainThread } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
if (isMainThread) process.on('exit', () => writeFileSync(${JSON.stringify(join(dir, 'cpu.json'))}, JSON.stringify(process.cpuUsage())));
`,
);
const t0 = performance.now();
const child = spawn(process.execPath, [bin, 'run', join(dir, 'script.mjs'), '--quiet', '--no-summary', '--workers', '1'], {
  env: { ...process.env, NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'probe.mjs')).href}` },
  stdio: ['ignore', 'inherit', 'inherit'],
});
await new Promise((r) => child.on('close', r));
const wall = (performance.now() - t0) / 1000;
const u = JSON.parse(readFileSync(join(dir, 'cpu.json'), 'utf8'));
const cpu = (u.user + u.system) / 1e6;
console.log(`constant-arrival-rate ${rate}/s, ${vus} VUs, ${seconds} s, hung target: ${cpu.toFixed(2)} CPU s in ${wall.toFixed(2)} s wall (${((100 * cpu) / wall).toFixed(0)}% of a core, start-up included)`);
for (const r of held) r.socket.destroy();
server.close();
