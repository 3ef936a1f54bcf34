import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXECUTORS } from './scenarios.js';
import { NOT_IMPLEMENTED_OPTIONS, PLAIN_OPTIONS, SHORTCUT_SOURCES } from './option-specs.js';

// dist/src/config/ → repository root.
const docs = readFileSync(new URL('../../../docs/options.md', import.meta.url), 'utf8');

describe('docs/options.md', () => {
  it('documents every option, with its flag and environment variable', () => {
    for (const o of PLAIN_OPTIONS) {
      assert.ok(docs.includes(`| \`${o.name}\` |`), `option ${o.name} has no row`);
      if (o.env) assert.ok(docs.includes(o.env), `${o.env} is not documented`);
      if (o.flag) assert.ok(docs.includes(o.flag), `${o.flag} is not documented`);
    }
    for (const [name, src] of Object.entries(SHORTCUT_SOURCES)) {
      assert.ok(docs.includes(`| \`${name}\` |`), `shortcut ${name} has no row`);
      assert.ok(docs.includes(src.env) && docs.includes(src.flag), `${name}: flag or variable missing`);
    }
  });
  it('lists every executor and every accepted-but-ignored k6 option', () => {
    for (const e of EXECUTORS) assert.ok(docs.includes(`\`${e}\``), e);
    for (const n of NOT_IMPLEMENTED_OPTIONS) assert.ok(docs.includes(`\`${n}\``), n);
  });
});
