/**
 * volley init: every template writes a test that runs at small scale against the target and passes
 * its own thresholds; the README and the GitHub Actions workflow are written beside it; existing
 * files are not overwritten without --force; a wrong template name is named.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { runVolley } from './helpers.js';

let target: RunningTarget;
before(async () => {
  target = await startTarget({ port: 0 });
});
after(async () => {
  await target.close();
});

const ALL = ['smoke', 'load', 'stress', 'spike', 'soak', 'breakpoint'];

test('volley init writes every template, a README and a workflow; each test passes at SCALE=0.002 against the target', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-init-'));
  const w = await runVolley(['init', 'perf', '--template', ALL.join(','), '--path', '/api/experiments', '--start', 'npm start'], { cwd: dir });
  assert.equal(w.code, 0, w.stderr);
  const wf = parse(readFileSync(join(dir, '.github/workflows/load-tests.yml'), 'utf8'));
  const steps = wf.jobs['load-tests'].steps as { run?: string; name?: string }[];
  for (const t of ALL) assert.ok(steps.some((s) => s.run?.includes(`npx volley run perf/${t}.test.ts`)), `workflow runs ${t}`);
  assert.ok(steps.some((s) => s.run?.includes('npm start &')));
  assert.match(readFileSync(join(dir, 'perf/README.md'), 'utf8'), /\| \[`soak.test.ts`\]\(soak.test.ts\) \|/);
  // Run them two at a time (2 cores), each scaled to a few seconds.
  const runs = ALL.map((t) => () => runVolley(['run', join(dir, 'perf', `${t}.test.ts`), '--quiet', '-e', `BASE_URL=${target.url}`, '-e', 'SCALE=0.002'], { timeoutMs: 120_000 }).then((r) => ({ t, r })));
  for (let i = 0; i < runs.length; i += 2) {
    for (const { t, r } of await Promise.all(runs.slice(i, i + 2).map((f) => f()))) {
      assert.equal(r.code, 0, `${t}: ${r.stderr}\n${r.stdout}`);
      assert.match(r.stdout, /PASSED/, t);
    }
  }
});

test('volley init refuses to overwrite without --force and names a wrong template', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-init-'));
  writeFileSync(join(dir, 'x'), '');
  assert.equal((await runVolley(['init'], { cwd: dir })).code, 0);
  const again = await runVolley(['init'], { cwd: dir });
  assert.equal(again.code, 104);
  assert.match(again.stderr, /would overwrite load-tests\/smoke\.test\.ts, load-tests\/load\.test\.ts/);
  assert.equal((await runVolley(['init', '--force'], { cwd: dir })).code, 0);
  const bad = await runVolley(['init', 'x2', '--template', 'smoke,spkie'], { cwd: dir });
  assert.equal(bad.code, 104);
  assert.match(bad.stderr, /unknown test type 'spkie'; did you mean 'spike'\?/);
});
