/**
 * Live metrics of a distributed test: two `volley run --execution-segment` runners push to one
 * remote-write endpoint (a real HTTP receiver on loopback decoding the WriteRequests); each pushes
 * with its own `instance` label, so their series do not overwrite each other and sum to the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uncompressSync } from 'snappy';
import { decodeWriteRequest } from '../src/outputs/prometheus/remote-write-proto.js';
import { runVolley, startTestServer, writeScript } from './helpers.js';

test('segment runners push live metrics with an instance label each; the last values sum to the whole test', { timeout: 90_000 }, async () => {
  const target = await startTestServer();
  /** instance → last k6_http_reqs_total pushed. */
  const reqs = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      for (const s of decodeWriteRequest(uncompressSync(Buffer.concat(chunks)) as Buffer)) {
        if (s.labels.__name__ === 'k6_http_reqs_total' && s.samples[0]) reqs.set(s.labels.instance ?? '(none)', s.samples[0].value);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  try {
    const script = writeScript(`
import http from 'volley/http';
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 4, iterations: 30 } } };
export default async function () { await http.get(__ENV.BASE + '/ok'); }
`);
    const out = `prometheus-rw=http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/write,pushInterval=200ms`;
    const runs = await Promise.all(
      ['0:1/2', '1/2:1'].map((seg) => runVolley(['run', script, '-e', `BASE=${target.url}`, '--quiet', '--no-summary', '--execution-segment', seg, '--out', out])),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const instances = [...reqs.keys()].sort();
    assert.equal(instances.length, 2, JSON.stringify([...reqs]));
    assert.ok(instances[0]!.endsWith(':0:1/2') && instances[1]!.endsWith(':1/2:1'), instances.join(' '));
    assert.equal([...reqs.values()].reduce((a, b) => a + b, 0), 30);
  } finally {
    receiver.close();
    await target.close();
  }
});
