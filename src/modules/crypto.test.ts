import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getHashes } from 'node:crypto';
import * as crypto from './crypto.js';

describe('volley/crypto', () => {
  it('hashes with known vectors', () => {
    assert.equal(crypto.md5('hello world'), '5eb63bbbe01eeed093cb22bb8f5acdc3');
    assert.equal(crypto.md5('hello world', 'hex'), '5eb63bbbe01eeed093cb22bb8f5acdc3');
    assert.equal(crypto.sha1('hello world'), '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed');
    assert.equal(crypto.sha256('hello world', 'hex'), 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
    assert.equal(crypto.sha256('hello world', 'base64'), 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=');
    assert.equal(crypto.sha256('hello world', 'base64url'), 'uU0nuZNNPgilLlLX2n2r-sSE7-N6U4DukIj3rOLvzek=');
    assert.equal(crypto.sha256('hello world', 'base64rawurl'), 'uU0nuZNNPgilLlLX2n2r-sSE7-N6U4DukIj3rOLvzek');
    const bin = crypto.sha256(new TextEncoder().encode('hello world'), 'binary');
    assert.ok(bin instanceof ArrayBuffer);
    assert.equal(bin.byteLength, 32);
    assert.equal(crypto.sha384('').length, 96);
    assert.equal(crypto.sha512('').length, 128);
    assert.equal(crypto.sha512_256('abc'), '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
    if (getHashes().includes('ripemd160')) assert.equal(crypto.ripemd160('hello world'), '98c615784ccb5fe5936fbc0cbe9dfdb408d92f0f');
  });

  it('HMAC, incremental hashers and random bytes', () => {
    const msg = 'The quick brown fox jumps over the lazy dog';
    const want = 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
    assert.equal(crypto.hmac('sha256', 'key', msg, 'hex'), want);
    assert.equal(crypto.createHMAC('sha256', 'key').update('The quick brown fox ').update('jumps over the lazy dog').digest('hex'), want);
    assert.equal(crypto.createHash('md5').update('hello ').update('world').digest('hex'), '5eb63bbbe01eeed093cb22bb8f5acdc3');
    const r = crypto.randomBytes(16);
    assert.ok(r instanceof ArrayBuffer);
    assert.equal(r.byteLength, 16);
  });

  it('reports unknown or unavailable algorithms and encodings clearly', () => {
    assert.throws(() => crypto.createHash('sha3' as 'sha256'), { code: 'E_CRYPTO_ALGORITHM' });
    assert.throws(() => crypto.md5('x', 'latin1' as 'hex'), { code: 'E_CRYPTO_ENCODING' });
    if (!getHashes().includes('md4')) assert.throws(() => crypto.md4('x'), { code: 'E_CRYPTO_UNAVAILABLE' });
  });
});
