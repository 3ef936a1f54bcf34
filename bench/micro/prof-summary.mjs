#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per file, top N.
// Usage: node bench/micro/prof-summary.mjs FILE.cpuprofile [N=30]
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: prof-summary.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const N = Number(nArg ?? 30);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const files = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const short = cf.url.replace(/^.*\/(node_modules\/[^/]+|dist\/src|node:)/, '$1').replace(/^file:\/\//, '');
  const k = `${cf.functionName || '(anon)'}  ${short}:${cf.lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + us);
  const f = short || `(${cf.functionName})`;
  files.set(f, (files.get(f) ?? 0) + us);
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%';
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
console.log('\n-- self time by function --');
for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(pct(us), k);
console.log('\n-- self time by file --');
for (const [k, us] of [...files].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(pct(us), k);
