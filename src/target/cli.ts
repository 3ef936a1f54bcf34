import type { Writable } from 'node:stream';
import { loadTargetConfig } from './load-config.js';
import { startTarget, type RunningTarget } from './server.js';
import { WS_ECHO_PATH } from './websocket.js';

/** Options of `volley target`. */
export interface TargetCommandOptions {
  port: number;
  host: string;
  /** Path of a YAML/JSON config file. */
  config?: string;
  /** Where to print (default process.stdout). */
  out?: Writable;
  /** Stops the target when aborted (in addition to SIGINT/SIGTERM); for tests and embedding. */
  signal?: AbortSignal;
  /** Called once listening (tests use it to find the URL). */
  onListening?: (t: RunningTarget) => void;
}

/**
 * `volley target [--port 8080] [--host 127.0.0.1] [--config target.yaml]`: starts the target, prints
 * its URL and routes, and runs until SIGINT/SIGTERM (or `signal`), then closes cleanly and resolves.
 * @throws VolleyError E_TARGET_CONFIG (invalid file) or E_TARGET_PORT (port taken), exit code 104.
 */
export async function runTargetCommand(opts: TargetCommandOptions): Promise<void> {
  const out = opts.out ?? process.stdout;
  const config = opts.config === undefined ? undefined : await loadTargetConfig(opts.config);
  const t = await startTarget({ port: opts.port, host: opts.host, ...(config ? { config } : {}) });
  out.write(describeTarget(t, opts.config));
  opts.onListening?.(t);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      opts.signal?.removeEventListener('abort', stop);
      out.write('\nvolley target: stopping\n');
      void t.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (opts.signal?.aborted) stop();
    else opts.signal?.addEventListener('abort', stop);
  });
}

/** The banner: URL, profile, route table, ground-truth endpoints. */
export function describeTarget(t: RunningTarget, file?: string): string {
  const lines = [`volley target listening on ${t.url}  (${file ? `config ${file}` : 'no config'}, profile ${t.profile})`, ''];
  const w = Math.max(...t.routes.map((r) => r.method.length), 6);
  for (const r of t.routes) lines.push(`  ${r.method.padEnd(w)}  ${r.path}${r.kind === 'static' ? '' : `  [${r.kind}]`}`);
  // Every target answers WebSocket upgrades there, whatever its routes (./websocket.ts).
  lines.push(`  ${'GET'.padEnd(w)}  ${WS_ECHO_PATH}  [websocket]`);
  lines.push('');
  lines.push('  ground truth:  GET /__volley/stats   GET /metrics   POST /__volley/reset   GET /__volley/routes');
  const { stalls, storms } = t.config;
  if (stalls.length > 0) lines.push(`  stalls: ${stalls.map((s) => `${s.for}ms every ${s.every ?? '-'}ms`).join(', ')}`);
  if (storms.length > 0) lines.push(`  429 storms: ${storms.map((s) => `${s.for}ms every ${s.every ?? '-'}ms`).join(', ')}`);
  lines.push('', 'Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
