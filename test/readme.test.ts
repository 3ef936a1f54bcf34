/**
 * The README's tutorial, followed literally: its shell blocks run in order in a fresh project
 * folder (install, target, runs, reports), with `checkout.ts` as the README shows it. Only three
 * things change, so that the test is quick and shares the machine: the clone's path stands for
 * `/path/to/volley`, the target listens on a free port instead of 8080 (every `127.0.0.1:8080`
 * follows it), and durations are divided by ten. Every command must exit 0.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

interface Block {
  lang: string;
  body: string;
}

/** The fenced code blocks of the README section that starts with `heading`. */
function sectionBlocks(markdown: string, heading: string): Block[] {
  const start = markdown.indexOf(heading);
  assert.ok(start >= 0, `README has no "${heading}" section`);
  const end = markdown.indexOf('\n## ', start + heading.length);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** Ten times shorter: '10s' → '1s', `--duration 30s` → `--duration 3s` (at least 1 s). */
function shorten(text: string): string {
  const tenth = (n: string): string => `${Math.max(1, Math.round(Number(n) / 10))}s`;
  return text.replace(/'(\d+)s'/g, (_, n: string) => `'${tenth(n)}'`).replace(/(--duration )(\d+)s/g, (_, f: string, n: string) => f + tenth(n));
}

const children: ChildProcess[] = [];
after(() => {
  // The target and anything it left: its process group, which this test started.
  for (const c of children) if (c.pid !== undefined && c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
});

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Starts a long-running command (the target) and resolves with its URL once it listens. */
function startBackground(cmd: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" from \`${cmd}\` within 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => reject(new Error(`\`${cmd}\` exited (${code}) before listening:\n${out}`)));
  });
}

test('README tutorial: every command works when followed literally in a new folder', { timeout: 240_000 }, async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = sectionBlocks(readme, '## Tutorial');
  const script = blocks.find((b) => b.lang === 'ts' && b.body.includes('export default'));
  assert.ok(script, 'the tutorial shows a complete test script');
  const shell = blocks.filter((b) => b.lang === 'sh');
  assert.ok(shell.length >= 4, `expected the tutorial's shell blocks, found ${shell.length}`);

  const project = mkdtempSync(join(tmpdir(), 'volley-readme-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', VOLLEY_DASHBOARD_PORT: '0' };
  delete env.BASE_URL;
  delete env.npm_config_prefix;
  let base: string | undefined;
  const literal = (text: string): string => {
    let t = shorten(text.replaceAll('/path/to/volley', ROOT));
    if (base) t = t.replaceAll('http://127.0.0.1:8080', base);
    return t.replace('--port 8080', '--port 0');
  };

  for (const block of shell) {
    if (/volley target/.test(block.body)) {
      base = await startBackground(literal(block.body.trim()), project, env);
      // Step 2 comes after the target: write the script as shown, pointing at it.
      writeFileSync(join(project, 'checkout.ts'), literal(script.body));
      continue;
    }
    const r = await bash(literal(block.body), project, env);
    assert.equal(r.code, 0, `README block failed (exit ${r.code}):\n${block.body}\n--- output ---\n${r.out.slice(-4000)}`);
    if (/echo \$\?/.test(block.body)) assert.match(r.out, /^0$/m, 'the exit code echoed is 0: thresholds met');
  }
  assert.ok(base, 'the tutorial starts the target');
  for (const f of ['summary.json', 'samples.ndjson', 'report.html', 'junit.xml']) assert.ok(existsSync(join(project, f)), `${f} written`);
  const summary = JSON.parse(readFileSync(join(project, 'summary.json'), 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
  assert.ok((summary.metrics.http_reqs?.values.count ?? 0) > 0, 'requests were sent');
  assert.equal(summary.metrics.http_req_failed?.values.rate, 0, 'no request failed: the commands point at the target');
});
