#!/usr/bin/env node
// Summarises a .heapsnapshot by type (self size and count per constructor), or the difference
// between two snapshots divided by a unit count (e.g. two runs with 2,000 and 4,000 VUs → per VU).
// Usage: node bench/micro/heap-by-type.mjs A.heapsnapshot [B.heapsnapshot] [N=40] [units=1]
import { readFileSync } from 'node:fs';

function load(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize, nf] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size'), f.length];
  const { nodes, strings } = snap;
  const agg = new Map();
  for (let i = 0; i < nodes.length; i += nf) {
    const t = types[nodes[i + iType]];
    const name = t === 'object' || t === 'closure' || t === 'native' ? `${t}:${strings[nodes[i + iName]]}` : `(${t})`;
    const a = agg.get(name) ?? [0, 0];
    a[0] += nodes[i + iSize];
    a[1]++;
    agg.set(name, a);
  }
  return agg;
}
const args = process.argv.slice(2);
const a = load(args[0]);
const b = args[1] && args[1].endsWith('.heapsnapshot') ? load(args[1]) : null;
const rest = b ? args.slice(2) : args.slice(1);
const top = Number(rest[0] ?? 40);
const units = Number(rest[1] ?? 1);
const rows = [];
const keys = new Set([...a.keys(), ...(b ? b.keys() : [])]);
for (const k of keys) {
  const [sa, na] = a.get(k) ?? [0, 0];
  const [sb, nb] = b ? (b.get(k) ?? [0, 0]) : [0, 0];
  rows.push([k, b ? sb - sa : sa, b ? nb - na : na]);
}
rows.sort((x, y) => y[1] - x[1]);
const total = rows.reduce((s, r) => s + r[1], 0);
console.log(`${b ? 'difference' : 'total'} ${(total / 1048576).toFixed(2)} MB = ${(total / units).toFixed(0)} B per unit (${units} units)`);
for (const [k, sz, n] of rows.slice(0, top)) console.log(`${(sz / units).toFixed(0).padStart(7)} B ${(n / units).toFixed(2).padStart(7)} objs per unit  ${k}`);
