/**
 * Header helpers. Response headers keep Go's canonical key form ('Content-Type', 'X-Request-Id'),
 * as k6 does, so that k6 scripts reading `res.headers['Content-Type']` work unchanged.
 */

const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_MAX = 1000;

/** Go's `textproto.CanonicalMIMEHeaderKey`: 'content-type' → 'Content-Type'. Cached. */
export function canonicalHeaderKey(name: string): string {
  const hit = canonicalCache.get(name);
  if (hit !== undefined) return hit;
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === ' ') return name; // not a token: Go leaves it alone
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  if (canonicalCache.size >= CANONICAL_CACHE_MAX) canonicalCache.clear();
  canonicalCache.set(name, out);
  return out;
}

/**
 * Raw [name, value, ...] header Buffers → { 'Canonical-Name': 'v1, v2' } (k6 `res.headers`).
 * Each key is also readable in lower case ('content-type') through a non-enumerable alias, so
 * scripts written either way work while Object.keys / JSON show k6's canonical form only.
 */
export function headersObject(raw: readonly Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = canonicalHeaderKey(raw[i]!.toString('latin1'));
    const v = raw[i + 1]!.toString('utf8');
    const prev = out[k];
    out[k] = prev === undefined ? v : `${prev}, ${v}`;
  }
  for (const k of Object.keys(out)) {
    const lower = k.toLowerCase();
    if (lower !== k) Object.defineProperty(out, lower, { value: out[k], enumerable: false });
  }
  return out;
}

/** Every value of header `lowerName` (ASCII lower case) in a raw list. */
export function rawHeaderValues(raw: readonly Buffer[], lowerName: string): string[] {
  const out: string[] = [];
  const n = lowerName.length;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const b = raw[i]!;
    if (b.length === n && b.toString('latin1').toLowerCase() === lowerName) out.push(raw[i + 1]!.toString('utf8'));
  }
  return out;
}

/** The first value of header `lowerName`, or undefined. */
export function rawHeaderValue(raw: readonly Buffer[], lowerName: string): string | undefined {
  const n = lowerName.length;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const b = raw[i]!;
    if (b.length === n && b.toString('latin1').toLowerCase() === lowerName) return raw[i + 1]!.toString('utf8');
  }
  return undefined;
}

/** Total header bytes as they were on the wire (name: value CRLF), for approximate accounting. */
export function rawHeadersByteLength(raw: readonly Buffer[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) n += raw[i]!.length;
  return n + (raw.length >> 1) * 4;
}
