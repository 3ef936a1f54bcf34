#!/usr/bin/env node
// Run history speed and size (docs/history.md, bench/RESULTS.md#run-history):
// 1. saving a 1-hour run (3,600 seconds of series, 50 requests/s, 3 routes) into SQLite: time and bytes;
// 2. a store of 10,000 runs: `volley runs` and `volley compare latest` as a user runs them (CLI, with
//    Node's start-up). Run after `npm run build`:  node bench/history.mjs [runs=10000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../dist/src/history/open.js';
import { syntheticSummary } from '../dist/src/history/testing/synthetic.js';

const N = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'volley-bench-history-'));
const identity = (s, i) => ({ test: 'api.ts', scriptHash: 'h', optionsHash: 'o', git: { commit: `c${i}`, branch: i % 2 ? 'main' : 'feature', dirty: false }, labels: { env: i % 3 ? 'ci' : 'staging' }, version: '0.1.0', machine: s.volley.machine });
const fileSize = (p) => ['', '-wal'].reduce((a, x) => a + (statSync(p + x, { throwIfNoEntry: false })?.size ?? 0), 0);

// 1. One hour.
{
  const path = join(dir, 'hour.db');
  const store = await openStore(path);
  const hour = syntheticSummary({ seconds: 3600, requestsPerSecond: 50, routes: ['GET /api/items', 'GET /api/items/:id', 'POST /api/orders'] });
  const before = fileSize(path);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await store.save(hour, identity(hour, i));
    times.push(performance.now() - t);
  }
  await store.db.run('PRAGMA wal_checkpoint(TRUNCATE)');
  const perRun = (fileSize(path) - before) / 5;
  await store.close();
  times.sort((a, b) => a - b);
  console.log(`save a 1-hour run: median ${times[2].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)}), ${(perRun / 1024).toFixed(0)} kB per run in the store`);
}

// 2. 10,000 runs (1 minute each: what listing and comparing touch does not depend on run length).
{
  const path = join(dir, 'many.db');
  const store = await openStore(path);
  const t0 = performance.now();
  const runs = [syntheticSummary({ seconds: 60, seed: 1 }), syntheticSummary({ seconds: 60, seed: 2 }), syntheticSummary({ seconds: 60, seed: 3 })];
  for (let i = 0; i < N; i++) await store.save(runs[i % 3], identity(runs[i % 3], i));
  await store.close();
  console.log(`filled ${N} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s, store ${(fileSize(path) / 1e6).toFixed(1)} MB`);
  const bin = new URL('../bin/volley.js', import.meta.url).pathname;
  const cli = (args) => {
    const t = performance.now();
    execFileSync(process.execPath, [bin, ...args, '--store', path], { stdio: ['ignore', 'ignore', 'inherit'] });
    return performance.now() - t;
  };
  const best = (args) => Math.min(cli(args), cli(args), cli(args));
  console.log(`volley --version (Node start-up alone): ${best(['--version']).toFixed(0)} ms`);
  console.log(`volley runs: ${best(['runs']).toFixed(0)} ms`);
  console.log(`volley runs --branch main --label env=staging: ${best(['runs', '--branch', 'main', '--label', 'env=staging']).toFixed(0)} ms`);
  console.log(`volley compare latest --baseline main: ${best(['compare', 'latest', '--baseline', 'main']).toFixed(0)} ms`);
  console.log(`volley trend api.ts (200 runs): ${best(['trend', join(process.cwd(), 'api.ts')]).toFixed(0)} ms`);
}
console.log(`CPU: ${cpus()[0]?.model} × ${cpus().length}`);
