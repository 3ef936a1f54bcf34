/**
 * Every seed example (examples/seeds/*: the plans in ../shared/seeds, section by section) runs
 * against the built-in target at small scale (SCALE=0.01) and meets its own thresholds.
 * Every example gets BASE_URL (the target) and LLM_URL (the target's OpenAI-compatible API). A long
 * plan (a soak of hours) may ask for a smaller scale in a comment line `// seed-scale: 0.002`.
 * A script kept as the plan wrote it (a k6 excerpt) is shortened by CLI flags in a comment line
 * `// seed-args: --stages 1s:5,1s:0`; one whose SLO the target does not meet says so with
 * `// seed-exit: 99` (the suite then requires that exit code and a FAILED verdict).
 * A regression-gate example says `// seed-gate: ARGS`: it then also runs twice against a fresh run
 * store, `--save`, then `--save --baseline latest ARGS`, and the unchanged target must pass the gate.
 * Examples marked `// seed-suite: capacity` run in test/seeds-capacity.test.ts instead.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const seeds = readdirSync(DIR).filter((f) => /\.(ts|js|mjs|ya?ml)$/.test(f)).sort();
/** Examples marked `// seed-suite: capacity` run in test/seeds-capacity.test.ts (this file's 5-minute budget is spent). */
const here = seeds.filter((f) => !/^\/\/ seed-suite: capacity$/m.test(readFileSync(join(DIR, f), 'utf8')));

test('there are seed examples, and docs/seeds.md maps each one', () => {
  assert.ok(seeds.length > 0);
  const doc = readFileSync(join(ROOT, 'docs', 'seeds.md'), 'utf8');
  for (const f of seeds) assert.ok(doc.includes(`examples/seeds/${f}`), `docs/seeds.md does not mention examples/seeds/${f}`);
});

for (const f of here) {
  test(`examples/seeds/${f} runs at small scale against the target with the verdict it expects`, async () => {
    const scale = /^\/\/ seed-scale: ([0-9.]+)$/m.exec(readFileSync(join(DIR, f), 'utf8'))?.[1] ?? '0.01';
    const env = ['-e', `BASE_URL=${target.url}`, '-e', `LLM_URL=${target.url}/v1`, '-e', `SCALE=${scale}`];
    const text = readFileSync(join(DIR, f), 'utf8');
    const args = /^\/\/ seed-args: (.+)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
    const exit = Number(/^\/\/ seed-exit: (\d+)/m.exec(text)?.[1] ?? 0);
    const r = await runVolley(['run', join('examples', 'seeds', f), '--quiet', ...env, ...args], { timeoutMs: 240_000 });
    assert.equal(r.code, exit, `${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, exit === 0 ? /PASSED/ : /FAILED|ABORTED/);
    const gate = /^\/\/ seed-gate: (.+)$/m.exec(text);
    if (!gate) return;
    const store = ['--store', join(mkdtempSync(join(tmpdir(), 'volley-seed-')), 'history.db')];
    const first = await runVolley(['run', join('examples', 'seeds', f), '--quiet', '--no-summary', ...env, '--save', ...store], { timeoutMs: 240_000 });
    assert.equal(first.code, 0, first.stderr);
    const second = await runVolley(['run', join('examples', 'seeds', f), '--quiet', '--no-summary', ...env, '--save', ...store, '--baseline', 'latest', ...gate[1]!.trim().split(/\s+/)], { timeoutMs: 240_000 });
    assert.equal(second.code, 0, `${second.stderr}\n${second.stdout}`);
    assert.match(second.stdout, /regression budgets:/);
  });
}
