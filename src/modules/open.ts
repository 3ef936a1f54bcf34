import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { VolleyError, ExitCode } from '../errors/index.js';

/** k6 `open(path)` returns a string; `open(path, 'b')` an ArrayBuffer. */
export type OpenFn = {
  (path: string): string;
  (path: string, mode: 'b'): ArrayBuffer;
  (path: string, mode?: string): string | ArrayBuffer;
};

/**
 * Makes k6's `open()` for a script: reads a whole file, synchronously, relative to `scriptDir`
 * (absolute paths as they are). Text is decoded as UTF-8; mode 'b' gives an ArrayBuffer.
 *
 * Use it in the init context (top level of the script) as in k6: it blocks the thread while it
 * reads. Errors are VolleyErrors naming the resolved path.
 */
export function makeOpen(scriptDir: string): OpenFn {
  const fn = (path: string, mode?: string): string | ArrayBuffer => {
    if (typeof path !== 'string' || path === '') {
      throw new VolleyError('E_OPEN_PATH', `open(path): path must be a non-empty string, got ${JSON.stringify(path)}`, { exitCode: ExitCode.ScriptException });
    }
    if (mode !== undefined && mode !== 'b' && mode !== 'r' && mode !== '') {
      throw new VolleyError('E_OPEN_MODE', `open(path, mode): unknown mode ${JSON.stringify(mode)}`, {
        hint: "use 'b' for binary (ArrayBuffer), or omit it for text",
        exitCode: ExitCode.ScriptException,
      });
    }
    const full = isAbsolute(path) ? path : resolve(scriptDir, path);
    let buf: Buffer;
    try {
      buf = readFileSync(full);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
      throw new VolleyError('E_OPEN_FILE', `open("${path}"): cannot read ${full}: ${why}`, {
        hint: 'paths are relative to the script file',
        exitCode: ExitCode.ScriptException,
        cause: err,
      });
    }
    if (mode === 'b') return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    return buf.toString('utf8');
  };
  return fn as OpenFn;
}

/** `open()` for code that has no script directory: relative to the current working directory. */
export const open: OpenFn = ((path: string, mode?: string) => makeOpen(process.cwd())(path, mode)) as OpenFn;
