/**
 * One Chromium process per worker thread, shared by the worker's VUs (each VU has its own browser
 * context in it, vu-state.ts). Launched on the first VU's first page, closed when the last VU
 * holding it retires. Never downloads a browser: it runs Debian's Chromium (`/usr/bin/chromium`,
 * or `K6_BROWSER_EXECUTABLE_PATH`) through playwright-core, over a pipe, so that Chromium also
 * ends when the worker (or the whole process) ends without closing it.
 *
 * States of the shared process:
 *
 *   none --acquire()--> launching --ok--> up --last release()--> closing --> none
 *                           |              |
 *                           |              +--disconnected (crash)--> none   (next acquire relaunches,
 *                           +--error--> none (each acquire fails)              at most MAX_CRASHES times)
 *
 * Settings, as k6 browser reads them from the environment: K6_BROWSER_EXECUTABLE_PATH,
 * K6_BROWSER_HEADLESS (default true), K6_BROWSER_ARGS (comma-separated extra flags),
 * K6_BROWSER_TIMEOUT (default 30s: navigation and action timeout). As root, `--no-sandbox` is added
 * (Chromium refuses to start as root with its sandbox), and `--disable-dev-shm-usage` when
 * /dev/shm is under 512 MB (containers).
 */
import { existsSync, statfsSync } from 'node:fs';
import { freemem } from 'node:os';
import { chromium, type Browser } from 'playwright-core';
import { ExitCode, VolleyError } from '../../errors/index.js';

export const DEFAULT_EXECUTABLE = '/usr/bin/chromium';
/** Crashes of the shared browser a worker recovers from (by relaunching) before it gives up. */
export const MAX_CRASHES = 3;

export interface LaunchSettings {
  executablePath: string;
  headless: boolean;
  args: string[];
  /** Default timeout of navigations and actions, ms. */
  timeoutMs: number;
}

/** The settings from the environment (k6 browser's variable names). */
export function launchSettings(env: NodeJS.ProcessEnv = process.env): LaunchSettings {
  const args = (env.K6_BROWSER_ARGS ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .map((a) => (a.startsWith('-') ? a : `--${a}`));
  if (process.getuid?.() === 0 && !args.includes('--no-sandbox')) args.push('--no-sandbox');
  // Containers often give /dev/shm 64 MB, where Chromium's renderers crash: use /tmp instead.
  if (smallDevShm() && !args.includes('--disable-dev-shm-usage')) args.push('--disable-dev-shm-usage');
  return {
    executablePath: env.K6_BROWSER_EXECUTABLE_PATH || DEFAULT_EXECUTABLE,
    headless: !/^(false|0|no)$/i.test(env.K6_BROWSER_HEADLESS ?? ''),
    args,
    timeoutMs: parseTimeout(env.K6_BROWSER_TIMEOUT),
  };
}

function smallDevShm(): boolean {
  try {
    const s = statfsSync('/dev/shm');
    return s.blocks * s.bsize < 512 * 1024 * 1024;
  } catch {
    return false;
  }
}

function parseTimeout(v: string | undefined): number {
  if (v === undefined || v === '') return 30_000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) return 30_000;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

let browser: Browser | null = null;
let launching: Promise<Browser> | null = null;
let users = 0;
let crashes = 0;
let closing: Promise<void> | null = null;

/**
 * Free memory below which a VU opens no new browser context: a context with a loaded page costs
 * ≈ 70 MB (docs/browser.md, bench/micro/browser-memory.mjs), and a machine out of memory kills
 * Chromium (or the run) instead of saying why.
 */
export const MIN_FREE_BYTES = 256 * 1024 * 1024;

/** Refuses a new context when the machine is short of memory (`free`: available bytes). */
export function checkMemory(free: number = freemem()): void {
  if (free >= MIN_FREE_BYTES) return;
  throw new VolleyError('E_BROWSER_MEMORY', `not enough free memory for another browser context (${Math.round(free / 1048576)} MB free; each browser VU needs about 70 MB, each worker's Chromium about 235 MB)`, {
    hint: 'run fewer browser VUs on this machine (keep the volume on HTTP VUs) or spread them over several machines (docs/distributed.md)',
    exitCode: ExitCode.ScriptException,
  });
}

/** Chromium crashed (or was killed) under the run: what VUs see when they next use it. */
export function crashError(detail: string): VolleyError {
  return new VolleyError('E_BROWSER_CRASHED', `Chromium exited unexpectedly (${detail})${crashes >= MAX_CRASHES ? `; it crashed ${crashes} times in this worker, so its VUs stop using it` : '; the next page starts a new one'}`, {
    hint: 'look for an out-of-memory kill (dmesg) or lower the number of browser VUs; each takes tens of MB (docs/browser.md)',
    exitCode: ExitCode.ScriptException,
  });
}

/** The worker's browser (launched if need be); the caller holds it until `release()`. */
export async function acquireBrowser(settings: LaunchSettings): Promise<Browser> {
  if (closing) await closing;
  if (browser?.isConnected()) {
    users++;
    return browser;
  }
  if (crashes >= MAX_CRASHES) throw crashError(`${crashes} crashes`);
  launching ??= launch(settings).finally(() => (launching = null));
  const b = await launching;
  users++;
  return b;
}

/** The caller no longer needs `b`; the last one closes it (a crashed one is already gone). */
export async function releaseBrowser(b: Browser): Promise<void> {
  if (b !== browser) return;
  users = Math.max(0, users - 1);
  if (users > 0) return;
  browser = null;
  closing = b
    .close()
    .catch(() => undefined)
    .finally(() => (closing = null));
  await closing;
}

/** True when the browser a context belongs to has crashed (is no longer the worker's, connected). */
export function isCrashed(b: Browser): boolean {
  return !b.isConnected() && b !== browser;
}

async function launch(s: LaunchSettings): Promise<Browser> {
  if (!existsSync(s.executablePath)) {
    throw new VolleyError('E_BROWSER_MISSING', `no Chromium at ${s.executablePath}`, {
      hint: 'install it (Debian/Ubuntu: apt-get install -y chromium) or set K6_BROWSER_EXECUTABLE_PATH; Volley never downloads a browser',
      exitCode: ExitCode.ScriptException,
    });
  }
  let b: Browser;
  try {
    // handleSIGINT/SIGTERM off: the run's own Ctrl-C handling stops the VUs, which close their
    // contexts and then the browser (a worker thread gets no signals anyway).
    b = await chromium.launch({ executablePath: s.executablePath, headless: s.headless, args: s.args, timeout: s.timeoutMs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  } catch (e) {
    throw new VolleyError('E_BROWSER_LAUNCH', `could not start Chromium (${s.executablePath}): ${firstLine(e)}`, {
      hint: 'run it by hand with --headless to see why; as root it needs --no-sandbox (added automatically); extra flags go in K6_BROWSER_ARGS',
      exitCode: ExitCode.ScriptException,
    });
  }
  browser = b;
  b.on('disconnected', () => {
    if (browser === b) {
      // Not closed by us: it crashed or was killed.
      browser = null;
      users = 0;
      crashes++;
    }
  });
  return b;
}

export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.trim();
}
