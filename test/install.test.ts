/**
 * Volley installed into a user's own project, as the README says: `npm pack` in a copy of the
 * sources builds it (the `prepare` script), the tarball holds the built package and none of our
 * tests, `npm install <tarball>` in a fresh project works from npm's cache, and there `npx volley
 * run` runs a script that imports `volley/http`, whose types the project's TypeScript sees.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

/** The environment without the `npm_*` variables of the `npm test` that runs us. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'BASE_URL') env[k] = v;
  return env;
}

function sh(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

// The run store's drivers (better-sqlite3, pg) are optional dependencies. better-sqlite3 compiles
// from source when its prebuilt binary cannot be downloaded (minutes under load): installed here
// with --ignore-scripts, it is left unbuilt. (Not --omit=optional: esbuild's and snappy's native
// binaries are optional dependencies too.) Volley runs without the drivers and says what to do.
test('npm pack builds Volley; npm install <tarball> in another project gives a working npx volley with types', { timeout: 240_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'volley-install-'));

  // A copy of what a clone has (sources, no dist/), sharing our node_modules for the build tools.
  const src = join(work, 'volley');
  mkdirSync(join(src, 'examples'), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json', 'README.md', 'bin', 'src', 'docs', 'scripts']) cpSync(join(ROOT, f), join(src, f), { recursive: true });
  cpSync(join(ROOT, 'examples', 'demo.ts'), join(src, 'examples', 'demo.ts'));
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
  const pack = await sh('npm', ['pack', '--pack-destination', work], src);
  assert.equal(pack.code, 0, pack.out);
  const tarball = readdirSync(work).find((f) => /^volley-.*\.tgz$/.test(f));
  assert.ok(tarball, `npm pack wrote a tarball:\n${pack.out}`);

  const list = (await sh('tar', ['tzf', join(work, tarball)], work)).out.split('\n').filter(Boolean);
  for (const f of ['package/bin/volley.js', 'package/dist/src/cli/main.js', 'package/dist/src/public/http.d.ts', 'package/examples/demo.ts']) {
    assert.ok(list.includes(f), `${f} is in the package`);
  }
  const testFiles = list.filter((f) => /\.test\.|\/test\/|fixture|test-support|\.map$/.test(f));
  assert.deepEqual(testFiles, [], 'no tests, fixtures or source maps in the package');

  // The user's project: its own folder, Volley installed from the tarball (deps from npm's cache).
  const project = join(work, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
  const install = await sh('npm', ['install', join(work, tarball), '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], project);
  assert.equal(install.code, 0, install.out);
  assert.ok(!lstatSync(join(project, 'node_modules', 'volley')).isSymbolicLink(), 'a copy, not a link to the clone');
  assert.ok(!existsSync(join(project, 'node_modules', 'better-sqlite3', 'build')), 'better-sqlite3 not compiled');
  // What npm leaves when an optional dependency fails to install: no folder.
  rmSync(join(project, 'node_modules', 'pg'), { recursive: true });

  writeFileSync(
    join(project, 'smoke.ts'),
    `import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
export const options: Options = { vus: 2, iterations: 10, thresholds: { checks: ['rate==1'] } };
export default async function () {
  const res = await http.get(\`\${__ENV.BASE_URL}/ok\`);
  const status: number = res.status;
  check(res, { 'status 200': () => status === 200 });
}
`,
  );
  // In parallel: the run, and the project's TypeScript resolving volley/http through the package's
  // exports (a planted mistake proves they are real types, not `any`).
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] } }),
  );
  writeFileSync(join(project, 'wrong.ts'), `import http from 'volley/http';\nexport async function f(): Promise<string> {\n  const res = await http.get('http://127.0.0.1/');\n  return res.status;\n}\n`);
  const [run, tsc, runs, pgRun] = await Promise.all([
    sh('npx', ['volley', 'run', 'smoke.ts', '--quiet', '-e', `BASE_URL=${server.url}`, '--summary-export', 'summary.json'], project, 60_000),
    sh(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project),
    // Without working drivers, history says what to install or rebuild (exit 104), before any run.
    sh('npx', ['volley', 'runs'], project),
    sh('npx', ['volley', 'run', 'smoke.ts', '--quiet', '--save', '--store', 'postgres://127.0.0.1:1/none'], project),
  ]);
  assert.equal(runs.code, 104, runs.out);
  assert.match(runs.out, /needs better-sqlite3, whose native module cannot be loaded[\s\S]*npm rebuild better-sqlite3/);
  assert.doesNotMatch(runs.out, /\n\s+at /, 'no stack trace');
  assert.equal(pgRun.code, 104, pgRun.out);
  assert.match(pgRun.out, /needs the package pg, which is not installed[\s\S]*npm install pg@8/);
  assert.doesNotMatch(pgRun.out, /http_reqs/, 'refused before the test ran');
  assert.equal(tsc.code, 2, tsc.out);
  assert.match(tsc.out, /wrong\.ts\(4,3\): error TS2322: Type 'number' is not assignable to type 'string'/);
  assert.doesNotMatch(tsc.out, /smoke\.ts|Cannot find module/, tsc.out);
  assert.equal(run.code, 0, run.out);
  const summary = JSON.parse(readFileSync(join(project, 'summary.json'), 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
  assert.equal(summary.metrics.http_reqs?.values.count, 10);
  assert.equal(summary.metrics.checks?.values.passes, 10);
});
