import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { VolleyError, ExitCode } from '../../errors/index.js';

/** A file part for multipart bodies, made by `http.file()` (k6's FileData). */
export class FileData {
  constructor(
    /** The file content. */
    readonly data: Uint8Array,
    /** Default: 'file' plus a timestamp, as k6 does. */
    readonly filename: string,
    /** Default 'application/octet-stream'. */
    readonly content_type: string,
  ) {}
}

/**
 * k6 `http.file(data, filename?, contentType?)`: wraps data for a multipart upload. Strings are
 * sent as UTF-8; ArrayBuffers and typed arrays as they are.
 */
export function file(data: string | ArrayBuffer | ArrayBufferView, filename?: string, contentType?: string): FileData {
  return new FileData(toBytes(data, 'http.file'), filename ?? `file${Date.now()}`, contentType ?? 'application/octet-stream');
}

/** What a request body may be (k6 semantics, see `encodeBody`). */
export type RequestBody = string | ArrayBuffer | ArrayBufferView | Record<string, unknown> | null | undefined;

/** An encoded body and the Content-Type to send when the user set none. */
export interface EncodedBody {
  bytes: Uint8Array | null;
  /** Default content type for this body kind; undefined = set none. */
  contentType: string | undefined;
}

const NO_BODY: EncodedBody = { bytes: null, contentType: undefined };

/**
 * Encodes a request body as k6 does:
 * - null/undefined: no body;
 * - string: UTF-8, no Content-Type added (send JSON with JSON.stringify and a content-type header);
 * - ArrayBuffer / typed array / Buffer: the bytes as they are;
 * - plain object: application/x-www-form-urlencoded with keys sorted (Go's url.Values), or
 *   multipart/form-data when a value is an `http.file()`.
 *
 * Deliberate extension: a plain object with a user Content-Type of JSON (application/json or
 * *+json) is sent as JSON.stringify(object); k6 would form-encode it, which is never what the
 * header promises.
 */
export function encodeBody(body: RequestBody, userContentType: string | undefined): EncodedBody {
  if (body === null || body === undefined) return NO_BODY;
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), contentType: undefined };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return { bytes: toBytes(body, 'body'), contentType: undefined };
  if (typeof body === 'object') {
    if (userContentType !== undefined && isJsonType(userContentType)) {
      return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), contentType: undefined };
    }
    const obj = body as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    for (const k of keys) if (obj[k] instanceof FileData) return multipart(obj, keys);
    return { bytes: Buffer.from(formEncode(obj, keys), 'utf8'), contentType: 'application/x-www-form-urlencoded' };
  }
  throw new VolleyError('E_HTTP_BODY', `request body must be a string, an object, an ArrayBuffer or a typed array, not ${typeof body}`, {
    hint: 'use JSON.stringify(value) for JSON bodies',
    exitCode: ExitCode.ScriptException,
  });
}

function isJsonType(ct: string): boolean {
  const base = ct.split(';', 1)[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json');
}

/** Go's url.QueryEscape: everything but [A-Za-z0-9-_.~] is %XX-escaped, spaces become '+'. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function formValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** application/x-www-form-urlencoded, keys in the given order; array values repeat the key. */
export function formEncode(obj: Record<string, unknown>, keys: readonly string[] = Object.keys(obj).sort()): string {
  let out = '';
  for (const k of keys) {
    const v = obj[k];
    const ek = queryEscape(k);
    if (Array.isArray(v)) {
      for (const item of v) out += `${out ? '&' : ''}${ek}=${queryEscape(formValue(item))}`;
    } else {
      out += `${out ? '&' : ''}${ek}=${queryEscape(formValue(v))}`;
    }
  }
  return out;
}

function multipart(obj: Record<string, unknown>, keys: readonly string[]): EncodedBody {
  const boundary = randomBytes(30).toString('hex');
  const parts: Buffer[] = [];
  for (const k of keys) {
    const v = obj[k];
    const name = escapeQuotes(k);
    if (v instanceof FileData) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${escapeQuotes(v.filename)}"\r\nContent-Type: ${v.content_type}\r\n\r\n`,
          'utf8',
        ),
        Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength),
        CRLF,
      );
    } else {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${formValue(v)}\r\n`, 'utf8'));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { bytes: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const CRLF = Buffer.from('\r\n');

function escapeQuotes(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Bytes of a string (UTF-8), ArrayBuffer or view, without copying views. */
export function toBytes(data: string | ArrayBuffer | ArrayBufferView, what: string): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new VolleyError('E_HTTP_BODY', `${what} must be a string, an ArrayBuffer or a typed array`, { exitCode: ExitCode.ScriptException });
}

const COMPRESSORS: Record<string, (b: Uint8Array) => Buffer> = {
  gzip: (b) => gzipSync(b),
  deflate: (b) => deflateSync(b),
  br: (b) => brotliCompressSync(b),
};

/**
 * k6 `params.compression`: compresses the body with each algorithm in order ('gzip',
 * 'deflate', 'br', comma-separated) and returns the Content-Encoding value.
 */
export function compressBody(bytes: Uint8Array, compression: string): { bytes: Uint8Array; contentEncoding: string } {
  const algos = compression.split(',').map((s) => s.trim()).filter(Boolean);
  let out: Uint8Array = bytes;
  for (const a of algos) {
    const fn = COMPRESSORS[a];
    if (!fn) {
      throw new VolleyError('E_HTTP_PARAMS', `params.compression: unknown algorithm "${a}"`, {
        hint: "use 'gzip', 'deflate' or 'br' (comma-separated to chain)",
        exitCode: ExitCode.ScriptException,
      });
    }
    out = fn(out);
  }
  return { bytes: out, contentEncoding: algos.join(', ') };
}
