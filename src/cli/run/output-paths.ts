import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode, VolleyError } from '../../errors/index.js';

/** A file the run will write, and the flag that named it. */
export interface OutputPath {
  flag: string;
  path: string;
}

/** File outputs of `--out` (`json=FILE`, `csv=FILE`); network outputs are checked when they start. */
const FILE_OUTPUTS = new Set(['json', 'csv']);

/** The files a run will write: exports, reports and `--out` files. */
export function outputPathsOf(flags: { summaryExport?: string | undefined; report?: string | undefined; junit?: string | undefined; markdown?: string | undefined; out?: string[] | undefined }): OutputPath[] {
  const out: OutputPath[] = [];
  if (flags.summaryExport) out.push({ flag: '--summary-export', path: flags.summaryExport });
  if (flags.report) out.push({ flag: '--report', path: flags.report });
  if (flags.junit) out.push({ flag: '--junit', path: flags.junit });
  if (flags.markdown) out.push({ flag: '--markdown', path: flags.markdown });
  for (const spec of flags.out ?? []) {
    const eq = spec.indexOf('=');
    if (eq > 0 && FILE_OUTPUTS.has(spec.slice(0, eq)) && spec.length > eq + 1) out.push({ flag: `--out ${spec.slice(0, eq)}`, path: spec.slice(eq + 1) });
  }
  return out;
}

/** Why `path` cannot be written, or undefined when it can (its directory may still have to be made). */
export function whyNotWritable(path: string): string | undefined {
  const abs = resolve(path);
  const st = statOrUndefined(abs);
  if (st !== undefined) {
    if (st.isDirectory()) return 'it is a directory';
    return canWrite(abs) ? undefined : 'the file is not writable';
  }
  // The nearest existing ancestor must be a writable directory (the writers make the missing ones).
  let dir = dirname(abs);
  for (;;) {
    const d = statOrUndefined(dir);
    if (d !== undefined) {
      if (!d.isDirectory()) return `${dir} is not a directory`;
      return canWrite(dir) ? undefined : `the directory ${dir} is not writable`;
    }
    const up = dirname(dir);
    if (up === dir) return 'no existing directory above it';
    dir = up;
  }
}

/**
 * Checks every output path before the test starts, so that a run is never lost to a path that
 * cannot be written: throws one VolleyError (exit 104) naming each bad path and why.
 */
export function checkOutputPaths(paths: readonly OutputPath[]): void {
  const problems: string[] = [];
  for (const p of paths) {
    const why = whyNotWritable(p.path);
    if (why !== undefined) problems.push(`${p.flag} ${p.path}: ${why}`);
  }
  if (problems.length === 0) return;
  throw new VolleyError('E_OUTPUT_PATH', `cannot write ${problems.length === 1 ? problems[0] : `these outputs:\n  ${problems.join('\n  ')}`}`, {
    hint: 'fix the path or its directory (nothing was run)',
    exitCode: ExitCode.InvalidConfig,
  });
}

function statOrUndefined(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file; the walk up finds it and says so.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function canWrite(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
