import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { b64decode, b64encode } from './encoding.js';

describe('volley/encoding', () => {
  it('encodes the four k6 variants', () => {
    assert.equal(b64encode('hello world'), 'aGVsbG8gd29ybGQ=');
    assert.equal(b64encode('hello world', 'rawstd'), 'aGVsbG8gd29ybGQ');
    const bytes = new Uint8Array([0xfb, 0xff]);
    assert.equal(b64encode(bytes, 'std'), '+/8=');
    assert.equal(b64encode(bytes.buffer, 'url'), '-_8=');
    assert.equal(b64encode(bytes, 'rawurl'), '-_8');
  });

  it('decodes to an ArrayBuffer, or a string with format s', () => {
    const ab = b64decode('aGVsbG8gd29ybGQ=');
    assert.ok(ab instanceof ArrayBuffer);
    assert.equal(Buffer.from(ab).toString(), 'hello world');
    assert.equal(b64decode('aGVsbG8gd29ybGQ', 'rawstd', 's'), 'hello world');
    assert.deepEqual([...new Uint8Array(b64decode('-_8', 'rawurl'))], [0xfb, 0xff]);
    assert.deepEqual([...new Uint8Array(b64decode('-_8=', 'url'))], [0xfb, 0xff]);
    assert.equal(b64decode(b64encode('ünïcödé'), 'std', 's'), 'ünïcödé');
  });

  it('rejects bad input and unknown encodings with a clear error', () => {
    assert.throws(() => b64decode('-_8', 'std'), { code: 'E_ENCODING' });
    assert.throws(() => b64encode('x', 'hex' as 'std'), { code: 'E_ENCODING', message: /unknown encoding "hex"/ });
  });
});
