/**
 * Runs seed examples (examples/seeds/*: the plans in ../shared/seeds, section by section) against
 * the built-in target at small scale and checks each meets its own thresholds. The examples are
 * split over a few test files by plan (test/seeds-*.test.ts), so that each file stays well within
 * the runner's 5-minute budget per file and the files run in parallel.
 *
 * Every example gets its own target (the demo profile, seeded from the file name: each route's draws
 * are then the same on every run, so a sample from the far tail of a latency model cannot fail one
 * run in a hundred at the suite's few samples), BASE_URL (the target) and LLM_URL (the target's
 * OpenAI-compatible API), and SCALE=0.01 unless a header line says otherwise. Header lines (comments at the top of the example):
 * - `// seed-scale: 0.002`: a long plan (a soak of hours) runs at a smaller scale.
 * - `// seed-args: --stages 1s:5,1s:0`: a script kept as the plan wrote it (a k6 excerpt), shortened
 *   by CLI flags.
 * - `// seed-exit: 99`: the target does not meet this SLO (or the test aborts by design); the suite
 *   then requires that exit code and a FAILED/ABORTED verdict.
 * - `// seed-needs: postgres`: also gets DATABASE_URL, a fresh database on a throwaway PostgreSQL
 *   (test/pg.ts, pg_stat_statements preloaded), skipped only where PostgreSQL is not installed and
 *   this is neither CI nor root (where .ci/setup installs it).
 * - `// seed-gate: ARGS`: a regression gate; it also runs twice against a fresh run store, `--save`,
 *   then `--save --baseline latest ARGS`, and the unchanged target must pass the gate.
 * - `// seed-find-capacity: ARGS`: a breakpoint example; `volley find-capacity` also runs it with ARGS
 *   and must find a capacity (a rate that held, and one above it that broke).
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { ROOT, runVolley, seedOf } from './helpers.js';
import { startPostgres, type PgServer } from './pg.js';

export const SEED_DIR = join(ROOT, 'examples', 'seeds');

/** Every seed example file name, sorted. */
export const SEEDS: readonly string[] = readdirSync(SEED_DIR)
  .filter((f) => /\.(ts|js|mjs|ya?ml)$/.test(f))
  .sort();

/** Registers the tests of the examples whose file name starts with one of `plans` ('000', '001'…). */
export function seedSuite(plans: readonly string[]): void {
  const mine = SEEDS.filter((f) => plans.some((p) => f.startsWith(`${p}-`)));
  let pg: Promise<PgServer | undefined> | undefined;
  after(async () => {
    // A throwaway cluster must not outlive the suite.
    (await pg)?.stop();
  });

  test(`plans ${plans.join(', ')} have seed examples`, () => {
    assert.ok(mine.length > 0);
  });

  for (const f of mine) {
    test(`examples/seeds/${f} runs at small scale against the target with the verdict it expects`, async (t) => {
      const target = await startTarget({ port: 0, config: { seed: seedOf(f) } });
      try {
        await runSeed(t, f, target);
      } finally {
        await target.close();
      }
    });
  }

  async function runSeed(t: TestContext, f: string, target: RunningTarget): Promise<void> {
    const text = readFileSync(join(SEED_DIR, f), 'utf8');
    const header = (name: string): string | undefined => new RegExp(`^// ${name}: (.+)$`, 'm').exec(text)?.[1]?.trim();
    const script = join('examples', 'seeds', f);
    const env = ['-e', `BASE_URL=${target.url}`, '-e', `LLM_URL=${target.url}/v1`, '-e', `SCALE=${header('seed-scale') ?? '0.01'}`];
    const args = header('seed-args')?.split(/\s+/) ?? [];
    const exit = Number(header('seed-exit') ?? 0);
    if (header('seed-needs') === 'postgres') {
      const server = await (pg ??= startPostgres({ settings: { shared_preload_libraries: 'pg_stat_statements' } }));
      if (!server) return t.skip('PostgreSQL is not installed (Debian package postgresql)');
      env.push('-e', `DATABASE_URL=${server.createDatabase(`seed_${f.replace(/\W/g, '_').toLowerCase()}`)}`);
    }
    const r = await runVolley(['run', script, '--quiet', ...env, ...args], { timeoutMs: 240_000 });
    assert.equal(r.code, exit, `${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, exit === 0 ? /PASSED/ : /FAILED|ABORTED/);

    const gate = header('seed-gate');
    if (gate) {
      const store = ['--store', join(mkdtempSync(join(tmpdir(), 'volley-seed-')), 'history.db')];
      const first = await runVolley(['run', script, '--quiet', '--no-summary', ...env, '--save', ...store], { timeoutMs: 240_000 });
      assert.equal(first.code, 0, first.stderr);
      const second = await runVolley(['run', script, '--quiet', '--no-summary', ...env, '--save', ...store, '--baseline', 'latest', ...gate.split(/\s+/)], { timeoutMs: 240_000 });
      assert.equal(second.code, 0, `${second.stderr}\n${second.stdout}`);
      assert.match(second.stdout, /regression budgets:/);
    }

    const find = header('seed-find-capacity');
    if (find) {
      const c = await runVolley(['find-capacity', script, '--quiet', '--json', ...env, ...find.split(/\s+/)], { timeoutMs: 240_000 });
      assert.equal(c.code, 0, c.stderr);
      const finding = JSON.parse(c.stdout) as { stoppedBecause: string; explanation: string; capacity: number; breaksAt: number };
      assert.equal(finding.stoppedBecause, 'found', finding.explanation);
      assert.ok(finding.capacity > 0 && finding.breaksAt > finding.capacity, c.stdout);
    }
  }
}

