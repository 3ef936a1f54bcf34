#!/usr/bin/env node
// `npm run build`: TypeScript → dist/, then a stamp (dist/.build-stamp, dated when the compile
// started). With --if-stale (`prepare`, `npm run demo`) it compiles only when a source is newer
// than the stamp: even an incremental tsc run that changes nothing costs 2–13 s on a busy 2-core
// machine, this check a few milliseconds. `prepare` also runs when a project installs this clone
// (`npm install /path/to/volley`), so that must not rebuild a dist/ that is up to date.
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const STAMP = join('dist', '.build-stamp');
const SOURCES = ['src', 'test', 'bench', 'tsconfig.json', 'package.json'];

/** Newest modification time (ms) of a file, or of anything under a folder; 0 when absent. */
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

function stampTime() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return 0;
  }
}

if (process.argv.includes('--if-stale')) {
  const built = stampTime();
  if (built > 0 && SOURCES.every((p) => newest(p) <= built)) process.exit(0);
}
const started = new Date();
const tsc = spawnSync(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// Incremental tsc never deletes: the outputs of a removed or renamed source would stay in dist/ (and
// their tests would still run). Remove every compiled file whose .ts source is gone.
function prune(dir) {
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of names) {
    const p = join(dir, e.name);
    if (e.isDirectory()) prune(p);
    else {
      const m = /^(.*)\.(js|js\.map|d\.ts|d\.ts\.map)$/.exec(p);
      if (m && !existsSync(`${m[1].slice('dist/'.length)}.ts`)) rmSync(p);
    }
  }
}
for (const top of ['src', 'test', 'bench']) prune(join('dist', top));
// Dated at the start: a source saved during the compile makes the next --if-stale compile again.
writeFileSync(STAMP, `${started.toISOString()}\n`);
utimesSync(STAMP, started, started);
