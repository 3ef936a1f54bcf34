import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeException } from './exceptions.js';

// Playwright's TimeoutError carries its call log in terminal colours; the summary showed "…('#q')[22m".
test('terminal colour codes are removed from a script exception\'s message and stack', () => {
  const e = new Error("locator.type: Timeout 30000ms exceeded.\nCall log:\n\u001b[2m  - waiting for locator('#q')\u001b[22m\n");
  e.name = 'TimeoutError';
  const d = describeException(e);
  assert.equal(d.message, "TimeoutError: locator.type: Timeout 30000ms exceeded.\nCall log:\n  - waiting for locator('#q')\n");
  assert.doesNotMatch(d.stack ?? '', /\u001b/);
  assert.equal(describeException('\u001b[31mred\u001b[39m').message, 'red');
});
