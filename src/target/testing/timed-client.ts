import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/**
 * Helpers for Volley's own tests of the target: a timed loopback HTTP client and a bounded pool.
 * Not part of the public API.
 */

export interface Timed {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request was started / when the last body byte arrived. */
  startMs: number;
  endMs: number;
  /** endMs - startMs. */
  ms: number;
}

export interface HitOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: Agent;
  /** Abort after this many ms (rejects with an error whose code is 'ETIMEDOUT'). */
  timeoutMs?: number;
  /** Called with the time of each body chunk's arrival and its text. */
  onChunk?: (atMs: number, text: string) => void;
}

/** One request; resolves after the whole body arrived. Loopback URLs only. */
export function hit(url: string, opts: HitOptions = {}): Promise<Timed> {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1' && u.hostname !== '[::1]' && u.hostname !== 'localhost') throw new Error(`tests only talk to loopback, not ${u.hostname}`);
  return new Promise((resolve, reject) => {
    const startMs = performance.now();
    const req = request(
      u,
      { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
          opts.onChunk?.(performance.now(), c);
        });
        res.on('end', () => {
          const endMs = performance.now();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, startMs, endMs, ms: endMs - startMs });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.timeoutMs !== undefined) {
      req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    }
    req.end(opts.body);
  });
}

/** Runs fn(0..n-1) with at most `concurrency` in flight; results in index order. */
export async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  return out;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Measures how late this process's event loop runs (a CPU-starved machine delays every timer).
 * Tests add `maxMs()` to upper timing bounds only; lower bounds stay exact.
 */
export function lagProbe(): { maxMs(): number; stop(): void } {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return {
    maxMs: () => h.max / 1e6,
    stop: () => h.disable(),
  };
}
