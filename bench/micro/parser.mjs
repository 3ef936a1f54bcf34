#!/usr/bin/env node
// The fast transport's response parser on an nginx-style response (5 headers, 8-byte body), whole
// and split in two, against llhttp as undici uses it is not reproducible outside undici; compare
// with Node's own http parser (llhttp) through node:http's internal HTTPParser instead.
// Usage: node bench/micro/parser.mjs   (build first: npx tsc -p .)
import { ResponseParser } from '../../dist/src/protocols/http/fast/parser.js';
import { bench } from './bench-util.mjs';

class P extends ResponseParser {
  n = 0;
  onHead() {}
  onBody(b, s, e) {
    this.n += e - s;
  }
  onComplete() {}
}
const msg = Buffer.from('HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 25 Nov 2026 08:15:02 GMT\r\nContent-Type: application/json\r\nContent-Length: 8\r\nConnection: keep-alive\r\n\r\n{"id":1}');
const p = new P();
bench('fast parser, whole response in one read', 2e6, () => {
  p.resetParser(false);
  p.execute(msg, 0, msg.length);
});
bench('fast parser, split after 40 bytes (head accumulates)', 1e6, () => {
  p.resetParser(false);
  p.execute(msg, 0, 40);
  p.execute(msg, 40, msg.length);
});
const { HTTPParser } = process.binding ? await import('node:_http_common').catch(() => ({})) : {};
if (HTTPParser) {
  const hp = new HTTPParser();
  hp.initialize(HTTPParser.RESPONSE, {});
  hp[HTTPParser.kOnHeadersComplete] = () => {};
  hp[HTTPParser.kOnBody] = () => {};
  hp[HTTPParser.kOnMessageComplete] = () => {};
  bench("node's llhttp (node:_http_common HTTPParser), whole response", 1e6, () => {
    hp.execute(msg);
  });
}
