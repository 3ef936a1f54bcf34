import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeaderFlag, ResponseParser, splitRawHeaders, State } from './parser.js';

/** Collects what the parser reports, as the connection would. */
class Collector extends ResponseParser {
  heads: Array<{ status: number; reason: string; head: string; avail: number }> = [];
  body: Buffer[] = [];
  completes = 0;
  protected override onHead(buf: Buffer, start: number, end: number, avail: number): void {
    this.heads.push({ status: this.status, reason: this.statusText, head: buf.toString('latin1', start, end), avail });
  }
  protected override onBody(buf: Buffer, start: number, end: number): void {
    this.body.push(Buffer.from(buf.subarray(start, end)));
  }
  protected override onComplete(): void {
    this.completes++;
  }
  bodyText(): string {
    return Buffer.concat(this.body).toString('latin1');
  }
}

/**
 * Feeds `bytes` split at the given boundaries, in a reused buffer with stale junk after each
 * piece (as the shared read buffer has). Returns the bytes consumed in total, or -1.
 */
function feed(p: ResponseParser, bytes: Buffer, cuts: number[]): number {
  const scratch = Buffer.alloc(bytes.length + 64, 'X\r\n\r\n');
  let used = 0;
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    if (to <= from) continue;
    scratch.fill('Z\r\n\r\n'); // stale data beyond the piece must never be read
    bytes.copy(scratch, 0, from, to);
    const n = p.execute(scratch, 0, to - from);
    if (n < 0) return -1;
    used += n;
    if (p.state === State.Done) return used;
    from = to;
  }
  return used;
}

const CL = Buffer.from('HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/json\r\nContent-Length: 8\r\nConnection: keep-alive\r\n\r\n{"id":1}');
const CHUNKED = Buffer.from(
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nContent-Encoding: identity\r\n\r\n' + '4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: yes\r\n\r\n',
);

