import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testNameOf } from './identity.js';

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
