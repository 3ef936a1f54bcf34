import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, escapeJsonString, type Template, type TemplateSource } from './template.js';

const src: TemplateSource = {
  requestId: 'rid-1',
  method: 'GET',
  pathname: '/items/7',
  params: { id: '7', name: 'a "quoted" \\ name' },
  jsonBody: { user: { name: 'ann' }, n: 3, list: [1, 2] },
  seq: 5,
  queryParam: (n) => (n === 'q' ? 'x y' : ''),
  header: (n) => (n === 'x-api-key' ? 'k1' : ''),
};

function compile(t: string): Template {
  const c = compileTemplate(t);
  if ('error' in c) throw new Error(c.error);
  return c;
}

test('renders every variable kind', () => {
  const t = compile('{{method}} {{path}} {{params.id}} {{query.q}} {{headers.X-Api-Key}} {{body.user.name}} {{body.list}} {{body.missing.x}} {{seq}} {{requestId}}');
  assert.equal(t.render(src, false), 'GET /items/7 7 x y k1 ann [1,2]  5 rid-1');
  assert.equal(t.isStatic, false);
  assert.match(compile('{{now}}').render(src, false), /^\d{4}-\d\d-\d\dT/);
  assert.match(compile('{{timestamp}}').render(src, false), /^\d{13}$/);
  assert.match(compile('{{ uuid }}').render(src, false), /^[0-9a-f-]{36}$/);
  assert.equal(compile('plain').isStatic, true);
});

test('JSON escaping keeps JSON bodies valid', () => {
  const t = compile(JSON.stringify({ name: '{{params.name}}' }));
  assert.deepEqual(JSON.parse(t.render(src, true)), { name: 'a "quoted" \\ name' });
  assert.equal(escapeJsonString('plain'), 'plain');
  assert.equal(escapeJsonString('a\nb'), 'a\\nb');
});

test('unknown variables and unclosed braces are reported with a suggestion', () => {
  const e = compileTemplate('{{parms.id}}') as { error: string };
  assert.match(e.error, /unknown template variable "\{\{parms\.id\}\}" \(did you mean "\{\{params\.id\}\}"\?\)/);
  assert.match((compileTemplate('{{requestid}}') as { error: string }).error, /did you mean "\{\{requestId\}\}"/);
  assert.match((compileTemplate('a {{seq') as { error: string }).error, /unclosed/);
  assert.match((compileTemplate('{{params.}}') as { error: string }).error, /unknown/);
});
