import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { SummaryData } from '../summary/types.js';
import { decodeHistogram, percentileMs } from './hist.js';
import type { GitInfo, KeyMetrics, RunIdentity } from './types.js';

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

/** Commit, branch and dirty state of the checkout holding `dir`; undefined outside git. */
export function gitInfo(dir: string, env: NodeJS.ProcessEnv = process.env): GitInfo | undefined {
  const commit = git(dir, ['rev-parse', 'HEAD']);
  if (!commit) return undefined;
  let branch = git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']) ?? 'HEAD';
  // CI checkouts are often detached: take the branch the CI names.
  if (branch === 'HEAD') branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || env.BRANCH_NAME || 'HEAD';
  const status = git(dir, ['status', '--porcelain', '--untracked-files=no']);
  return { commit, branch, dirty: status !== undefined && status !== '' };
}

const hash16 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** JSON with sorted keys, so that the options hash does not depend on key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * The test name of a script as runs are stored: its path relative to the git root holding it, else
 * to `cwd`. Real paths on both sides (git prints the root's), so a script reached through a symlink
 * (or macOS's /tmp) is the same test, not `../../..` from the root.
 */
export function testNameOf(scriptPath: string, cwd: string = process.cwd(), dir: string = dirname(resolve(cwd, scriptPath))): string {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const abs = real(resolve(cwd, scriptPath));
  const root = (gitInfo(dir) ? git(dir, ['rev-parse', '--show-toplevel']) : undefined) ?? real(cwd);
  return relative(root, abs).split(sep).join('/');
}

/**
 * The identity of a finished run: which test (script path relative to the git root, else to
 * `cwd`), script and options hashes, git state, labels, Volley version and machine.
 */
export function runIdentity(summary: SummaryData, opts: { scriptPath: string; labels?: Record<string, string>; cwd?: string; env?: NodeJS.ProcessEnv }): RunIdentity {
  const dir = dirname(opts.scriptPath);
  const g = gitInfo(dir, opts.env);
  let script: Buffer | string;
  try {
    script = readFileSync(opts.scriptPath);
  } catch {
    script = opts.scriptPath;
  }
  return {
    test: testNameOf(opts.scriptPath, opts.cwd, dir),
    scriptHash: hash16(script),
    optionsHash: hash16(stable(summary.volley.options)),
    git: g,
    labels: opts.labels ?? {},
    version: summary.volley.version,
    machine: summary.volley.machine,
  };
}

/** The figures `volley runs` shows, from a summary. */
export function keyMetricsOf(s: SummaryData): KeyMetrics {
  const v = (m: string, k: string): number | undefined => s.metrics[m]?.values[k];
  const dur = s.metrics.http_req_duration;
  const enc = s.volley?.histograms?.http_req_duration;
  const h = enc ? decodeHistogram(enc) : undefined;
  const pct = (p: number): number | null => (h ? percentileMs(h, p) : dur ? (v('http_req_duration', `p(${p})`) ?? null) : null);
  return {
    requests: v('http_reqs', 'count') ?? 0,
    rps: v('http_reqs', 'rate') ?? 0,
    errorRate: v('http_req_failed', 'rate') ?? 0,
    p95: pct(95),
    p99: pct(99),
    iterations: v('iterations', 'count') ?? 0,
  };
}
