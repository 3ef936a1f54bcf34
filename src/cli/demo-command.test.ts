import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isVolleyError } from '../errors/index.js';
import { demoSeconds } from './demo-command.js';

// examples/demo.ts reads whole seconds ("60s"); anything else used to run the 20 s default silently.
test('volley demo --duration takes any duration and refuses what is not one (exit 104)', () => {
  assert.equal(demoSeconds('20s'), 20);
  assert.equal(demoSeconds('1m'), 60);
  assert.equal(demoSeconds('1m30s'), 90);
  assert.throws(() => demoSeconds('abc'), (e) => isVolleyError(e) && e.exitCode === 104 && e.message.includes('"abc"'));
  assert.throws(() => demoSeconds('200ms'), (e) => isVolleyError(e) && e.exitCode === 104);
});
