/**
 * Malformed requests get 400 (with x-request-id) and never crash the target: a bounded flood of raw
 * garbage, protocol violations, oversized headers, bad JSON and abrupt disconnects, after which the
 * target still answers normally.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTarget } from '../src/target/index.js';
import { hit, pool } from '../src/target/testing/timed-client.js';

const H = 'Host: 127.0.0.1\r\n';
/** name → raw bytes and the expected status (0: the client hangs up first, no answer expected). */
const CASES: Record<string, [string | Buffer, number]> = {
  garbage: [Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x13, 0x0d, 0x0a, 0x0d, 0x0a]), 400],
  noVersion: ['GET\r\n\r\n', 400],
  oversizedHeader: [`GET /health HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 400],
  manyHeaders: [`GET /health HTTP/1.1\r\n${H}${'X-Header-Name: header-value\r\n'.repeat(1000)}\r\n`, 400],
  badHeaderName: [`GET /health HTTP/1.1\r\n${H}Bad Header: y\r\n\r\n`, 400],
  nulInHeader: [`GET /health HTTP/1.1\r\n${H}X-A: a\u0000b\r\n\r\n`, 400],
  badChunkSize: [`POST /api/events HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nZZZ\r\n\r\n`, 400],
  smuggling: [`POST /api/events HTTP/1.1\r\n${H}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400],
  badContentLength: [`POST /api/events HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`, 400],
  badVersion: [`GET /health HTTP/9.9\r\n${H}\r\n`, 400],
  badMethod: [`G@T /health HTTP/1.1\r\n${H}\r\n`, 400],
  notAPath: [`GET nonsense HTTP/1.1\r\n${H}\r\n`, 400],
  noHost: ['GET /health HTTP/1.1\r\n\r\n', 400],
  badPercentEncoding: [`GET /api/assignments/%E0%A4%A HTTP/1.1\r\n${H}\r\n`, 400],
  badJson: [`POST /api/events HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\n{bad}`, 400],
  truncatedJson: [`POST /api/events HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\n{"a":`, 0],
  truncatedHead: [`GET /api/assign`, 0],
};

/** Sends raw bytes on a fresh connection; resolves with the status line's code (0 when none). */
function raw(port: number, data: string | Buffer, halfClose: boolean, untilClose = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      s.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    };
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      text += d;
      // A complete answer (kept-alive connections stay open after a 400 from a route): stop there.
      const end = text.indexOf('\r\n\r\n');
      const len = /\r\ncontent-length: (\d+)\r\n/i.exec(text);
      if (!untilClose && end >= 0 && len && text.length >= end + 4 + Number(len[1])) finish();
    });
    s.on('close', finish);
    s.on('error', finish);
    s.setTimeout(3000, finish);
    s.write(data);
    // Truncated requests hang up mid-request; the others wait for the answer.
    if (halfClose) s.end();
  });
}

test('a flood of malformed requests gets 400s and the target keeps answering', async () => {
  const t = await startTarget();
  try {
    const names = Object.keys(CASES);
    const ROUNDS = 30;
    const results = await pool(names.length * ROUNDS, 32, async (i) => {
      const name = names[i % names.length]!;
      const [data, expected] = CASES[name]!;
      const r = await raw(t.port, data, expected === 0);
      return { name, expected, ...r };
    });
    const wrong = results.filter((r) => r.expected !== 0 && r.status !== r.expected);
    assert.deepEqual(wrong.slice(0, 3).map((r) => `${r.name}: ${r.status} ${r.text.slice(0, 80)}`), []);
    for (const r of results) if (r.status === 400) assert.match(r.text, /\r\nx-request-id: \S+\r\n/i, r.name);

    // Still healthy: normal requests on new and kept-alive connections.
    const ok = await Promise.all(Array.from({ length: 20 }, () => hit(`${t.url}/health`)));
    assert.ok(ok.every((r) => r.status === 200));
    const s = t.stats();
    assert.ok(s.totals.clientErrors >= 12 * ROUNDS, `clientErrors ${s.totals.clientErrors}`);
    assert.equal(s.inFlight, 0);
  } finally {
    await t.close();
  }
});

test('a valid request followed by garbage on the same connection: 200, then 400 and close', async () => {
  const t = await startTarget();
  try {
    const r = await raw(t.port, `GET /health HTTP/1.1\r\n${H}\r\n\u0001\u0002garbage\r\n\r\n`, false, true);
    assert.match(r.text, /^HTTP\/1\.1 200 OK/);
    assert.match(r.text, /HTTP\/1\.1 400 Bad Request/);
    assert.equal((await hit(`${t.url}/health`)).status, 200);
  } finally {
    await t.close();
  }
});
