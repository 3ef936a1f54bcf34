import type { Timings } from '../timings.js';
import type { WireRequest, WireResult } from '../transport.js';
import { splitRawHeaders } from './parser.js';

/** Where an exchange's outcome goes: one method, no closure per request. */
export interface WireSink {
  onWire(r: WireResult): void;
}

const EMPTY_BUFFERS: Buffer[] = [];

/**
 * One exchange on the fast transport: its in-flight state and, once done, its WireResult. One
 * object per request (plus its Timings and one copy of the response bytes).
 *
 * Raw headers and body chunks are views made on first access (`rawHeaders`, `body` getters) from
 * `bytes`, a single copy of the response head (and of the body, when it arrived in the same read
 * as the head: the common case for small responses). A script that never reads headers or body
 * pays one allocation and one memcpy for the whole response.
 */
export class FastExchange implements WireResult {
  status = 0;
  statusText = '';
  bodyLength = 0;
  timings: Timings = undefined as unknown as Timings;
  bytesSent = 0;
  bytesReceived = 0;
  proto = 'HTTP/1.1';
  remoteIp = '';
  remotePort = 0;
  tlsVersion = '';
  error: unknown = undefined;
  /** HeaderFlag bits of the response head (see parser.ts): lets the client skip header scans. */
  headerFlags = 0;

  /** Copy of the head [0, headLen) and, when `bodyInBytes`, of the body right after it. */
  bytes: Buffer | null = null;
  headLen = 0;
  bodyInBytes = false;
  /** Body chunks that arrived apart from the head (copied). */
  chunks: Buffer[] | null = null;
  #rawHeaders: Buffer[] | null = null;
  #body: Buffer[] | null = null;

  // --- in flight ---
  req: WireRequest;
  sink: WireSink;
  keepBody: boolean;
  /** performance.now() moments, ms; 0 = not reached. */
  tStart = 0;
  tGotConn = 0;
  tWrote = 0;
  tFirstByte = 0;
  connecting = 0;
  reused = false;
  retried = false;
  /** performance.now() deadline of the whole exchange; 0 = none. */
  deadline = 0;
  timer: NodeJS.Timeout | null = null;
  done = false;
  /** The connection carrying it (set when started). */
  conn: { fail(err: Error): void } | null = null;

  constructor(req: WireRequest, sink: WireSink) {
    this.req = req;
    this.sink = sink;
    this.keepBody = req.keepBody;
  }

  /** Raw [name, value, ...] header Buffers (views into the head copy), built on first access. */
  get rawHeaders(): Buffer[] {
    if (this.#rawHeaders === null) this.#rawHeaders = this.bytes === null ? EMPTY_BUFFERS : splitRawHeaders(this.bytes, 0, this.headLen);
    return this.#rawHeaders;
  }

  /** Body chunks in order (empty when keepBody was false), built on first access. */
  get body(): Buffer[] {
    if (this.#body === null) {
      if (!this.keepBody || this.error !== undefined) this.#body = EMPTY_BUFFERS;
      else if (this.bodyInBytes) this.#body = this.bodyLength === 0 ? EMPTY_BUFFERS : [this.bytes!.subarray(this.headLen, this.headLen + this.bodyLength)];
      else this.#body = this.chunks ?? EMPTY_BUFFERS;
    }
    return this.#body;
  }

  /** Forgets what a failed attempt received (before a retry on a new connection). */
  resetForRetry(): void {
    this.status = 0;
    this.statusText = '';
    this.bodyLength = 0;
    this.headerFlags = 0;
    this.bytes = null;
    this.headLen = 0;
    this.bodyInBytes = false;
    this.chunks = null;
    this.tGotConn = 0;
    this.tWrote = 0;
    this.tFirstByte = 0;
    this.connecting = 0;
    this.reused = false;
    this.bytesSent = 0;
    this.bytesReceived = 0;
  }
}
