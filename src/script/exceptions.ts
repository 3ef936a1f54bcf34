import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScriptException } from '../vu/iteration.js';

/** Volley's own files: dist/ and, when source maps resolve frames to it, src/. */
const VOLLEY_ROOT = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
const VOLLEY_DIRS = [`${VOLLEY_ROOT}/dist/`, `${VOLLEY_ROOT}/src/`];

/**
 * Describes an exception thrown by user code: its message and the first stack frame that is in the
 * user's code (source-mapped to their .ts/.js file), not in Volley or Node internals.
 */
/** The code of an exception that has none of its own. */
export const SCRIPT_EXCEPTION = 'E_SCRIPT_EXCEPTION';

export function describeException(e: unknown): ScriptException {
  if (!(e instanceof Error)) {
    return { code: SCRIPT_EXCEPTION, message: plain(typeof e === 'string' ? e : safeString(e)), location: undefined, stack: undefined };
  }
  const stack = e.stack ?? '';
  let location: string | undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    let file = m[1]!;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (VOLLEY_DIRS.some((d) => file.startsWith(d)) || file.includes('/node_modules/') || file.startsWith('node:')) continue;
    location = `${file}:${m[2]}:${m[3]}`;
    break;
  }
  const own = (e as { code?: unknown }).code;
  // Volley's own errors say what is wrong in their message; 'VolleyError: ' would add nothing.
  const named = e.name && e.name !== 'Error' && e.name !== 'VolleyError';
  return { code: typeof own === 'string' && own !== '' ? own : SCRIPT_EXCEPTION, message: plain(`${named ? `${e.name}: ` : ''}${e.message}`), location, stack: plain(stack) };
}

/** Terminal colour codes (CSI sequences), which libraries such as Playwright put in their messages. */
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** The text without terminal codes: summaries, reports and exports show it as plain text. */
function plain(s: string): string {
  return s.includes('\u001b') ? s.replace(ANSI, '') : s;
}

function safeString(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
