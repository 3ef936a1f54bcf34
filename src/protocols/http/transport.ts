import type { Timings } from './timings.js';

/**
 * The seam between the k6-level client (cookies, redirects, metrics, Response) and the wire.
 * One Transport per VU. The undici implementation lives in `undici-transport.ts`; a specialised
 * fast path can implement this interface later without touching the client.
 *
 * A transport performs exactly one HTTP exchange per `roundTrip` (no redirects, no cookies) and
 * never rejects for network errors: they come back in `WireResult.error`.
 */
export interface Transport {
  roundTrip(req: WireRequest): Promise<WireResult>;
  /** Drops every idle connection (k6 noVUConnectionReuse, between iterations). */
  closeIdle(): void;
  /** Drops every connection, failing in-flight requests; the transport stays usable. */
  destroyAll(reason: Error): void;
  /** Releases everything for good (VU retirement). */
  close(): Promise<void>;
}

/** TLS settings that select a connection pool; undefined = the transport's defaults. */
export interface TlsSettings {
  /** PEM CA certificate(s) trusted in addition to... instead of the system roots (Node `ca`). */
  ca?: string | string[] | undefined;
  /** Skip certificate verification. */
  insecureSkipVerify?: boolean | undefined;
}

export interface WireRequest {
  /** `http:` or `https:`. */
  protocol: string;
  /** `scheme://host:port`, the connection pool key. */
  origin: string;
  /** Path and query, starting with '/'. */
  path: string;
  method: string;
  /** Flat [name, value, name, value, ...] header list. Not retained after `roundTrip` returns. */
  headers: string[];
  body: Uint8Array | null;
  /** Whole-exchange timeout; 0 or Infinity = none. */
  timeoutMs: number;
  /** Close the connection after this exchange (k6 noConnectionReuse). */
  reset: boolean;
  /** Keep the response body bytes (false: count and drop them). */
  keepBody: boolean;
  tls: TlsSettings | undefined;
}

export interface WireResult {
  /** 0 when the exchange failed before a status line arrived. */
  status: number;
  /** Reason phrase from the status line ('OK'). */
  statusText: string;
  /** Raw response headers as received: [name, value, ...] Buffers; empty on error. */
  rawHeaders: Buffer[];
  /** Body chunks in order (empty when keepBody was false). */
  body: Buffer[];
  bodyLength: number;
  timings: Timings;
  /** Bytes written for this exchange (request line, headers, body), as the socket counts them. */
  bytesSent: number;
  /** Bytes read for this exchange (status line, headers, body). */
  bytesReceived: number;
  /** 'HTTP/1.1' (HTTP/2 is not negotiated yet). */
  proto: string;
  remoteIp: string;
  remotePort: number;
  /** 'tls1.3' style (k6), '' for plain HTTP. */
  tlsVersion: string;
  /** The failure, if any (network error, timeout, abort). */
  error: unknown;
}
