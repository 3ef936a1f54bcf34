import type { ResolvedOptions } from '../../config/types.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestVu, runInVu, type TestVu } from '../../vu/testing/test-support.js';
import http, { ErrorCode } from './index.js';
import { startTestServer, type TestServer } from './testing/loopback-server.js';

/** A self-signed cert made with the openssl CLI; undefined when openssl is not installed. */
function makeCert(dir: string, name: string, san: string): { key: string; cert: string } | undefined {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`)], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.crt`), 'utf8') };
  } catch {
    return undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'volley-tls-'));
const good = makeCert(dir, 'loopback', 'IP:127.0.0.1,DNS:localhost');
const wrongName = makeCert(dir, 'other', 'DNS:example.test');
const skip = good && wrongName ? false : 'openssl is not installed: cannot make a test certificate';

describe('http client over TLS', { skip }, () => {
  let srv: TestServer;
  let wrong: TestServer;
  const vus: TestVu[] = [];
  const newVu = (options: Partial<ResolvedOptions> = {}) => {
    const t = makeTestVu({ options });
    vus.push(t);
    return t;
  };

  before(async () => {
    srv = await startTestServer(good!);
    wrong = await startTestServer(wrongName!);
  });
  after(async () => {
    for (const t of vus) await t.close();
    await srv.close();
    await wrong.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('insecureSkipTLSVerify: handshake timed once, then reused', async () => {
    const { vu, recorder } = newVu({ insecureSkipTLSVerify: true });
    const r1 = await runInVu(vu, () => http.get(`${srv.url}/port`));
    const r2 = await runInVu(vu, () => http.get(`${srv.url}/port`));
    assert.equal(r1.status, 200);
    assert.equal(r1.body, r2.body, 'same connection');
    assert.ok(r1.timings.tls_handshaking > 0, `tls ${r1.timings.tls_handshaking}`);
    assert.ok(r1.timings.connecting > 0);
    assert.equal(r2.timings.tls_handshaking, 0);
    assert.equal(r2.timings.connecting, 0);
    assert.match(r1.tls_version, /^tls1\.[23]$/);
    const tags = recorder.of('http_reqs')[0]!.tags;
    assert.equal(tags.tls_version, r1.tls_version);
    assert.ok(recorder.values('data_received')[0]! > 0);
  });

  it('http.stream over TLS: phases timed, tls_version, a CA from options, an untrusted certificate is 1310', async () => {
    const { vu, recorder } = newVu({ tlsCACerts: [good!.cert] });
    const res = await runInVu(vu, () => http.stream('GET', `${srv.url}/slow-body/30`));
    const body = await res.text();
    assert.equal(res.status, 200);
    assert.ok(res.timings.tls_handshaking > 0, `tls ${res.timings.tls_handshaking}`);
    // '/slow-body/30' sends 'first ' with the head and 'last' 30 ms later.
    assert.equal(body, 'first last');
    assert.ok(res.timings.firstChunk < res.timings.duration - 25, `firstChunk ${res.timings.firstChunk}, duration ${res.timings.duration}`);
    assert.ok(res.timings.duration >= 30);
    assert.match(recorder.of('http_reqs')[0]!.tags.tls_version ?? '', /^tls1\.[23]$/);
    const bad = newVu();
    const r = await runInVu(bad.vu, () => http.stream('GET', `${srv.url}/port`));
    assert.equal(r.status, 0);
    assert.equal(r.error_code, ErrorCode.X509UnknownAuthority);
    assert.deepEqual(bad.recorder.values('http_req_failed'), [1]);
  });

  it('an untrusted certificate fails with 1310, without throwing', async () => {
    const { vu, recorder } = newVu();
    const r = await runInVu(vu, () => http.get(`${srv.url}/port`));
    assert.equal(r.status, 0);
    assert.equal(r.error_code, ErrorCode.X509UnknownAuthority);
    assert.equal(r.error, 'x509: unknown authority');
    assert.equal(recorder.values('http_req_failed')[0], 1);
    assert.ok(r.timings.connecting >= 0 && r.timings.tls_handshaking >= 0);
  });

  it('trusts a CA given per request (params.tls.ca) or in options (tlsCACerts)', async () => {
    const { vu } = newVu();
    const r = await runInVu(vu, () => http.get(`${srv.url}/port`, { tls: { ca: good!.cert } }));
    assert.equal(r.status, 200);
    const o = newVu({ tlsCACerts: [good!.cert] });
    const r2 = await runInVu(o.vu, () => http.get(`${srv.url}/port`));
    assert.equal(r2.status, 200);
  });

  it('a certificate for another host name fails with 1311', async () => {
    const { vu } = newVu({ tlsCACerts: [wrongName!.cert] });
    const r = await runInVu(vu, () => http.get(`${wrong.url}/port`));
    assert.equal(r.status, 0);
    assert.equal(r.error_code, ErrorCode.X509Hostname);
  });
});
