/**
 * scripts/build-if-stale.mjs, which `npm run demo` and `prepare` run: it builds when there is no
 * build or a source changed since, and otherwise returns at once (the demo's start-up time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

test('build-if-stale builds the first time and after a source changes, never when nothing changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-stale-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export {};\n');
  // A stand-in build that counts its runs.
  const build = `require('fs').appendFileSync('builds', 'x')`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', private: true, scripts: { build: `node -e "${build}"` } }));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  const run = (): void => void execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], { cwd: dir, env, stdio: 'pipe' });
  const builds = (): number => readFileSync(join(dir, 'builds'), 'utf8').length;

  run();
  assert.equal(builds(), 1, 'no build yet: builds');
  run();
  assert.equal(builds(), 1, 'nothing changed: no build');
  // The last build a minute ago, a source saved since.
  const ago = (s: number): Date => new Date(Date.now() - s * 1000);
  utimesSync(join(dir, 'dist', '.build-stamp'), ago(60), ago(60));
  utimesSync(join(dir, 'src', 'a.ts'), ago(30), ago(30));
  run();
  assert.equal(builds(), 2, 'a source changed: builds');
  run();
  assert.equal(builds(), 2);
});
