/**
 * The thread that runs a script's `handleSummary(data)` (see handle-summary.ts): loads the script
 * (its init context runs again, as in a fresh k6 VU), calls the function, checks what it returned
 * and posts it back once.
 */
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { describeException } from './exceptions.js';
import { installGlobals } from './globals.js';
import type { HandleSummaryReply, SummaryOutputs } from './handle-summary.js';
import { importScript } from './load.js';

const { bundleUrl, scriptPath, env, data } = workerData as { bundleUrl: string; scriptPath: string; env: Record<string, string>; data: unknown };
const post = (m: HandleSummaryReply): void => parentPort!.postMessage(m);

/** The returned object, with every value a string or bytes (k6 takes strings and ArrayBuffers). */
function outputsOf(value: unknown): SummaryOutputs {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`it returned ${Array.isArray(value) ? 'an array' : typeof value}, not an object of outputs`);
  const out: SummaryOutputs = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (v instanceof ArrayBuffer) out[k] = new Uint8Array(v);
    else if (ArrayBuffer.isView(v)) out[k] = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    else throw new Error(`its value for "${k}" is ${v === null ? 'null' : typeof v}: give a string or an ArrayBuffer`);
  }
  return out;
}

async function main(): Promise<void> {
  process.setSourceMapsEnabled(true);
  installGlobals(env, dirname(scriptPath));
  const script = await importScript(bundleUrl, scriptPath);
  const fn = script.functions.handleSummary;
  if (!fn) throw new Error('the script exports no handleSummary function');
  post({ ok: true, outputs: outputsOf(await fn(data)) });
}

main().catch((e: unknown) => {
  const d = describeException(e);
  post({ ok: false, message: d.message, location: d.location });
});
