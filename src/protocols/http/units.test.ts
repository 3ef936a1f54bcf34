import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formEncode, queryEscape } from './body.js';
import { digestAuthorization, parseDigestChallenge } from './digest.js';
import { classifyError, ErrorCode, RequestTimeoutError, statusErrorCode } from './error-codes.js';
import { expectedStatuses } from './expected-statuses.js';
import { canonicalHeaderKey, headersObject } from './headers.js';
import { selectJson } from './json-selector.js';
import { parseTarget, url } from './url.js';

describe('json selector (gjson subset)', () => {
  const doc = { a: { b: [10, { c: 'x' }] }, list: [{ id: 1 }, { id: 2 }, { other: 3 }], 'k.dot': 1, user_name: 'u' };
  it('walks keys, indexes, # and #.field', () => {
    assert.equal(selectJson(doc, 'a.b.0'), 10);
    assert.equal(selectJson(doc, 'a.b.1.c'), 'x');
    assert.equal(selectJson(doc, 'list.#'), 3);
    assert.deepEqual(selectJson(doc, 'list.#.id'), [1, 2]);
    assert.equal(selectJson(doc, 'k\\.dot'), 1);
    assert.equal(selectJson(doc, 'user_*'), 'u');
    assert.equal(selectJson(doc, 'a.b.9'), undefined);
    assert.equal(selectJson(doc, 'a.x.y'), undefined);
    assert.equal(selectJson(doc, 'a.b.c'), undefined);
    assert.deepEqual(selectJson(doc, ''), doc);
  });
});

describe('error classification (k6 codes)', () => {
  const e = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(code), { code, ...extra });
  it('maps Node and undici errors', () => {
    assert.equal(classifyError(e('ECONNREFUSED')).code, ErrorCode.TcpDialRefused);
    assert.equal(classifyError(e('ECONNRESET')).code, 1220);
    assert.equal(classifyError(e('ENOTFOUND')).code, 1101);
    assert.equal(classifyError(e('UND_ERR_CONNECT_TIMEOUT')).code, 1211);
    assert.equal(classifyError(new RequestTimeoutError(5)).code, 1050);
    assert.equal(classifyError(e('DEPTH_ZERO_SELF_SIGNED_CERT')).code, 1310);
    assert.equal(classifyError(e('ERR_TLS_CERT_ALTNAME_INVALID')).code, 1311);
    assert.equal(classifyError(e('ERR_SSL_WRONG_VERSION_NUMBER')).code, 1300);
    assert.equal(classifyError(e('UND_ERR_SOCKET', { cause: e('ECONNRESET') })).code, 1220);
    assert.equal(classifyError(e('UND_ERR_SOCKET')).code, 1064);
    assert.equal(classifyError(e('UND_ERR_SOCKET', { midResponse: true })).code, 1065);
    const parse = (m: string) => Object.assign(new Error(m), { name: 'HTTPParserError' });
    assert.equal(classifyError(parse('Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)')).code, 1060);
    assert.equal(classifyError(parse('Response does not match the HTTP/1.1 protocol (Invalid status code)')).code, 1061);
    assert.equal(classifyError(parse('Response does not match the HTTP/1.1 protocol (Invalid header value char)')).code, 1063);
    assert.equal(classifyError(e('HPE_HEADER_OVERFLOW')).code, 1062);
    assert.equal(classifyError(new Error('weird')).code, 1000);
    assert.equal(statusErrorCode(404), 1404);
    assert.equal(statusErrorCode(503), 1503);
    assert.equal(statusErrorCode(302), 0);
  });
});

describe('bodies, headers, URLs', () => {
  it('form-encodes like Go url.Values (sorted keys, QueryEscape)', () => {
    assert.equal(formEncode({ z: 'a b', a: ['1', '2'], m: "!'()*~" }), "a=1&a=2&m=%21%27%28%29%2A~&z=a+b");
    assert.equal(queryEscape('ü'), '%C3%BC');
  });
  it('canonicalises header keys like Go', () => {
    assert.equal(canonicalHeaderKey('content-type'), 'Content-Type');
    assert.equal(canonicalHeaderKey('X-REQUEST-ID'), 'X-Request-Id');
    const h: Record<string, string> = headersObject([Buffer.from('set-cookie'), Buffer.from('a=1'), Buffer.from('Set-Cookie'), Buffer.from('b=2'), Buffer.from('etag'), Buffer.from('"x"')]);
    assert.equal(h['set-cookie'], 'a=1, b=2', 'lower-case alias');
    assert.deepEqual(h, { 'Set-Cookie': 'a=1, b=2', Etag: '"x"' });
    assert.deepEqual(Object.keys(h), ['Set-Cookie', 'Etag']);
  });
  it('parses targets and hides credentials in the url tag', () => {
    const t = parseTarget('http://user:p%40ss@127.0.0.1:8080/a/b?q=1#frag')!;
    assert.equal(t.origin, 'http://127.0.0.1:8080');
    assert.equal(t.path, '/a/b?q=1');
    assert.equal(t.userinfo, 'user:p@ss');
    assert.equal(t.clean, 'http://****:****@127.0.0.1:8080/a/b?q=1#frag');
    assert.equal(t.href, 'http://127.0.0.1:8080/a/b?q=1#frag');
    assert.equal(parseTarget('mailto:x@y'), null);
    assert.equal(parseTarget('/relative'), null);
  });
  it('http.url keeps the template as the name', () => {
    const id = 5;
    const u = url`http://h/items/${id}?page=${2}`;
    assert.equal(u.url, 'http://h/items/5?page=2');
    assert.equal(u.name, 'http://h/items/${}?page=${}');
    assert.equal(String(u), u.url);
  });
  it('expectedStatuses: integers, ranges, out-of-table statuses', () => {
    const cb = expectedStatuses(204, { min: 300, max: 302 }, { min: 600, max: 700 });
    assert.deepEqual([200, 204, 301, 303, 650, 0].map((s) => cb.isExpected(s)), [false, true, true, false, true, false]);
  });
});

describe('digest auth', () => {
  it('matches the RFC 2617 example', () => {
    const c = parseDigestChallenge('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')!;
    assert.equal(c.realm, 'testrealm@host.com');
    const h = digestAuthorization(c, 'Mufasa', 'Circle Of Life', 'GET', '/dir/index.html', '0a4f113b');
    assert.match(h, /response="6629fae49393a05397450978507c4ef1"/);
    assert.match(h, /qop=auth, nc=00000001, cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41"$/);
    assert.equal(parseDigestChallenge('Basic realm="x"'), undefined);
  });
});
