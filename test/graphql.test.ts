/**
 * http.graphql against the target's graphql route: the operation's name is the route name, and a
 * 200 carrying GraphQL `errors` (1710) or a 200 that is not a GraphQL response (1711) fails.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { rootFields } from '../src/target/graphql.js';
import { runVolley, writeScript } from './helpers.js';

let target: RunningTarget;
before(async () => {
  target = await startTarget({ routes: [{ kind: 'graphql', path: '/graphql' }, { path: '/rest', method: 'POST', body: { json: { ok: true } } }] });
});
after(async () => {
  await target.close();
});

test('the target finds root fields (aliases, arguments, sub-selections, strings, directives)', () => {
  assert.deepEqual(rootFields('query Q($id: ID!) { me: user(id: $id) { id name } users(first: 2, where: "a}b") { id } @skip(if: true) __typename }').map((f) => `${f.alias}:${f.field}`), ['me:user', 'users:users', '__typename:__typename']);
  assert.deepEqual(rootFields('{ nope }'), [{ alias: 'nope', field: 'nope' }]);
});

test('http.graphql: operation name as route, GraphQL errors in a 200 counted as failures with their own code', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    import { check } from 'volley';
    export const options = { vus: 1, iterations: 5 };
    const G = __ENV.BASE_URL + '/graphql';
    export default async function () {
      const ok = await http.graphql(G, 'query GetUser($id: ID!) { user(id: $id) { id name } }', { id: 7 });
      check(ok, { 'user 7': (r) => r.status === 200 && r.json('data.user.name') === 'User 7' && r.error_code === 0 });
      const named = await http.graphql(G, { query: 'mutation AddUser($name: String!) { createUser(name: $name) { id name } }', variables: { name: 'Ada' }, operationName: 'AddUser' }, { tags: { team: 'a' } });
      check(named, { created: (r) => r.json('data.createUser.name') === 'Ada' });
      const bad = await http.graphql(G, 'query Broken { nope { id } }');
      check(bad, { 'errors fail with 1710': (r) => r.status === 200 && r.error_code === 1710 && r.json('errors.0.message').includes('nope') });
      const rest = await http.graphql(__ENV.BASE_URL + '/rest', '{ user { id } }');
      check(rest, { 'not GraphQL: 1711': (r) => r.status === 200 && r.error_code === 1711 });
    }
    export function handleSummary(data) { return { [__ENV.OUT]: JSON.stringify(data) }; }`);
  const out = join(dirname(script), 'out.json');
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${target.url}`, '-e', `OUT=${out}`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const d = JSON.parse(readFileSync(out, 'utf8')) as {
    metrics: Record<string, { values: Record<string, number> }>;
    volley: { routes: Array<{ name: string; requests: number; failed: number }>; errors: Array<{ code?: number; count: number; message: string }> };
  };
  assert.equal(d.metrics.checks?.values.fails, 0);
  const route = (n: string) => d.volley.routes.find((x) => x.name === n);
  assert.deepEqual([route('GetUser')?.requests, route('GetUser')?.failed], [5, 0]);
  assert.deepEqual([route('AddUser')?.requests, route('AddUser')?.failed], [5, 0]);
  assert.deepEqual([route('Broken')?.requests, route('Broken')?.failed], [5, 5]);
  assert.deepEqual([route('anonymous')?.requests, route('anonymous')?.failed], [5, 5]);
  assert.equal(d.metrics.http_req_failed?.values.passes, 10);
  assert.equal(d.volley.errors.find((e) => e.code === 1710)?.count, 5);
  assert.equal(d.volley.errors.find((e) => e.code === 1711)?.count, 5);
});