describe('fast transport: response parser', () => {
  it('parses a content-length response in one piece, in place', () => {
    const p = new Collector();
    p.resetParser(false);
    assert.equal(feed(p, CL, []), CL.length);
    assert.equal(p.completes, 1);
    assert.equal(p.status, 200);
    assert.equal(p.statusText, 'OK');
    assert.equal(p.contentLength, 8);
    assert.equal(p.keepAlive, true);
    assert.equal(p.bodyText(), '{"id":1}');
    assert.equal(p.heads[0]!.avail, CL.length, 'the hook sees that the body is already in the buffer');
  });

  it('parses chunked bodies with extensions and trailers, and flags headers of interest', () => {
    const p = new Collector();
    p.resetParser(false);
    assert.equal(feed(p, CHUNKED, []), CHUNKED.length);
    assert.equal(p.bodyText(), 'Wikipedia in \r\n\r\nchunks.');
    assert.equal(p.chunked, true);
    assert.equal(p.headerFlags & HeaderFlag.SetCookie, HeaderFlag.SetCookie);
    assert.equal(p.headerFlags & HeaderFlag.ContentEncoding, HeaderFlag.ContentEncoding);
    assert.equal(p.headerFlags & HeaderFlag.Location, 0);
  });

  for (const [name, msg] of [
    ['content-length', CL],
    ['chunked', CHUNKED],
    ['1xx then final', Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nabc')],
    ['bare LF lines', Buffer.from('HTTP/1.1 200 OK\nContent-Length: 2\n\nhi')],
  ] as const) {
    it(`${name}: the same result split at every byte boundary (and in two at each)`, () => {
      const whole = new Collector();
      whole.resetParser(false);
      assert.equal(feed(whole, msg, []), msg.length);
      const byByte = new Collector();
      byByte.resetParser(false);
      assert.equal(
        feed(
          byByte,
          msg,
          Array.from({ length: msg.length }, (_, i) => i + 1),
        ),
        msg.length,
      );
      assert.equal(byByte.bodyText(), whole.bodyText());
      assert.equal(byByte.status, whole.status);
      assert.deepEqual(
        byByte.heads.map((h) => h.head),
        whole.heads.map((h) => h.head),
      );
      for (let cut = 1; cut < msg.length; cut++) {
        const p = new Collector();
        p.resetParser(false);
        assert.equal(feed(p, msg, [cut]), msg.length, `cut at ${cut}`);
        assert.equal(p.completes, 1, `cut at ${cut}`);
        assert.equal(p.bodyText(), whole.bodyText(), `cut at ${cut}`);
        assert.equal(p.status, whole.status, `cut at ${cut}`);
        assert.equal(p.heads.length, 1, `one final head at cut ${cut}`);
      }
    });
  }

  it('skips 1xx heads: only the final head is reported', () => {
    const p = new Collector();
    p.resetParser(false);
    const msg = Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    assert.equal(feed(p, msg, []), msg.length);
    assert.equal(p.heads.length, 1);
    assert.equal(p.status, 404);
    assert.equal(p.statusText, 'Not Found');
  });

  it('a response to HEAD, 204 and 304 have no body whatever the headers say', () => {
    for (const [head, status] of [
      [true, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'],
      [false, 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n'],
      [false, 'HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ] as const) {
      const p = new Collector();
      p.resetParser(head);
      const msg = Buffer.from(status);
      assert.equal(feed(p, msg, []), msg.length, status);
      assert.equal(p.completes, 1, status);
      assert.equal(p.state, State.Done);
    }
  });

  it('reports bytes after a complete response as not consumed (the connection then closes)', () => {
    const p = new Collector();
    p.resetParser(false);
    const msg = Buffer.concat([CL, Buffer.from('HTTP/1.1 200 OK\r\n')]);
    assert.equal(p.execute(msg, 0, msg.length), CL.length);
  });

  it('connection close, HTTP/1.0 and a body delimited by the end of the connection', () => {
    let p = new Collector();
    p.resetParser(false);
    feed(p, Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx'), []);
    assert.equal(p.keepAlive, false);

    p = new Collector();
    p.resetParser(false);
    feed(p, Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx'), []);
    assert.equal(p.keepAlive, false, 'HTTP/1.0 closes by default');
    p = new Collector();
    p.resetParser(false);
    feed(p, Buffer.from('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx'), []);
    assert.equal(p.keepAlive, true);

    p = new Collector();
    p.resetParser(false);
    const msg = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    assert.equal(feed(p, msg, [30]), msg.length);
    assert.equal(p.state, State.BodyEof);
    assert.equal(p.completes, 0);
    assert.equal(p.finishEof(), true);
    assert.equal(p.completes, 1);
    assert.equal(p.bodyText(), 'until the end');
    assert.equal(p.keepAlive, false);
  });

  for (const [what, bytes, code] of [
    ['not HTTP', 'SSH-2.0-OpenSSH_9.2\r\n\r\n', 'HPE_INVALID_CONSTANT'],
    ['bad version', 'HTTP/2.0 200 OK\r\n\r\n', 'HPE_INVALID_VERSION'],
    ['bad status', 'HTTP/1.1 2x0 OK\r\n\r\n', 'HPE_INVALID_STATUS'],
    ['status out of range', 'HTTP/1.1 999 Nope\r\n\r\n', 'HPE_INVALID_STATUS'],
    ['header without colon', 'HTTP/1.1 200 OK\r\nBroken header\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    ['obs-fold', 'HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    ['bad content-length', 'HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n', 'HPE_INVALID_CONTENT_LENGTH'],
    ['conflicting content-length', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 'HPE_UNEXPECTED_CONTENT_LENGTH'],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HPE_INVALID_CHUNK_SIZE'],
    ['missing CRLF after chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX', 'HPE_STRICT'],
    ['head too large', `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 'HPE_HEADER_OVERFLOW'],
  ] as const) {
    it(`malformed: ${what} → ${code}, whole or split at every byte`, () => {
      const msg = Buffer.from(bytes);
      const p = new Collector();
      p.resetParser(false);
      assert.equal(feed(p, msg, []), -1);
      assert.equal(p.errorCode, code);
      assert.equal(p.state, State.Error);
      if (msg.length < 200) {
        const q = new Collector();
        q.resetParser(false);
        assert.equal(
          feed(
            q,
            msg,
            Array.from({ length: msg.length }, (_, i) => i + 1),
          ),
          -1,
        );
        assert.equal(q.errorCode, code);
      }
    });
  }

  it('an oversized head split across reads is an overflow, not unbounded growth', () => {
    const p = new Collector();
    p.resetParser(false);
    const msg = Buffer.from(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(40_000)}`);
    assert.equal(
      feed(
        p,
        msg,
        Array.from({ length: 40 }, (_, i) => (i + 1) * 1000),
      ),
      -1,
    );
    assert.equal(p.errorCode, 'HPE_HEADER_OVERFLOW');
  });

  it('splitRawHeaders gives undici-style [name, value, ...] views with OWS trimmed', () => {
    const head = Buffer.from('HTTP/1.1 200 OK\r\nA:  1 \r\nSet-Cookie: x=y\r\nEmpty:\r\n\r\n');
    const raw = splitRawHeaders(head, 0, head.length);
    assert.deepEqual(
      raw.map((b) => b.toString()),
      ['A', '1', 'Set-Cookie', 'x=y', 'Empty', ''],
    );
  });
});
