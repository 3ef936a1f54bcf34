#!/usr/bin/env node
// Runs `npm run build` only when a source is newer than the last build this script made (the
// stamp dist/.build-stamp: tsc leaves dist/.tsbuildinfo untouched when nothing changed), so
// `npm run demo` right after `npm ci` (whose `prepare` runs this) starts at once: even an
// incremental tsc run that changes nothing costs 2–13 s on a busy 2-core machine, this check a few
// milliseconds.
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const STAMP = 'dist/.build-stamp';
const SOURCES = ['src', 'test', 'bench', 'tsconfig.json', 'package.json'];

function newest(path) {
  let s;
  try {
    s = statSync(path);
  } catch {
    return 0;
  }
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) if (name !== 'node_modules') max = Math.max(max, newest(join(path, name)));
  return max;
}

let built = 0;
try {
  built = statSync(STAMP).mtimeMs;
} catch {
  // never built
}
if (built === 0 || SOURCES.some((p) => newest(p) > built)) {
  const started = new Date();
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // Stamped with the build's start: a source saved during the build makes the next run build again.
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
}
