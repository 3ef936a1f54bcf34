import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limit.js';

test('token bucket: burst, then rate per period, with the wait until the next token', () => {
  const rl = new RateLimiter({ rate: 5, per: 1000, burst: 3 }, 0);
  assert.equal(rl.take('', 0), 0);
  assert.equal(rl.take('', 0), 0);
  assert.equal(rl.take('', 0), 0);
  assert.equal(rl.take('', 0), 200); // one token per 200 ms
  assert.equal(rl.take('', 100), 100);
  assert.equal(rl.take('', 200), 0);
  // Over 10 s at most burst + 50 requests pass however fast they come.
  let ok = 0;
  for (let t = 1000; t < 11_000; t += 5) if (rl.take('', t) === 0) ok++;
  assert.ok(ok >= 50 && ok <= 53, String(ok));
});

test('per-key buckets are independent; default burst is ceil(rate)', () => {
  const rl = new RateLimiter({ rate: 2.5, per: 1000, key: 'x-api-key' }, 0);
  assert.equal(rl.burst, 3);
  for (const k of ['a', 'b']) {
    for (let i = 0; i < 3; i++) assert.equal(rl.take(k, 0), 0);
    assert.ok(rl.take(k, 0) > 0);
  }
  rl.reset(0);
  assert.equal(rl.take('a', 0), 0);
});
