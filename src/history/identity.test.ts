import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testNameOf } from './identity.js';
import { sideOfSummary } from './side.js';
import type { SummaryData } from '../summary/types.js';

test('a script in git reached through a symlink has the same test name as through its real path', () => {
  const base = mkdtempSync(join(tmpdir(), 'volley-identity-'));
  const repo = join(base, 'repo');
  mkdirSync(join(repo, 'tests'), { recursive: true });
  writeFileSync(join(repo, 'tests', 'load.ts'), 'export default () => {};\n');
  const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
  g('init', '-q');
  g('add', '.');
  g('commit', '-qm', 'init');
  const elsewhere = join(base, 'project');
  mkdirSync(elsewhere);
  symlinkSync(join(repo, 'tests'), join(elsewhere, 'tests'));
  assert.equal(testNameOf(join(repo, 'tests', 'load.ts')), 'tests/load.ts');
  assert.equal(testNameOf('tests/load.ts', elsewhere), 'tests/load.ts');
  assert.equal(testNameOf(join(elsewhere, 'tests', 'load.ts'), elsewhere), 'tests/load.ts');
});

test('a summary file names its test as a stored run does, so it can be the baseline of a run of that script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-identity-'));
  const script = join(dir, 'h.ts');
  writeFileSync(script, 'export default () => {};\n');
  // --summary-export writes the absolute path; runs store it relative to the git root or the working directory.
  const summary = { metrics: {}, volley: { script, routes: [], histograms: {} } } as unknown as SummaryData;
  assert.equal(sideOfSummary(summary, 'h.json').test, testNameOf(script));
  assert.equal(testNameOf(script, dir), 'h.ts');
});
