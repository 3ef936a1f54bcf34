import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { transformK6Source } from './transform.js';

const t = (src: string) => transformK6Source(src, 'script.js');

describe('k6 script transform', () => {
  it('makes functions that reach http/sleep/group async and awaits the calls, transitively', () => {
    const r = t(`import http from 'k6/http';
import { group, sleep, check } from 'k6';
function load(u) { return http.get(u); }
const twice = (u) => { load(u); return load(u); };
export default function () {
  group('g', () => { twice('x'); });
  check(load('y'), { ok: (r) => r.status === 200 });
  const body = http.get('z').json();
  sleep(1);
}`);
    assert.deepEqual(r.problems, []);
    assert.match(r.code, /async function load\(u\) \{ return await http\.get\(u\); \}/);
    assert.match(r.code, /const twice = async \(u\) => \{ await load\(u\); return await load\(u\); \};/);
    assert.match(r.code, /export default async function \(\)/);
    assert.match(r.code, /await group\('g', async \(\) => \{ await twice\('x'\); \}\);/);
    assert.match(r.code, /check\(await load\('y'\), \{ ok: \(r\) => r\.status === 200 \}\);/);
    assert.match(r.code, /const body = \(await http\.get\('z'\)\)\.json\(\);/);
    assert.match(r.code, /await sleep\(1\);/);
  });

  it("awaits k6/ws's blocking connect (default, named and namespace imports)", () => {
    const r = t(`import ws from 'k6/ws';
import { connect } from 'k6/ws';
export default function () {
  const res = ws.connect('ws://x', {}, function (socket) { socket.on('open', () => socket.close()); });
  connect('ws://y', (s) => s.close());
  check(res, {});
}`);
    assert.deepEqual(r.problems, []);
    assert.match(r.code, /export default async function \(\)/);
    assert.match(r.code, /const res = await ws\.connect\('ws:\/\/x'/);
    assert.match(r.code, /await connect\('ws:\/\/y'/);
    // The handler is not made async: it only registers callbacks.
    assert.match(r.code, /function \(socket\) \{ socket\.on/);
    const e = t(`import sse from 'k6/x/sse';
export default function () {
  const res = sse.open('http://x', {}, function (client) { client.on('event', (ev) => client.close()); });
}`);
    assert.deepEqual(e.problems, []);
    assert.match(e.code, /const res = await sse\.open\('http:\/\/x'/);
  });

  it("awaits k6/experimental/browser's synchronous browser.newPage() (a promise in volley/browser); k6/browser's awaited calls stay as written", () => {
    const old = t(`import { browser } from 'k6/experimental/browser';
function open() { return browser.newPage(); }
export default async function () { const page = open(); await page.goto('u'); browser.version(); }`);
    assert.deepEqual(old.problems, []);
    assert.match(old.code, /async function open\(\) \{ return await browser\.newPage\(\); \}/);
    assert.match(old.code, /const page = await open\(\);/);
    assert.match(old.code, /; browser\.version\(\); \}/);
    const src = `import { browser } from 'k6/browser';
export default async function () { const page = await browser.newPage(); await page.goto('u'); }`;
    assert.equal(t(src).code, src);
  });

  it('awaits the calls of a jslib httpx session made with new Httpx()', () => {
    const r = t(`import { Httpx } from 'https://jslib.k6.io/httpx/0.1.0/index.js';
const session = new Httpx({ baseURL: 'http://x' });
const m = new Map();
export default function () { const r = session.get('/a'); m.get('k'); session.post('/b', '{}').json(); }`);
    assert.deepEqual(r.problems, []);
    assert.match(r.code, /export default async function \(\) \{ const r = await session\.get\('\/a'\); m\.get\('k'\); \(await session\.post\('\/b', '\{\}'\)\)\.json\(\); \}/);
  });

  it('leaves other code, user-written async functions and awaited calls alone', () => {
    const src = `import { get } from 'k6/http';
const m = new Map();
export function helper() { return m.get('a'); }
export default async function () { const r = await get('u'); return helper(); }`;
    const r = t(src);
    assert.equal(r.code, src);
    assert.equal(r.changed, false);
  });

  it('handles named imports, namespace imports, methods and promise callbacks', () => {
    const r = t(`import * as k6 from 'k6';
import { post, batch } from 'k6/http';
const api = { create(x) { return post('u', x); } };
class Client { send() { return batch([]); } }
export default function () {
  api.create(1);
  new Client().send();
  k6.sleep(0.1);
  Promise.resolve().then(() => post('v'));
}`);
    assert.deepEqual(r.problems, []);
    assert.match(r.code, /async create\(x\) \{ return await post\('u', x\); \}/);
    assert.match(r.code, /async send\(\) \{ return await batch\(\[\]\); \}/);
    assert.match(r.code, /await api\.create\(1\);/);
    assert.match(r.code, /await new Client\(\)\.send\(\);/);
    assert.match(r.code, /await k6\.sleep\(0\.1\);/);
    assert.match(r.code, /\.then\(async \(\) => await post\('v'\)\)/);
  });

  it('names the file line and construct for what cannot be made async', () => {
    const r = t(`import http from 'k6/http';
import { check } from 'k6';
export default function () {
  ['a', 'b'].forEach((u) => {
    http.get(u);
  });
  check(1, { bad: () => http.get('x').status === 200 });
}
class C { get v() { return http.get('y'); } constructor() { http.get('z'); } }`);
    assert.equal(r.problems.length, 4, JSON.stringify(r.problems));
    const [each, pred, getter, ctor] = [...r.problems].sort((a, b) => a.line - b.line || a.column - b.column);
    assert.deepEqual([each!.line, each!.column], [4, 22]);
    assert.match(each!.construct, /callback passed to \['a', 'b'\]\.forEach\(\) calls http\.get\(\)/);
    assert.match(each!.fix, /for\.\.\.of/);
    assert.equal(pred!.line, 7);
    assert.match(pred!.construct, /check predicate/);
    assert.match(getter!.construct, /getter/);
    assert.match(ctor!.construct, /constructor/);
  });

  it('uses what imported local modules export as async, and reports its own async exports', () => {
    const r = transformK6Source(`import { login } from './lib.js';
import def from './other.js';
export function flow() { login(); def(); }
export default flow;`, 'a.js', { importedModule: (s) => (s === './lib.js' ? { asyncExports: new Set(['login']) } : { asyncExports: new Set(['default']) }) });
    assert.match(r.code, /export async function flow\(\) \{ await login\(\); await def\(\); \}/);
    assert.deepEqual([...r.asyncExports].sort(), ['default', 'flow']);
    assert.deepEqual(r.localImports, ['./lib.js', './other.js']);
  });

  it('rewrites import specifiers when asked (volley convert k6)', () => {
    const r = transformK6Source(`import http from 'k6/http';\nexport default function () { http.get('u'); }`, 's.js', { rewriteImport: (s) => s.replace(/^k6/, 'volley') });
    assert.match(r.code, /import http from 'volley\/http';/);
  });

  it('maps every line back to the original file', () => {
    const r = t(`import http from 'k6/http';\nexport default function () {\n  http.get('u');\n}`);
    assert.equal(r.map.sources[0], 'script.js');
    assert.ok(r.map.mappings.length > 0);
  });
});
