#!/usr/bin/env node
// Proxy overhead: what `volley proxy` (no faults) adds to a request, beside a direct connection.
//   npm run build && node bench/proxy.mjs [--seconds 10]
// 1. Latency: one keep-alive connection, sequential GETs, direct and through the proxy in
//    alternating blocks of 500; p50/p99 of each and their difference (the proxy's added latency).
// 2. Throughput: autocannon -c 64 for N seconds, direct then through the proxy, with the proxy
//    pinned to one CPU (taskset -c 1 when available; target and autocannon on CPU 0); req/s, and
//    the proxy's CPU use (from /proc) to give req/s per core of proxy CPU. On 2 cores autocannon and
//    the target share CPU 0 and limit the rate: the per-core figure is the proxy's cost, not its ceiling.
// Target: `volley target` with one static route. Loopback only.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 10) || 10;
const BIN = new URL('../bin/volley.js', import.meta.url).pathname;
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const pinned = (cpu, args) => (hasTaskset ? ['taskset', ['-c', String(cpu), process.execPath, ...args]] : [process.execPath, args]);

function start(cpu, args, re) {
  const [cmd, argv] = pinned(cpu, args);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = re.exec(out);
      if (m) resolve({ child, match: m[1] });
    });
    child.on('exit', (c) => reject(new Error(`${args.join(' ')} exited ${c}: ${out}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'volley-proxy-bench-'));
const cfg = join(dir, 'target.json');
writeFileSync(cfg, JSON.stringify({ routes: [{ path: '/', body: { json: { value: { id: 1, name: 'volley' } } } }] }));
const target = await start(0, [BIN, 'target', '--port', '0', '--config', cfg], /listening on (http:\/\/\S+)/);
const proxy = await start(1, [BIN, 'proxy', '--listen', '127.0.0.1:0', '--upstream', target.match, '--api', 'off'], /main: (\S+) →/);
const direct = `${target.match}/`;
const viaProxy = `http://${proxy.match}/`;

function timedGets(url, n, agent) {
  return new Promise((resolve, reject) => {
    const out = [];
    const one = () => {
      const t0 = performance.now();
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          out.push(performance.now() - t0);
          if (out.length < n) one();
          else resolve(out);
        });
      });
      req.on('error', reject);
      req.end();
    };
    one();
  });
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// Warm both paths, then alternate blocks.
const aD = new Agent({ keepAlive: true, maxSockets: 1 });
const aP = new Agent({ keepAlive: true, maxSockets: 1 });
await timedGets(direct, 1000, aD);
await timedGets(viaProxy, 1000, aP);
const d = [];
const p = [];
for (let i = 0; i < 10; i++) {
  d.push(...(await timedGets(direct, 500, aD)));
  p.push(...(await timedGets(viaProxy, 500, aP)));
}
const lat = {
  directP50: pct(d, 50),
  directP99: pct(d, 99),
  proxyP50: pct(p, 50),
  proxyP99: pct(p, 99),
};

// Throughput through the proxy, and the proxy's CPU over the run.
const clk = 100; // USER_HZ
const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / clk;
};
const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
function cannon(url) {
  const [cmd, argv] = hasTaskset ? ['taskset', ['-c', '0', process.execPath, autocannon, '-c', '64', '-d', String(seconds), '-j', url]] : [process.execPath, [autocannon, '-c', '64', '-d', String(seconds), '-j', url]];
  const out = execFileSync(cmd, argv, { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString());
}
// taskset execs node in place: the child's pid is the proxy's.
const proxyPid = proxy.child.pid;
const rDirect = cannon(direct);
const c0 = cpuOf(proxyPid);
const t0 = performance.now();
const r = cannon(viaProxy);
const cpuSec = cpuOf(proxyPid) - c0;
const wall = (performance.now() - t0) / 1000;
const rps = r.requests.average;
const cpuShare = cpuSec / wall;
const model = cpus()[0]?.model ?? 'unknown CPU';

const f = (x) => x.toFixed(3);
console.log(`CPU: ${model} (${cpus().length} cores); proxy pinned: ${hasTaskset}`);
console.log(`latency, 1 connection, ${d.length} GETs each: direct p50 ${f(lat.directP50)} ms p99 ${f(lat.directP99)} ms; proxied p50 ${f(lat.proxyP50)} ms p99 ${f(lat.proxyP99)} ms`);
console.log(`added by the proxy: p50 +${f(lat.proxyP50 - lat.directP50)} ms, p99 +${f(lat.proxyP99 - lat.directP99)} ms`);
console.log(`throughput direct, 64 connections, ${seconds} s: ${rDirect.requests.average.toFixed(0)} req/s`);
console.log(`throughput through the proxy, 64 connections, ${seconds} s: ${rps.toFixed(0)} req/s, proxy CPU ${(cpuShare * 100).toFixed(0)} % of a core → ${(rps / Math.max(cpuShare, 0.01)).toFixed(0)} req/s per core; errors ${r.errors}, non-2xx ${r.non2xx}`);
proxy.child.kill('SIGTERM');
target.child.kill('SIGTERM');
aD.destroy();
aP.destroy();
