import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExitCode, VolleyError } from '../errors/index.js';
import { startTarget } from '../target/index.js';
import { runCommand } from './run-command.js';
import { parseDurationMs } from '../util/duration.js';

/** `volley demo`: starts the built-in target on a free loopback port, runs examples/demo.ts against it, stops it. */
export async function demoCommand(o: { duration: string }): Promise<number> {
  const seconds = demoSeconds(o.duration);
  const script = fileURLToPath(new URL('../../../examples/demo.ts', import.meta.url));
  if (!existsSync(script)) throw new VolleyError('E_DEMO_MISSING', `the demo script is missing: ${script}`, { exitCode: ExitCode.GenericError });
  const target = await startTarget({ port: 0, host: '127.0.0.1' });
  process.stderr.write(`volley demo: target service listening on ${target.url}\n`);
  try {
    return await runCommand(script, { env: { BASE_URL: target.url, DEMO_DURATION: `${seconds}s` } });
  } finally {
    await target.close();
  }
}

/**
 * `--duration` in whole seconds, as examples/demo.ts takes it ("60s"): any duration Volley reads
 * ("1m", "90s", "1m30s"); one that is not, or under a second, is refused (exit 104).
 */
export function demoSeconds(duration: string): number {
  const ms = parseDurationMs(duration);
  if (ms === undefined || ms < 1000) {
    throw new VolleyError('E_DEMO_DURATION', `--duration ${JSON.stringify(duration)}: ${ms === undefined ? 'not a duration' : 'shorter than a second'}`, {
      hint: 'give a duration of a second or more, e.g. --duration 30s or --duration 1m',
      exitCode: ExitCode.InvalidConfig,
    });
  }
  return Math.round(ms / 1000);
}
