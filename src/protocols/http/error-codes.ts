/**
 * k6's HTTP error codes (`res.error_code`, the `error_code` tag), and the mapping from Node/undici
 * errors to them. Codes and messages follow k6's `lib/netext/httpext/error_codes.go` so that
 * dashboards and checks written for k6 keep working:
 *
 *   1000-1099 general · 1100-1199 DNS · 1200-1299 TCP · 1300-1399 TLS ·
 *   1400-1499 HTTP 4xx (1000 + status) · 1500-1599 HTTP 5xx (1000 + status) · 1700+ content
 */
export const ErrorCode = {
  /** Anything not listed below. */
  Generic: 1000,
  /** A non-TCP network error (k6 keeps it as a placeholder). */
  NetNonTcp: 1010,
  /** The URL could not be parsed (or has an unsupported scheme). */
  InvalidUrl: 1020,
  /** The request did not finish within `params.timeout`. */
  RequestTimeout: 1050,
  /** Volley: the request was cut by the end of the test (gracefulStop, Ctrl-C, abort) before its response. */
  RequestInterrupted: 1070,
  /** Volley's own (k6 reports these as 1000): the bytes received are not an HTTP response. */
  ResponseNotHttp: 1060,
  /** Volley's own: the status line is malformed (bad code, missing parts). */
  ResponseBadStatusLine: 1061,
  /** Volley's own: the response head is larger than `maxResponseHeadSize`. */
  ResponseHeadTooLarge: 1062,
  /** Volley's own: malformed header line, Content-Length or chunked framing. */
  ResponseBadFraming: 1063,
  /** Volley's own: the server closed the connection before any byte of the response (k6: 'EOF'). */
  ClosedBeforeResponse: 1064,
  /** Volley's own: the server closed the connection in the middle of the response (k6: 'unexpected EOF'). */
  ClosedMidResponse: 1065,
  /** Volley's own: a streamed body (http.stream, volley/sse) ended by the connection closing before its end. */
  StreamCut: 1066,
  /** Volley's own (volley/sse): the event stream is malformed (a line too long, bytes not UTF-8). */
  SseMalformed: 1067,
  /** Volley's own (volley/sse): a 200 whose Content-Type is not text/event-stream. */
  SseNotEventStream: 1068,
  Dns: 1100,
  DnsNoSuchHost: 1101,
  Tcp: 1200,
  TcpBrokenPipe: 1201,
  TcpUnknownErrno: 1202,
  TcpDial: 1210,
  TcpDialTimeout: 1211,
  TcpDialRefused: 1212,
  TcpDialUnknownErrno: 1213,
  TcpResetByPeer: 1220,
  Tls: 1300,
  X509UnknownAuthority: 1310,
  X509Hostname: 1311,
  ResponseDecompression: 1701,
  /** Volley's own: a GraphQL response (2xx) whose body has a non-empty `errors` array (http.graphql). */
  GraphQLErrors: 1710,
  /** Volley's own: a GraphQL response (2xx) whose body is not a JSON object with `data` or `errors`. */
  GraphQLBadResponse: 1711,
} as const;

/** A classified request failure: k6 code and k6-style short message. */
export interface ClassifiedError {
  code: number;
  message: string;
}

