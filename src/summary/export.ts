/**
 * `--summary-export FILE`: the end-of-test SummaryData as pretty JSON, in the shape of k6's
 * handleSummary `data` object (metrics, root_group, options, state) plus Volley's `volley` block.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ExitCode, VolleyError } from '../errors/index.js';
import type { SummaryData } from './types.js';

/**
 * Writes `data` to `file` as pretty JSON (2-space indent, trailing newline), atomically: it goes to
 * a temporary file in the same directory, which is then renamed over `file`, so a reader never sees
 * half a summary and an old summary is only replaced by a complete one. Missing parent directories
 * are created. I/O failures become a VolleyError (E_SUMMARY_EXPORT, exit code 1) naming the file.
 */
export async function writeSummaryExport(file: string, data: SummaryData): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const json = JSON.stringify(data, jsonReplacer, 2) + '\n';
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, json, { encoding: 'utf8', mode: 0o644 });
    await rename(tmp, file);
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const reason = (cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? String(cause);
    throw new VolleyError('E_SUMMARY_EXPORT', `cannot write the summary export to ${JSON.stringify(file)} (${reason})`, {
      hint: 'check that the directory is writable, or pass another path to --summary-export',
      exitCode: ExitCode.GenericError,
      cause,
    });
  }
}

/** JSON has no NaN/Infinity: write them as null rather than failing or writing invalid JSON. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
