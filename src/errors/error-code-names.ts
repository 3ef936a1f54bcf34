/**
 * Names of the HTTP error codes (`res.error_code`, the `error_code` tag): k6's, as its error-codes
 * documentation describes them, and Volley's own for failures k6 lumps into 1000 (k6 has no code
 * for a malformed response or a connection closed mid-response). The codes themselves are set in
 * protocols/http/error-codes.ts; this table is here so that readers (summary, report, dashboard)
 * can name a code without importing a protocol.
 */
const NAMES: Readonly<Record<number, string>> = {
  1000: 'generic error',
  1010: 'non-TCP network error',
  1020: 'invalid URL',
  1050: 'request timeout',
  1060: 'malformed response (not HTTP)',
  1061: 'malformed status line',
  1062: 'response head too large',
  1063: 'malformed response headers or framing',
  1064: 'connection closed before the response',
  1065: 'connection closed mid-response',
  1100: 'DNS error',
  1101: 'no IP found for host',
  1110: 'blacklisted IP',
  1111: 'blacklisted hostname',
  1200: 'TCP error',
  1201: 'broken pipe on write',
  1202: 'unknown error on write',
  1210: 'TCP dial error',
  1211: 'dial timeout',
  1212: 'connection refused',
  1213: 'unknown dial error',
  1220: 'connection reset by peer',
  1300: 'TLS error',
  1310: 'unknown certificate authority',
  1311: "certificate doesn't match hostname",
  1600: 'HTTP/2 error',
  1610: 'HTTP/2 GoAway',
  1630: 'HTTP/2 stream error',
  1650: 'HTTP/2 connection error',
  1701: 'response decompression failed',
  1710: 'GraphQL errors in the response',
  1711: 'not a GraphQL response',
};

/** Volley's own codes (not k6's): listed apart in the docs. */
export const VOLLEY_ERROR_CODES: readonly number[] = [1060, 1061, 1062, 1063, 1064, 1065, 1710, 1711];

/** 'request timeout' for 1050, 'HTTP 503' for 1503, '' for an unknown code. */
export function errorCodeName(code: number): string {
  const n = NAMES[code];
  if (n !== undefined) return n;
  if (code >= 1400 && code < 1600) return `HTTP ${code - 1000}`;
  if (code > 1610 && code < 1630) return 'HTTP/2 GoAway';
  return '';
}
