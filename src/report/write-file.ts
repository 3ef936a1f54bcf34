/** Atomic file writes for the report outputs (HTML, JUnit, Markdown). */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ExitCode, VolleyError } from '../errors/index.js';

/**
 * Writes `text` to `file` atomically: to a temporary file in the same directory, then renamed
 * over `file`, so a reader never sees half a report. Missing directories are created. Failures
 * become a VolleyError (E_REPORT_WRITE, exit code 1) naming the file; `what` names the output
 * ('the JUnit report'), `flag` the option that chose the path.
 */
export async function writeFileAtomic(file: string, text: string | Uint8Array, what: string, flag: string): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, text, typeof text === 'string' ? { encoding: 'utf8', mode: 0o644 } : { mode: 0o644 });
    await rename(tmp, file);
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const reason = (cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? String(cause);
    throw new VolleyError('E_REPORT_WRITE', `cannot write ${what} to ${JSON.stringify(file)} (${reason})`, {
      hint: `check that the directory is writable, or pass another path to ${flag}`,
      exitCode: ExitCode.GenericError,
      cause,
    });
  }
}
