import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadPathError, parsePathPattern, Router } from './router.js';

test('exact, parameter and rest routes; precedence', () => {
  const r = new Router<string>();
  r.add('GET', '/api/items/:id', 'item');
  r.add('GET', '/api/items/new', 'new');
  r.add('GET', '/api/items/:id/parts/:part', 'part');
  r.add('GET', '/files/*', 'files');
  r.add('*', '/any', 'any');
  r.add('GET', '/', 'root');
  assert.equal(r.match('GET', '/api/items/new'), 'new'); // exact beats parameter even when declared later
  assert.equal(r.match('GET', '/api/items/42'), 'item');
  assert.deepEqual(r.params, { id: '42' });
  assert.equal(r.match('GET', '/api/items/42/parts/3'), 'part');
  assert.deepEqual(r.params, { id: '42', part: '3' });
  assert.equal(r.match('GET', '/api/items/42/'), 'item'); // trailing slash ignored
  assert.equal(r.match('GET', '/api/items'), undefined);
  assert.equal(r.match('GET', '/api/items//parts/3'), undefined); // empty parameter
  assert.equal(r.match('GET', '/api/items/42/parts'), undefined);
  assert.equal(r.match('GET', '/files/a/b.txt'), 'files');
  assert.deepEqual(r.params, { '*': 'a/b.txt' });
  assert.equal(r.match('DELETE', '/any'), 'any');
  assert.equal(r.match('HEAD', '/api/items/1'), 'item'); // HEAD falls back to GET
  assert.equal(r.match('POST', '/api/items/1'), undefined);
  assert.equal(r.match('GET', '/'), 'root');
  assert.deepEqual(r.allowedMethods('/api/items/1'), ['GET']);
});

test('parameters are percent-decoded; malformed encoding throws BadPathError', () => {
  const r = new Router<string>();
  r.add('GET', '/u/:name', 'u');
  assert.equal(r.match('GET', '/u/a%20b'), 'u');
  assert.deepEqual(r.params, { name: 'a b' });
  assert.throws(() => r.match('GET', '/u/%E0%A4%A'), BadPathError);
});

test('pattern errors', () => {
  assert.match((parsePathPattern('api') as { error: string }).error, /start with/);
  assert.match((parsePathPattern('/a/*/b') as { error: string }).error, /last segment/);
  assert.match((parsePathPattern('/a/:1x') as { error: string }).error, /bad parameter/);
  assert.match((parsePathPattern('/a/:x/:x') as { error: string }).error, /twice/);
  assert.match((parsePathPattern('/a//b') as { error: string }).error, /empty segment/);
  assert.match((parsePathPattern('/a?b=1') as { error: string }).error, /must not contain/);
  assert.deepEqual((parsePathPattern('/a/:id/') as { params: string[] }).params, ['id']);
});
