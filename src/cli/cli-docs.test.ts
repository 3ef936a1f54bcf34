import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderCliReference } from './cli-docs.js';

test('docs/cli.md is generated from the current CLI definitions (run `npm run docs:cli`)', () => {
  const onDisk = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderCliReference());
});
