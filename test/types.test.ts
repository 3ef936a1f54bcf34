/**
 * Editors get full types: a user's project with `volley` installed type-checks the examples
 * (strict) through the package's "exports" map, including the k6 globals (__ENV, __VU, __ITER).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

test('the examples type-check in a user project that depends on volley', () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-types-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'volley'), 'dir');
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.ts'));
  for (const f of examples) copyFileSync(join(ROOT, 'examples', f), join(dir, f));
  // A deliberate type error proves the check is real.
  writeFileSync(join(dir, 'wrong.ts'), "import { check } from 'volley';\nconst n: number = check(1, {});\nexport default n;\n");
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: true, types: [] }, include: ['*.ts'] }),
  );
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  const errors = out.split('\n').filter((l) => /error TS/.test(l));
  assert.deepEqual(
    errors.map((l) => l.replace(/\(\d+,\d+\)/, '').replace(/^.*\//, '')),
    ["wrong.ts: error TS2322: Type 'boolean' is not assignable to type 'number'."],
    out,
  );
});
