import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderCliReference } from './cli-docs.js';
import { ExitCode } from '../errors/index.js';

test('docs/cli.md is generated from the current CLI definitions (run `npm run docs:cli`)', () => {
  const onDisk = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderCliReference());
});

test('the exit code table of docs/cli.md lists every exit code Volley uses', () => {
  const table = renderCliReference().split('## Exit codes')[1] ?? '';
  const listed = new Set([...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])));
  for (const [name, code] of Object.entries(ExitCode)) assert.ok(listed.has(code), `exit code ${code} (${name}) is missing from the table`);
});
