/**
 * Speed of the target's fastest routes versus a minimal node:http server, one server core each.
 *
 *   npx tsc -p . && node dist/src/target/bench/speed.js [--seconds 5] [--rounds 5] [--connections 50]
 *
 * Needs `wrk` (apt-get install -y wrk) and, for pinning, `taskset` (util-linux): servers run on CPU 0,
 * wrk on CPU 1. Rounds alternate between servers so that background noise hits all of them alike;
 * the median per URL is reported. Loopback only (127.0.0.1). Results are recorded in docs/target.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' } } });
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
const targetIndex = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'index.js');

/** Each server answers a line on stdin with its CPU time so far (µs): CPU per request is robust to noisy neighbours. */
const CPU_PROBE = `process.stdin.on('data', () => { const u = process.cpuUsage(); process.stdout.write((u.user + u.system) + '\\n'); });`;
const MINIMAL = `
import http from 'node:http';
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  res.end('ok');
}).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
${CPU_PROBE}`;
const TARGET = `
import { startTarget } from ${JSON.stringify(targetIndex)};
await startTarget({ port: Number(process.argv[1]) });
console.log('ready');
${CPU_PROBE}`;

function startServer(code: string, port: number): Promise<ChildProcess> {
  const args = ['--input-type=module', '-e', code, String(port)];
  const child = hasTaskset ? spawn('taskset', ['-c', '0', process.execPath, ...args]) : spawn(process.execPath, args);
  return new Promise((ok, fail) => {
    child.stdout!.once('data', () => ok(child));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (c) => fail(new Error(`server exited with ${c}: ${err}`)));
  });
}

function cpuMicros(server: ChildProcess): Promise<number> {
  return new Promise((ok) => {
    server.stdout!.once('data', (d: Buffer) => ok(Number(d.toString().trim())));
    server.stdin!.write('\n');
  });
}

interface Run {
  rps: number;
  /** Server CPU time per request, µs. */
  cpuUs: number;
}

async function wrk(server: ChildProcess, url: string): Promise<Run> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, url];
  const before = await cpuMicros(server);
  const r = hasTaskset ? spawnSync('taskset', ['-c', '1', 'wrk', ...args], { encoding: 'utf8' }) : spawnSync('wrk', args, { encoding: 'utf8' });
  const after = await cpuMicros(server);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout ?? '');
  const n = /(\d+) requests in/.exec(r.stdout ?? '');
  if (!m || !n) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  if (/Non-2xx|Socket errors/.test(r.stdout)) throw new Error(`errors during the run of ${url}:\n${r.stdout}`);
  return { rps: Number(m[1]), cpuUs: (after - before) / Number(n[1]) };
}

const minimal = await startServer(MINIMAL, 9301);
const target = await startServer(TARGET, 9302);
const urls: [string, ChildProcess, string][] = [
  ['minimal node:http', minimal, 'http://127.0.0.1:9301/'],
  ['target GET /fast', target, 'http://127.0.0.1:9302/fast'],
  ['target GET /api/assignments/:user', target, 'http://127.0.0.1:9302/api/assignments/u123'],
  ['target GET /health', target, 'http://127.0.0.1:9302/health'],
];
const results: Record<string, Run[]> = {};
try {
  for (const [, server, u] of urls) await wrk(server, u); // warm-up (JIT)
  for (let i = 0; i < rounds; i++) {
    for (const [name, server, u] of urls) (results[name] ??= []).push(await wrk(server, u));
  }
} finally {
  minimal.kill();
  target.kill();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseRps = median(results['minimal node:http']!.map((r) => r.rps));
const baseCpu = median(results['minimal node:http']!.map((r) => r.cpuUs));
console.log(`wrk -t1 -c${connections} -d${seconds}s, ${rounds} rounds, medians; servers on CPU 0, wrk on CPU 1${hasTaskset ? '' : ' (no taskset: unpinned)'}; node ${process.version}`);
console.log(`${'server'.padEnd(36)} ${'req/s'.padStart(7)}  ratio   CPU µs/req  ratio   runs (req/s)`);
for (const [name, runs] of Object.entries(results)) {
  const rps = median(runs.map((r) => r.rps));
  const cpu = median(runs.map((r) => r.cpuUs));
  console.log(`${name.padEnd(36)} ${Math.round(rps).toString().padStart(7)}  ${(rps / baseRps).toFixed(2)}×  ${cpu.toFixed(1).padStart(10)}  ${(cpu / baseCpu).toFixed(2)}×  ${runs.map((r) => Math.round(r.rps)).join(', ')}`);
}
