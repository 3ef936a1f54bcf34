/**
 * Every script in examples/ runs against the built-in target, as the README tells users to run
 * them, and passes its own thresholds. Each gets its own target seeded from its file name, so its
 * draws from the target's latency and error models are the same on every run; `volley demo` below
 * starts its own, unseeded, as users run it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { ROOT, runVolley, seedOf } from './helpers.js';

const scripts = readdirSync(join(ROOT, 'examples')).filter((f) => /\.(ts|js|mjs)$/.test(f));

for (const f of scripts) {
  test(`examples/${f} runs against the target and meets its thresholds`, async () => {
    const target = await startTarget({ port: 0, config: { seed: seedOf(f) } });
    try {
      const r = await runVolley(['run', join('examples', f), '--quiet', '-e', `BASE_URL=${target.url}`, '-e', 'DEMO_DURATION=6s'], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
      assert.match(r.stdout, /PASSED/);
    } finally {
      await target.close();
    }
  });
}

test('npm run demo: volley demo starts its own target and passes', async () => {
  const r = await runVolley(['demo', '--duration', '6s'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /target service listening on http:\/\/127\.0\.0\.1:\d+/);
  assert.match(r.stdout, /http_req_duration/);
});
