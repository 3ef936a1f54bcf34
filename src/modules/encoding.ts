/**
 * `volley/encoding`: k6/encoding's base64 helpers, on Node's Buffer.
 *
 * Encodings (k6 names): 'std' (RFC 4648 with padding, the default), 'rawstd' (no padding),
 * 'url' (URL-safe alphabet, padded), 'rawurl' (URL-safe, no padding).
 */
import { VolleyError, ExitCode } from '../errors/index.js';

/** k6's base64 variants. */
export type Base64Encoding = 'std' | 'rawstd' | 'url' | 'rawurl';

function checkEncoding(e: unknown, fn: string): Base64Encoding {
  if (e === undefined || e === '') return 'std';
  if (e === 'std' || e === 'rawstd' || e === 'url' || e === 'rawurl') return e;
  throw new VolleyError('E_ENCODING', `${fn}: unknown encoding ${JSON.stringify(e)}`, {
    hint: "use 'std', 'rawstd', 'url' or 'rawurl'",
    exitCode: ExitCode.ScriptException,
  });
}

function bytesOf(input: unknown, fn: string): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  throw new VolleyError('E_ENCODING', `${fn}: input must be a string, an ArrayBuffer or a typed array`, { exitCode: ExitCode.ScriptException });
}

/** Base64 of a string (UTF-8) or bytes. Default encoding 'std'. */
export function b64encode(input: string | ArrayBuffer | ArrayBufferView, encoding?: Base64Encoding): string {
  const e = checkEncoding(encoding, 'b64encode');
  const b = bytesOf(input, 'b64encode');
  switch (e) {
    case 'std':
      return b.toString('base64');
    case 'rawstd':
      return b.toString('base64').replace(/=+$/, '');
    case 'url': {
      const s = b.toString('base64url');
      return s + '='.repeat((4 - (s.length % 4)) % 4);
    }
    case 'rawurl':
      return b.toString('base64url');
  }
}

/**
 * Decodes base64. Returns an ArrayBuffer (k6 default), or a UTF-8 string with format 's'.
 * Default encoding 'std'. Padding is optional for every variant.
 */
export function b64decode(input: string, encoding?: Base64Encoding): ArrayBuffer;
export function b64decode(input: string, encoding: Base64Encoding | undefined, format: 's'): string;
export function b64decode(input: string, encoding?: Base64Encoding, format?: string): ArrayBuffer | string {
  const e = checkEncoding(encoding, 'b64decode');
  if (typeof input !== 'string') {
    throw new VolleyError('E_ENCODING', 'b64decode: input must be a string', { exitCode: ExitCode.ScriptException });
  }
  const urlSafe = e === 'url' || e === 'rawurl';
  const alphabet = urlSafe ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!alphabet.test(input)) {
    throw new VolleyError('E_ENCODING', `b64decode: input is not valid base64 (${e})`, {
      hint: urlSafe ? "URL-safe base64 uses '-' and '_'" : "for URL-safe input pass 'url' or 'rawurl'",
      exitCode: ExitCode.ScriptException,
    });
  }
  const b = Buffer.from(input, urlSafe ? 'base64url' : 'base64');
  if (format === 's') return b.toString('utf8');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export default { b64encode, b64decode };
