#!/usr/bin/env node
// Request serialisation: the cached Buffer of a frozen header list (a repeated http.get(url))
// against building the request string each time (what undici does per request).
// Usage: node bench/micro/request-bytes.mjs   (build first: npx tsc -p .)
import { bodilessRequest, requestHead } from '../../dist/src/protocols/http/fast/request-bytes.js';
import { bench } from './bench-util.mjs';

const frozen = Object.freeze(['user-agent', 'volley']);
const plain = ['user-agent', 'volley'];
let sink = 0;
bench('cached (frozen headers): bodilessRequest → Buffer', 5e6, () => {
  sink += bodilessRequest('GET', '/api/assignments/u1', '127.0.0.1:18080', true, frozen).length;
});
bench('built per request: requestHead → string', 5e6, () => {
  sink += requestHead('GET', '/api/assignments/u1', '127.0.0.1:18080', true, plain, 0).length;
});
bench('built per request + Buffer.from(latin1)', 2e6, () => {
  sink += Buffer.from(requestHead('GET', '/api/assignments/u1', '127.0.0.1:18080', true, plain, 0), 'latin1').length;
});
if (sink === 0) console.log('');
