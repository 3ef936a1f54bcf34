/**
 * The seed examples of plan 000, and the map: docs/seeds.md names every example. The other plans'
 * examples run in test/seeds-001.test.ts, seeds-002 and seeds-003-004 (test/seed-suite.ts says how).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';
import { SEEDS, seedSuite } from './seed-suite.js';

test('there are seed examples, each of a plan, and docs/seeds.md maps each one', () => {
  assert.ok(SEEDS.length > 0);
  const doc = readFileSync(join(ROOT, 'docs', 'seeds.md'), 'utf8');
  for (const f of SEEDS) {
    assert.match(f, /^00[0-4]-/, `examples/seeds/${f}: name it after its plan (000-…004-) so that a seeds test file runs it`);
    assert.ok(doc.includes(`examples/seeds/${f}`), `docs/seeds.md does not mention examples/seeds/${f}`);
  }
});

seedSuite(['000']);
