/**
 * Request serialisation for the fast transport, byte-compatible with what undici writes (so that
 * `data_sent` and what the server sees do not depend on the transport):
 *
 *   METHOD SP path SP HTTP/1.1 CRLF
 *   host: <host> CRLF
 *   connection: keep-alive | close CRLF
 *   <name>: <value> CRLF            (the caller's headers, in order)
 *   [content-length: <n> CRLF]      (a body, or an empty body on a method that expects one)
 *   CRLF
 *
 * Requests without a body whose header list is *frozen* (the client freezes the header lists it
 * builds once and reuses, e.g. the default `user-agent` list of a plain `http.get(url)`) are
 * serialised once and cached: a repeated `http.get(url)` writes a ready Buffer. A frozen array can
 * not change, so identity is a complete cache key for the headers part; method, path, host and
 * keep-alive are compared on each hit.
 *
 * Measured (bench/micro/request-bytes.mjs, this machine): a cache hit costs ≈ 0.015 µs; building
 * the request string is ≈ 0.035 µs but it is a rope that the write must then flatten and encode
 * (≈ 0.19 µs as Buffer.from(string, 'latin1')), per request.
 */

/** Methods that carry `content-length: 0` without a body (undici's "expectsPayload"). */
function expectsPayload(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'QUERY' || method === 'PROPFIND' || method === 'PROPPATCH';
}

interface Entry {
  method: string;
  path: string;
  host: string;
  keepAlive: boolean;
  bytes: Buffer;
}

const cache = new WeakMap<readonly string[], Entry>();

/** The request head as a latin1 string (body, if any, sent separately). */
export function requestHead(method: string, path: string, host: string, keepAlive: boolean, headers: readonly string[], bodyLength: number): string {
  let h = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n${keepAlive ? 'connection: keep-alive\r\n' : 'connection: close\r\n'}`;
  for (let i = 0; i + 1 < headers.length; i += 2) h += `${headers[i]}: ${headers[i + 1]}\r\n`;
  // As undici: a length for any body, and `content-length: 0` only on methods that expect a body.
  if (bodyLength > 0 || expectsPayload(method)) h += `content-length: ${bodyLength}\r\n`;
  return `${h}\r\n`;
}

/**
 * The bytes of a body-less request, from the cache when `headers` is frozen. Returns a Buffer
 * (cached, never mutated) or a string to write as latin1 (not cacheable).
 */
export function bodilessRequest(method: string, path: string, host: string, keepAlive: boolean, headers: readonly string[]): Buffer | string {
  if (!Object.isFrozen(headers)) return requestHead(method, path, host, keepAlive, headers, 0);
  const e = cache.get(headers);
  if (e !== undefined && e.method === method && e.path === path && e.host === host && e.keepAlive === keepAlive) return e.bytes;
  const bytes = Buffer.from(requestHead(method, path, host, keepAlive, headers, 0), 'latin1');
  cache.set(headers, { method, path, host, keepAlive, bytes });
  return bytes;
}

/**
 * Whether the fast transport can send these headers exactly as undici would. undici gives
 * `host`, `content-length`, `connection`, `transfer-encoding`, `keep-alive`, `upgrade` and
 * `expect` special meaning (or rejects them); requests carrying any of them go to undici, so
 * their behaviour stays undici's. Frozen lists are checked once.
 */
export function plainHeaders(headers: readonly string[]): boolean {
  if (Object.isFrozen(headers)) {
    let ok = checked.get(headers);
    if (ok === undefined) checked.set(headers, (ok = scan(headers)));
    return ok;
  }
  return scan(headers);
}

const checked = new WeakMap<readonly string[], boolean>();

function scan(headers: readonly string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    const n = headers[i]!;
    switch (n.length) {
      case 4:
      case 6:
      case 7:
      case 10:
      case 14:
      case 17: {
        const l = n.toLowerCase();
        if (l === 'host' || l === 'expect' || l === 'upgrade' || l === 'connection' || l === 'keep-alive' || l === 'content-length' || l === 'transfer-encoding') return false;
      }
    }
    const v = headers[i + 1];
    // Header values undici would reject (CR/LF injection) are left to it as well.
    if (typeof v !== 'string' || v.includes('\r') || v.includes('\n')) return false;
  }
  return true;
}
