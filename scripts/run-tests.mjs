#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with Node's test runner.
// Optional arguments filter test files by substring: `npm test -- target http`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('dist', []).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Two cores: run two files at a time; timing-sensitive tests use tolerances that hold under that load.
// Files named *.serial.test.js measure latency against ground truth: they run afterwards, alone,
// so that another test's load is not mistaken for the generator's error.
const parallel = files.filter((f) => !f.endsWith('.serial.test.js'));
const serial = files.filter((f) => f.endsWith('.serial.test.js'));
const totals = { pass: 0, fail: 0, skipped: 0 };

/** Runs one batch, streaming its TAP output and adding up its top-level counts. */
function run(list, concurrency) {
  if (list.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...list], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rest = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) {
        const m = /^# (pass|fail|skipped) (\d+)$/.exec(l);
        if (m) totals[m[1]] += Number(m[2]);
      }
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const a = await run(parallel, 2);
const b = await run(serial, 1);
// One closing line for the whole suite (both batches).
console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(a || b);
