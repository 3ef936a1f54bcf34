import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileBody, generateJson } from './body.js';

test('generated JSON has exactly the requested size and parses', () => {
  for (const n of [2, 5, 11, 12, 100, 1024, 1000, 65_536, 1024 * 1024]) {
    const s = generateJson(n);
    assert.equal(Buffer.byteLength(s), n, `size ${n}`);
    JSON.parse(s);
  }
  assert.ok(JSON.parse(generateJson(1024)).items.length > 5);
});

test('static bodies are pre-serialised; templated ones render per request', () => {
  const text = compileBody({ text: 'hello' });
  assert.equal(text.buf?.toString(), 'hello');
  assert.equal(text.contentType, 'text/plain; charset=utf-8');
  const json = compileBody({ json: { a: 1 } });
  assert.equal(json.buf?.toString(), '{"a":1}');
  assert.equal(json.contentType, 'application/json');
  assert.equal(compileBody({ json: { size: 64 } }).buf?.length, 64);
  assert.equal(compileBody({ json: { value: { size: 3 } } }).buf?.toString(), '{"size":3}');
  assert.equal(compileBody(undefined).buf?.toString(), '{"ok":true}');
  const t = compileBody({ json: { id: '{{params.id}}' } });
  assert.equal(t.buf, null);
  const src = { requestId: 'r', method: 'GET', pathname: '/', params: { id: 'x"y' }, jsonBody: undefined, seq: 1, queryParam: () => '', header: () => '' };
  assert.deepEqual(JSON.parse(t.render(src).toString()), { id: 'x"y' });
});
