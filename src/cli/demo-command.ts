import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExitCode, VolleyError } from '../errors/index.js';
import { startTarget } from '../target/index.js';
import { runCommand } from './run-command.js';

/** `volley demo`: starts the built-in target on a free loopback port, runs examples/demo.ts against it, stops it. */
export async function demoCommand(o: { duration: string }): Promise<number> {
  const script = fileURLToPath(new URL('../../../examples/demo.ts', import.meta.url));
  if (!existsSync(script)) throw new VolleyError('E_DEMO_MISSING', `the demo script is missing: ${script}`, { exitCode: ExitCode.GenericError });
  const target = await startTarget({ port: 0, host: '127.0.0.1' });
  process.stderr.write(`volley demo: target service listening on ${target.url}\n`);
  try {
    return await runCommand(script, { env: { BASE_URL: target.url, DEMO_DURATION: o.duration } });
  } finally {
    await target.close();
  }
}
