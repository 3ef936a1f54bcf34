#!/usr/bin/env node
// Memory and CPU per browser VU: one Chromium (as volley/browser launches it: launcher.ts's
// settings, Debian's /usr/bin/chromium), then N browser contexts, each with one page that has
// loaded a small page from a loopback server with the web-vitals init script (vitals.ts), as a
// browser VU holds mid-iteration. Prints the PSS (proportional set size: shared pages counted once)
// of Chromium's whole process tree, at 0 contexts and at N, and the difference per context; and the
// CPU time Chromium spent per page load. Bounded: N ≤ 50, ~20 s.
//
// Usage (build first: npm run build): node bench/micro/browser-memory.mjs [contexts=10]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { launchSettings } from '../../dist/src/protocols/browser/launcher.js';
import { vitalsInitScript, VITAL_BINDING } from '../../dist/src/protocols/browser/vitals.js';

const n = Math.min(50, Number(process.argv[2] ?? 10));
const PAGE = '<!doctype html><title>bench</title><h1>Dashboard</h1><p>' + 'text '.repeat(200) + '</p><script>for(let i=0;i<50;i++){const d=document.createElement("div");d.textContent="row "+i;document.body.append(d)}</script>';
const server = createServer((_q, r) => (r.setHeader('content-type', 'text/html'), r.end(PAGE)));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const s = launchSettings();
const browser = await chromium.launch({ executablePath: s.executablePath, headless: s.headless, args: s.args });

function tree() {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=']).toString().trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const out = new Set();
  for (const [p, pp] of rows) if (pp === process.pid) out.add(p);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [p, pp] of rows) if (out.has(pp) && !out.has(p)) (out.add(p), (grown = true));
  }
  return [...out];
}
const pssKb = () => tree().reduce((sum, p) => { try { return sum + Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))[1]); } catch { return sum; } }, 0);
const cpuMs = () => tree().reduce((sum, p) => { try { const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); return sum + (Number(f[11]) + Number(f[12])) * 10; } catch { return sum; } }, 0);
const settle = () => new Promise((r) => setTimeout(r, 1500));

await settle();
const base = pssKb();
const contexts = [];
const cpu0 = cpuMs();
for (let i = 0; i < n; i++) {
  const ctx = await browser.newContext();
  await ctx.exposeBinding(VITAL_BINDING, () => {});
  await ctx.addInitScript({ content: vitalsInitScript() });
  const page = await ctx.newPage();
  await page.goto(url);
  contexts.push(ctx);
}
const cpuLoads = cpuMs() - cpu0;
await settle();
const loaded = pssKb();
console.log(`CPU: ${execFileSync('sh', ['-c', "lscpu | grep 'Model name' | sed 's/.*: *//'"]).toString().trim()}; Chromium ${browser.version()}`);
console.log(`Chromium tree PSS: ${(base / 1024).toFixed(0)} MB with no context, ${(loaded / 1024).toFixed(0)} MB with ${n} contexts (one loaded page each)`);
console.log(`per context: ${((loaded - base) / 1024 / n).toFixed(1)} MB; CPU per context + page load: ${(cpuLoads / n).toFixed(0)} ms`);
for (const c of contexts) await c.close();
await browser.close();
server.close();
