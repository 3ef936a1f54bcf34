/** Shared helpers for end-to-end tests: run the real CLI, start small real servers on loopback. */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

/** Repository root (tests run from dist/test/, two levels below). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'volley.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `volley ...args` as a user would (a child process), with a hard time bound. */
export function runVolley(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<CliResult> {
  return new Promise((resolveP) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveP({ code, stdout, stderr });
    });
  });
}

/** Writes a script into a fresh temp directory (a script "anywhere on disk") and returns its path. */
export function writeScript(source: string, name = 'test.ts'): string {
  const dir = mkdtempSync(join(tmpdir(), 'volley-test-'));
  const p = join(dir, name);
  writeFileSync(p, source);
  return p;
}

export interface TestServer {
  url: string;
  /** Requests seen, by path (without query). */
  counts: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

/**
 * A small real HTTP server on 127.0.0.1: `/ok` (200 JSON), `/delay?ms=N`, `/status/N`, anything
 * else 200 'ok'. Counts requests per path.
 */
export async function startTestServer(handler?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<TestServer> {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    req.resume();
    if (handler?.(req, res)) return;
    if (url.pathname.startsWith('/status/')) {
      res.statusCode = Number(url.pathname.slice(8));
      res.end('status');
      return;
    }
    if (url.pathname === '/delay') {
      setTimeout(() => res.end('{"ok":true}'), Number(url.searchParams.get('ms') ?? 0));
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true,"id":42,"items":[{"id":1},{"id":2}]}');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface DashboardRun {
  /** The SSE events the dashboard streamed, in order, up to `end` (name, parsed data). */
  events: Array<{ event: string; data: any }>;
  /** The run's exit code. */
  code: number | null;
}

/**
 * `volley run ARGS --dashboard --dashboard-port 0`: waits for the dashboard's address, reads its
 * event stream (`/events`) up to the `end` event (30 s at most), and waits for the run to exit
 * (killed after 60 s).
 */
export async function runWithDashboard(args: string[]): Promise<DashboardRun> {
  const child = spawn(process.execPath, [BIN, 'run', ...args, '--quiet', '--dashboard', '--dashboard-port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /dashboard at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on('close', () => reject(new Error(`exited before the dashboard started: ${err}`)));
    });
    const res = await fetch(new URL('events', url), { headers: { accept: 'text/event-stream' } });
    if (res.status !== 200) throw new Error(`${url}events answered ${res.status}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !/event: end\ndata: .*\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({ event: m[1]!, data: JSON.parse(m[2]!) }));
    await new Promise((r) => (child.exitCode === null ? child.on('close', r) : r(undefined)));
    return { events, code: child.exitCode };
  } finally {
    clearTimeout(killer);
  }
}

/** A stable 31-bit seed from a name (FNV-1a): a target seeded per test file or example. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 1;
}
