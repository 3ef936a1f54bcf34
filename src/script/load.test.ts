import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVolleyError } from '../errors/index.js';
import { bundleScript } from './bundle.js';
import { importScript } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'volley-load-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('a TypeScript script with a local import bundles and loads: options and exported functions', async () => {
  write('lib.ts', 'export const VUS: number = 3;\n');
  const p = write('ok.ts', "import { VUS } from './lib.ts';\nexport const options = { vus: VUS, duration: '1s' };\nexport function setup(): string { return 'x'; }\nexport default function (): void {}\n");
  const b = await bundleScript(p);
  try {
    const mod = await importScript(b.url, p);
    assert.deepEqual(mod.options, { vus: 3, duration: '1s' });
    assert.deepEqual(Object.keys(mod.functions).sort(), ['default', 'setup']);
  } finally {
    await b.dispose();
  }
});

test('a missing script and a syntax error are user errors with codes, naming the file', async () => {
  await assert.rejects(bundleScript(join(dir, 'nope.ts')), (e) => isVolleyError(e) && e.code === 'E_SCRIPT_NOT_FOUND' && e.exitCode === 107);
  const bad = write('bad.ts', 'export default function ( {\n');
  await assert.rejects(bundleScript(bad), (e) => isVolleyError(e) && e.code === 'E_SCRIPT_SYNTAX' && e.message.includes('bad.ts:2:1'));
});

test('a k6 script reached through a symlinked folder is made asynchronous, as through its real path', async () => {
  const real = join(dir, 'k6-real');
  mkdirSync(real);
  writeFileSync(join(real, 'lib.js'), "import http from 'k6/http';\nexport function get(u) { return http.get(u); }\n");
  writeFileSync(join(real, 'test.js'), "import { sleep } from 'k6';\nimport { get } from './lib.js';\nexport default function () { const r = get('http://127.0.0.1:1/'); sleep(1); return r; }\n");
  symlinkSync(real, join(dir, 'k6-link'));
  for (const p of [join(real, 'test.js'), join(dir, 'k6-link', 'test.js')]) {
    const b = await bundleScript(p);
    try {
      const code = readFileSync(fileURLToPath(b.url), 'utf8');
      assert.match(code, /await sleep\(/, `${p}: sleep() is awaited`);
      assert.match(code, /await get\(/, `${p}: the imported helper is awaited`);
    } finally {
      await b.dispose();
    }
  }
});
