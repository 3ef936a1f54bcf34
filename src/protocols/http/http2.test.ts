import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createSecureServer, createServer, type Http2SecureServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedOptions } from '../../config/types.js';
import { makeTestVu, runInVu, type TestVu } from '../../vu/testing/test-support.js';
import http from './index.js';

/** A self-signed cert for 127.0.0.1 made with the openssl CLI; undefined when openssl is missing. */
function makeCert(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'volley-h2-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } catch {
    return undefined;
  }
}

const cert = makeCert();

function answer(server: Http2Server | Http2SecureServer): void {
  server.on('stream', (stream, headers) => {
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify({ path: headers[':path'], method: headers[':method'] }));
  });
}

async function listen(server: Http2Server | Http2SecureServer): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('HTTP/2 through the undici transport', { skip: cert ? false : 'openssl is not installed: cannot make a test certificate' }, () => {
  let tlsServer: Http2SecureServer;
  let h2cServer: Http2Server;
  let tlsPort = 0;
  let h2cPort = 0;
  const vus: TestVu[] = [];
  const newVu = (options: Partial<ResolvedOptions>): TestVu => {
    const t = makeTestVu({ options });
    vus.push(t);
    return t;
  };

  before(async () => {
    tlsServer = createSecureServer({ key: cert!.key, cert: cert!.cert }); // h2 only: no HTTP/1.1 fallback
    answer(tlsServer);
    tlsPort = await listen(tlsServer);
    h2cServer = createServer();
    answer(h2cServer);
    h2cPort = await listen(h2cServer);
  });
  after(async () => {
    for (const t of vus) await t.close();
    await new Promise((r) => tlsServer.close(r));
    await new Promise((r) => h2cServer.close(r));
  });

  it('negotiates HTTP/2 over TLS (ALPN); res.proto and the proto tag say so', async () => {
    const { vu, recorder } = newVu({ tlsCACerts: [cert!.cert] });
    const res = await runInVu(vu, () => http.post(`https://127.0.0.1:${tlsPort}/h2?x=1`, 'hi'));
    assert.equal(res.status, 200, res.error);
    assert.equal(res.proto, 'HTTP/2.0');
    assert.deepEqual(res.json(), { path: '/h2?x=1', method: 'POST' });
    const [reqs] = recorder.of('http_reqs');
    assert.equal(reqs?.tags.proto, 'HTTP/2.0');
    assert.ok(recorder.values('data_received')[0]! > 0);
    // A second request reuses the connection.
    const again = await runInVu(vu, () => http.get(`https://127.0.0.1:${tlsPort}/again`));
    assert.equal(again.proto, 'HTTP/2.0');
    assert.equal(again.timings.connecting, 0);
  });

  it('h2c (prior knowledge) is an option: without it an HTTP/2-only http:// server cannot be reached', async () => {
    const plain = newVu({});
    const failed = await runInVu(plain.vu, () => http.get(`http://127.0.0.1:${h2cPort}/`));
    assert.equal(failed.status, 0);
    const { vu } = newVu({ h2c: true });
    const res = await runInVu(vu, () => http.get(`http://127.0.0.1:${h2cPort}/c`));
    assert.equal(res.status, 200, res.error);
    assert.equal(res.proto, 'HTTP/2.0');
    assert.deepEqual(res.json(), { path: '/c', method: 'GET' });
  });
});
