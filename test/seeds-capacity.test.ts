/**
 * The seed examples of issue 13 (breakpoint search, windowed alert rules, error budgets), marked
 * `// seed-suite: capacity`: run like test/seeds.test.ts runs the others (against the built-in
 * target, at `// seed-scale:` or 0.01, expecting `// seed-exit:` or 0), in their own file so that each
 * file stays within its time budget. A breakpoint example says `// seed-find-capacity: ARGS`:
 * `volley find-capacity` then also runs it with ARGS and must find a capacity (a rate that held, and
 * one above it that broke).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { ROOT, runVolley } from './helpers.js';

const DIR = join(ROOT, 'examples', 'seeds');
let target: RunningTarget;
before(async () => {
  target = await startTarget({ port: 0 });
});
after(async () => {
  await target.close();
});

const seeds = readdirSync(DIR)
  .filter((f) => /\.(ts|js|mjs|ya?ml)$/.test(f) && /^\/\/ seed-suite: capacity$/m.test(readFileSync(join(DIR, f), 'utf8')))
  .sort();

test('the capacity suite has its examples', () => {
  assert.ok(seeds.length >= 3, seeds.join(', '));
});

for (const f of seeds) {
  test(`examples/seeds/${f} runs at small scale against the target with the verdict it expects`, async () => {
    const text = readFileSync(join(DIR, f), 'utf8');
    const scale = /^\/\/ seed-scale: ([0-9.]+)$/m.exec(text)?.[1] ?? '0.01';
    const env = ['-e', `BASE_URL=${target.url}`, '-e', `LLM_URL=${target.url}/v1`, '-e', `SCALE=${scale}`];
    const exit = Number(/^\/\/ seed-exit: (\d+)/m.exec(text)?.[1] ?? 0);
    const r = await runVolley(['run', join('examples', 'seeds', f), '--quiet', ...env], { timeoutMs: 240_000 });
    assert.equal(r.code, exit, `${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, exit === 0 ? /PASSED/ : /FAILED|ABORTED/);
    const find = /^\/\/ seed-find-capacity: (.+)$/m.exec(text);
    if (!find) return;
    const c = await runVolley(['find-capacity', join('examples', 'seeds', f), '--quiet', '--json', ...env, ...find[1]!.trim().split(/\s+/)], { timeoutMs: 240_000 });
    assert.equal(c.code, 0, c.stderr);
    const finding = JSON.parse(c.stdout);
    assert.equal(finding.stoppedBecause, 'found', finding.explanation);
    assert.ok(finding.capacity > 0 && finding.breaksAt > finding.capacity, c.stdout);
  });
}
