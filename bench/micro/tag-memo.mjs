#!/usr/bin/env node
// Tag-set resolution per request: interning by building the key string (TagSetCache.with) against
// the client's memo of the last system tags (ten reference compares), and check()'s with1 against
// its per-set memo.
// Usage: node bench/micro/tag-memo.mjs   (build first: npx tsc -p .)
import { TagSetCache } from '../../dist/src/metrics/tags.js';
import { bench } from './bench-util.mjs';

const cache = new TagSetCache();
const base = cache.of({ scenario: 'default', group: '' });
const sys = {
  name: 'http://127.0.0.1:18080/api/assignments/u1',
  url: 'http://127.0.0.1:18080/api/assignments/u1',
  method: 'GET',
  status: '200',
  proto: 'HTTP/1.1',
  tls_version: undefined,
  expected_response: 'true',
  error: undefined,
  error_code: undefined,
};
bench('TagSetCache.with(base, systemTags) (key string + Map)', 2e6, () => cache.with(base, sys));
const memo = { base, ...sys, out: cache.with(base, sys) };
bench('memo hit (the client: ten === compares)', 2e7, () =>
  memo.base === base && memo.name === sys.name && memo.url === sys.url && memo.method === sys.method && memo.status === sys.status && memo.proto === sys.proto && memo.tls_version === sys.tls_version && memo.expected_response === sys.expected_response && memo.error === sys.error && memo.error_code === sys.error_code ? memo.out : null,
);
bench("with1(base, 'check', name) (per-set memo)", 1e7, () => cache.with1(base, 'check', 'status 200'));
bench('key-string interning, as with1 did before', 2e6, () => cache.with(base, { check: 'status 200' }));
