/**
 * scripts/build.mjs: `npm run build` always compiles and stamps; `--if-stale` (what `prepare` and
 * `npm run demo` run) compiles when there is no build or a source changed since, and otherwise
 * returns at once — which also keeps `npm install /path/to/volley` from rebuilding the clone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

test('build.mjs --if-stale compiles the first time and after a source changes, never when nothing changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-build-'));
  mkdirSync(join(dir, 'src'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: '.', module: 'NodeNext', target: 'ES2022', types: [] }, include: ['src'] }));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const a: number = 1;\n');
  const out = join(dir, 'dist', 'src', 'a.js');
  const build = (...args: string[]): void => void execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), ...args], { cwd: dir, stdio: 'pipe' });

  build('--if-stale');
  assert.match(readFileSync(out, 'utf8'), /a = 1/, 'no build yet: compiles');
  const first = statSync(out).mtimeMs;
  build('--if-stale');
  assert.equal(statSync(out).mtimeMs, first, 'nothing changed: no compile');

  // The last build a minute ago, a source saved since.
  const ago = (s: number): Date => new Date(Date.now() - s * 1000);
  utimesSync(join(dir, 'dist', '.build-stamp'), ago(60), ago(60));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const a: number = 2;\n');
  utimesSync(join(dir, 'src', 'a.ts'), ago(30), ago(30));
  build('--if-stale');
  assert.match(readFileSync(out, 'utf8'), /a = 2/, 'a source changed: compiles');
  const second = statSync(out).mtimeMs;
  build('--if-stale');
  assert.equal(statSync(out).mtimeMs, second);
});