const TLS_UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/** Our own timeout: carries its code so that the classification is exact. */
export class RequestTimeoutError extends Error {
  readonly code = 'VOLLEY_REQUEST_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`request timeout after ${timeoutMs}ms`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * Maps an error thrown by undici / node:net / node:tls to k6's code and message. Walks `cause`
 * chains (undici wraps socket errors), first match wins.
 */
export function classifyError(err: unknown): ClassifiedError {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const c = classifyOne(e as NodeError);
    if (c) return c;
    e = (e as NodeError).cause;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { code: ErrorCode.Generic, message: msg };
}

interface NodeError {
  code?: string;
  name?: string;
  /** Set on close errors by the transports: response bytes had arrived. */
  midResponse?: boolean;
  syscall?: string;
  message?: string;
  cause?: unknown;
}

function classifyOne(e: NodeError): ClassifiedError | undefined {
  const code = e.code;
  const op = e.syscall === 'write' ? 'write' : 'read';
  switch (code) {
    case 'VOLLEY_REQUEST_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: ErrorCode.RequestTimeout, message: 'request timeout' };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { code: ErrorCode.TcpDialTimeout, message: 'dial: i/o timeout' };
    case 'ECONNREFUSED':
      return { code: ErrorCode.TcpDialRefused, message: 'dial: connection refused' };
    case 'ECONNRESET':
      return { code: ErrorCode.TcpResetByPeer, message: `${op}: connection reset by peer` };
    case 'EPIPE':
      return { code: ErrorCode.TcpBrokenPipe, message: `${op === 'read' ? 'write' : op}: broken pipe` };
    case 'ENOTFOUND':
      return { code: ErrorCode.DnsNoSuchHost, message: 'lookup: no such host' };
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return { code: ErrorCode.Dns, message: `lookup: ${e.message ?? code}` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EADDRINUSE':
      return { code: ErrorCode.TcpDialUnknownErrno, message: `dial: ${e.message ?? code}` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: ErrorCode.X509Hostname, message: "x509: certificate doesn't match hostname" };
    case 'ERR_INVALID_URL':
      return { code: ErrorCode.InvalidUrl, message: e.message ?? 'invalid URL' };
    case 'UND_ERR_SOCKET':
      // "other side closed" and friends: undici wraps the real socket error (if any) in `cause`,
      // which the caller walks next; with no cause the server closed the connection (k6: EOF).
      if (e.cause) return undefined;
      return e.midResponse === true
        ? { code: ErrorCode.ClosedMidResponse, message: 'unexpected EOF' }
        : { code: ErrorCode.ClosedBeforeResponse, message: 'EOF' };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { code: ErrorCode.ClosedMidResponse, message: 'unexpected EOF' };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return { code: ErrorCode.ResponseHeadTooLarge, message: 'head larger than maxResponseHeadSize' };
  }
  if (e.name === 'HTTPParserError' || code?.startsWith('HPE_') === true) return classifyParseError(code ?? '', e.message ?? '');
  if (code !== undefined) {
    if (TLS_UNKNOWN_AUTHORITY.has(code)) return { code: ErrorCode.X509UnknownAuthority, message: 'x509: unknown authority' };
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return { code: ErrorCode.Tls, message: e.message ?? code };
  }
  return undefined;
}

/**
 * A malformed response, from the fast parser (code HPE_*, fixed reasons) or undici's llhttp
 * (HTTPParserError, no code, llhttp's reason in the message): the same codes from both.
 */
function classifyParseError(code: string, message: string): ClassifiedError {
  if (code === 'HPE_INVALID_CONSTANT' || code === 'HPE_INVALID_VERSION' || /Expected HTTP\//.test(message)) {
    return { code: ErrorCode.ResponseNotHttp, message: NOT_HTTP_MESSAGE };
  }
  // undici: 'Response does not match the HTTP/1.1 protocol (Invalid status code)'; ours: the reason.
  const reason = code.startsWith('HPE_') ? message : (/\(([^)]*)\)\s*$/.exec(message)?.[1] ?? message);
  if (code === 'HPE_INVALID_STATUS' || /status/i.test(reason)) return { code: ErrorCode.ResponseBadStatusLine, message: reason || 'invalid status line' };
  if (code === 'HPE_HEADER_OVERFLOW' || /overflow/i.test(reason)) return { code: ErrorCode.ResponseHeadTooLarge, message: reason || 'head too large' };
  return { code: ErrorCode.ResponseBadFraming, message: reason || code };
}

/** The text of k6-code 1060 (both transports). */
export const NOT_HTTP_MESSAGE = 'no "HTTP/1.x" status line';

/** k6's error code for an HTTP status: 1000 + status for 4xx/5xx, else 0 (no error). */
export function statusErrorCode(status: number): number {
  return status >= 400 && status < 600 ? 1000 + status : 0;
}
