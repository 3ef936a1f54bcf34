/**
 * A lean, incremental HTTP/1.1 *response* parser for the fast transport. It is a base class: the
 * connection extends it and overrides the three hooks, so parsing a response costs no closures,
 * no event emitters and no per-message objects (one object per connection holds all the state).
 *
 * Input arrives as (buffer, start, end) ranges of the thread's shared read buffer (see
 * connection.ts); nothing here keeps a reference to it past `execute()`, and the hooks must copy
 * what they keep.
 *
 * States (transition table):
 *
 *   HEAD ──complete head──▶ (1xx: HEAD again) | BODY_LENGTH | CHUNK_SIZE | BODY_EOF | DONE (no body)
 *   BODY_LENGTH ──remaining = 0──▶ DONE
 *   CHUNK_SIZE ─size line─▶ CHUNK_DATA ─size bytes─▶ CHUNK_DATA_END ─CRLF─▶ CHUNK_SIZE
 *   CHUNK_SIZE ─size 0─▶ TRAILERS ─empty line─▶ DONE
 *   BODY_EOF ──finishEof()──▶ DONE          (no length, not chunked: the body ends with the connection)
 *   any ──malformed──▶ ERROR                (execute returns -1; `errorCode`/`errorReason` say why)
 *
 * The head is parsed in place when it is complete within one read (the common case: one read
 * holds the whole small response); otherwise its bytes accumulate in `headBuf` until the blank
 * line arrives, and the head is parsed from there. Lines may end in CRLF or a bare LF (as lenient
 * parsers accept). Limits: head ≤ `maxHeadBytes` (default `MAX_HEAD_BYTES`, Node's default max
 * header size, 16 KiB; the `maxResponseHeadSize` option raises it).
 *
 * Measured (bench/micro/parser.mjs, this machine, under load): a 5-header nginx-style response
 * parses in ≈ 0.33 µs, against ≈ 2.5 µs for Node's llhttp binding on the same bytes (undici's
 * wasm llhttp plus its JS callbacks took ≈ 6% of a plain-GET worker profile).
 */
import { NOT_HTTP_MESSAGE as NOT_HTTP } from '../error-codes.js';

/** The head (status line + headers) may not exceed this many bytes by default (Node's default). */
export const MAX_HEAD_BYTES = 16 * 1024;

/** 'HTTP/': the first bytes of every response. */
const HTTP_PREFIX = [72, 84, 84, 80, 47];

/** Parser states (small integers: the switch in `execute` compiles to a jump table). */
export const State = {
  Head: 0,
  BodyLength: 1,
  ChunkSize: 2,
  ChunkExt: 3,
  ChunkSizeLf: 4,
  ChunkData: 5,
  ChunkDataCr: 6,
  ChunkDataLf: 7,
  TrailerLineStart: 8,
  TrailerLine: 9,
  TrailerEndLf: 10,
  BodyEof: 11,
  Done: 12,
  Error: 13,
} as const;
export type State = (typeof State)[keyof typeof State];

/** Bits of `headerFlags`: which headers of interest the head carries (so callers skip a scan). */
export const HeaderFlag = {
  SetCookie: 1,
  ContentEncoding: 2,
  Location: 4,
  WwwAuthenticate: 8,
} as const;

const CR = 13;
const LF = 10;
const COLON = 58;
const SP = 32;
const HT = 9;

/** Reason phrases seen in practice, interned so that a parsed '200 OK' allocates no string. */
const REASONS = new Map<number, string>([
  [200, 'OK'],
  [201, 'Created'],
  [202, 'Accepted'],
  [204, 'No Content'],
  [301, 'Moved Permanently'],
  [302, 'Found'],
  [303, 'See Other'],
  [304, 'Not Modified'],
  [307, 'Temporary Redirect'],
  [308, 'Permanent Redirect'],
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [429, 'Too Many Requests'],
  [500, 'Internal Server Error'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
  [504, 'Gateway Timeout'],
]);

export abstract class ResponseParser {
  state: State = State.Head;
  /** Digits of the current chunk-size line seen so far. */
  private chunkDigits = 0;
  /** Status of the current (final) response; 0 until its status line is parsed. */
  status = 0;
  statusText = '';
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  versionMinor = 1;
  /** Content-Length, -1 when absent. */
  contentLength = -1;
  chunked = false;
  /** The connection may carry another request after this response. */
  keepAlive = true;
  /** HeaderFlag bits of the current head. */
  headerFlags = 0;
  /** Body bytes still expected (length mode) or left in the current chunk. */
  remaining = 0;
  /** The request was HEAD: the response has no body whatever its headers say. */
  noBody = false;
  /** Set with State.Error: an HPE_* style code and a reason. */
  errorCode = '';
  errorReason = '';
  /** Largest head accepted (status line and headers, bytes). */
  maxHeadBytes = MAX_HEAD_BYTES;
  /** Accumulates a head split across reads; null when not needed (most responses). */
  private headBuf: Buffer | null = null;
  private headLen = 0;

  /** Prepares for the response to the next request (`noBody`: it answers a HEAD). */
  resetParser(noBody: boolean): void {
    this.state = State.Head;
    this.status = 0;
    this.statusText = '';
    this.contentLength = -1;
    this.chunked = false;
    this.keepAlive = true;
    this.headerFlags = 0;
    this.remaining = 0;
    this.noBody = noBody;
    this.headLen = 0;
    this.chunkDigits = 0;
  }

  /**
   * A complete final head is parsed: `buf[start, end)` holds exactly its bytes (status line to
   * the blank line included). `avail` is where the data of this read ends in `buf` (≥ end), so the
   * hook can tell whether the body is already there.
   */
  protected abstract onHead(buf: Buffer, start: number, end: number, avail: number): void;
  /** Body payload bytes (chunk framing removed). */
  protected abstract onBody(buf: Buffer, start: number, end: number): void;
  /** The response is complete. */
  protected abstract onComplete(): void;

  /**
   * Feeds `buf[start, end)`. Returns how many bytes belong to the current response (the rest, if
   * any, follows a complete response), or -1 on a malformed response (see errorCode).
   * Calls `onComplete` at most once per call (callers re-arm with `resetParser` for the next one).
   */
  execute(buf: Buffer, start: number, end: number): number {
    let pos = start;
    while (pos < end) {
      switch (this.state) {
        case State.Head: {
          const r = this.head(buf, pos, end);
          if (r < 0) return -1;
          // Still Head: either all bytes were consumed waiting for more, or a 1xx head was
          // skipped and the final head follows (the loop goes on).
          pos = r;
          if ((this.state as State) === State.Done) {
            this.onComplete();
            return pos - start;
          }
          break;
        }
        case State.BodyLength: {
          const n = Math.min(this.remaining, end - pos);
          this.onBody(buf, pos, pos + n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.state = State.Done;
            this.onComplete();
            return pos - start;
          }
          break;
        }
        case State.BodyEof:
          this.onBody(buf, pos, end);
          return end - start;
        case State.ChunkData: {
          const n = Math.min(this.remaining, end - pos);
          this.onBody(buf, pos, pos + n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = State.ChunkDataCr;
          break;
        }
        case State.Done:
          return pos - start;
        case State.Error:
          return -1;
        default: {
          // Chunk framing and trailers, byte by byte (short lines).
          const r = this.chunkFraming(buf, pos, end);
          if (r < 0) return -1;
          pos = r;
          if ((this.state as State) === State.Done) {
            this.onComplete();
            return pos - start;
          }
        }
      }
    }
    return pos - start;
  }

  /** The connection reached EOF. Returns true when that completes the response (body until close). */
  finishEof(): boolean {
    if (this.state !== State.BodyEof) return false;
    this.state = State.Done;
    this.onComplete();
    return true;
  }

  private headOverflow(): number {
    return this.parseFail('HPE_HEADER_OVERFLOW', `head larger than ${this.maxHeadBytes} bytes (raise maxResponseHeadSize)`);
  }

  private parseFail(code: string, reason: string): number {
    this.state = State.Error;
    this.errorCode = code;
    this.errorReason = reason;
    return -1;
  }

  /** Head parsing; returns the position after what it consumed, or -1. */
  private head(buf: Buffer, start: number, end: number): number {
    if (this.headLen === 0) {
      // Fast path: the whole head is in this read; parse it in place, in one pass.
      const r = this.parseHead(buf, start, end, end);
      if (r !== NEED_MORE) return r;
      if (end - start > this.maxHeadBytes) return this.headOverflow();
    }
    // Slow path (a head split across reads): accumulate, then parse from the accumulated bytes.
    const from = this.headLen;
    // Bytes that cannot start a response fail now, not when the timeout or the close comes.
    for (let i = from; i < 5 && start + i - from < end; i++) if (buf[start + i - from] !== HTTP_PREFIX[i]) return this.parseFail('HPE_INVALID_CONSTANT', NOT_HTTP);
    const n = Math.min(end - start, this.maxHeadBytes + 4 - from);
    if (n <= 0) return this.headOverflow();
    let hb = this.headBuf;
    if (hb === null || hb.length < from + n) {
      // Grows by doubling from 1 KiB: split heads are rare, and an idle connection keeps none.
      let size = hb === null ? 1024 : hb.length * 2;
      while (size < from + n) size *= 2;
      const nb = Buffer.allocUnsafe(Math.min(size, this.maxHeadBytes + 4));
      if (hb !== null) hb.copy(nb, 0, 0, from);
      hb = this.headBuf = nb;
    }
    buf.copy(hb, from, start, start + n);
    this.headLen = from + n;
    const headEnd = findHeadEnd(hb, from > 3 ? from - 3 : 0, this.headLen, this.maxHeadBytes);
    if (headEnd < 0) {
      if (headEnd === -2 || this.headLen >= this.maxHeadBytes + 4) return this.headOverflow();
      return start + n;
    }
    this.headLen = 0;
    const r = this.parseHead(hb, 0, headEnd, headEnd);
    this.headBuf = null;
    if (r < 0) return -1;
    // The bytes of this read after the head come next (body, or the final head after a 1xx).
    return start + (headEnd - from);
  }

  /**
   * Parses the head starting at `start`, looking no further than `limit`. Returns the position
   * after the blank line (the body starts there), -1 when malformed, or NEED_MORE (with no side
   * effect) when the head does not end before `limit`. On a 1xx head, returns its end with state
   * Head (the final head follows).
   *
   * Lines are scanned in JS, once: for ~30-byte lines that beats a native `indexOf` call per line
   * (bench/micro/parser.mjs: 670 → 330 ns for a 6-line nginx head, this machine under load).
   */
  private parseHead(buf: Buffer, start: number, limit: number, avail: number): number {
    // Status line: HTTP/1.x SP 3DIGIT [SP reason] EOL
    let eol = scanLf(buf, start, limit);
    if (eol < 0) return NEED_MORE;
    if (
      eol - start < 12 ||
      buf[start] !== 72 || // H
      buf[start + 1] !== 84 || // T
      buf[start + 2] !== 84 ||
      buf[start + 3] !== 80 || // P
      buf[start + 4] !== 47 // /
    ) {
      return this.parseFail('HPE_INVALID_CONSTANT', NOT_HTTP);
    }
    const minor = buf[start + 7]! - 48;
    if (buf[start + 5] !== 49 || buf[start + 6] !== 46 || (minor !== 0 && minor !== 1) || buf[start + 8] !== SP) {
      return this.parseFail('HPE_INVALID_VERSION', 'unsupported HTTP version');
    }
    const d0 = buf[start + 9]! - 48;
    const d1 = buf[start + 10]! - 48;
    const d2 = buf[start + 11]! - 48;
    if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return this.parseFail('HPE_INVALID_STATUS', 'invalid status code');
    const status = d0 * 100 + d1 * 10 + d2;
    const lineEnd = buf[eol - 1] === CR ? eol - 1 : eol;
    let reason = '';
    if (lineEnd > start + 12) {
      if (buf[start + 12] !== SP) return this.parseFail('HPE_INVALID_STATUS', 'invalid status line');
      const cached = REASONS.get(status);
      const rs = start + 13;
      if (cached !== undefined && lineEnd - rs === cached.length && eqExact(buf, rs, cached)) reason = cached;
      else reason = buf.toString('latin1', rs, lineEnd);
    } else if (lineEnd !== start + 12) return this.parseFail('HPE_INVALID_STATUS', 'invalid status line');

    let contentLength = -1;
    let chunked = false;
    let connClose = false;
    let connKeepAlive = false;
    let flags = 0;
    let pos = eol + 1;
    for (;;) {
      eol = scanLf(buf, pos, limit);
      if (eol < 0) return NEED_MORE;
      if (eol - start > this.maxHeadBytes) return this.headOverflow();
      const le = buf[eol - 1] === CR && eol - 1 >= pos ? eol - 1 : eol;
      if (le === pos) {
        pos = eol + 1;
        break; // blank line: end of head
      }
      // name ':' OWS value OWS
      let c = pos;
      while (c < le && buf[c] !== COLON) c++;
      if (c === pos || c === le) return this.parseFail('HPE_INVALID_HEADER_TOKEN', 'malformed header line');
      const b0 = buf[pos]!;
      if (b0 === SP || b0 === HT) return this.parseFail('HPE_INVALID_HEADER_TOKEN', 'obsolete line folding');
      const nameLen = c - pos;
      let vs = c + 1;
      while (vs < le && (buf[vs] === SP || buf[vs] === HT)) vs++;
      let ve = le;
      while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT)) ve--;
      switch (nameLen) {
        case 8: // location
          if (eqLower(buf, pos, 'location')) flags |= HeaderFlag.Location;
          break;
        case 10: // set-cookie, connection
          if ((b0 | 0x20) === 115) {
            if (eqLower(buf, pos, 'set-cookie')) flags |= HeaderFlag.SetCookie;
          } else if (eqLower(buf, pos, 'connection')) {
            if (hasToken(buf, vs, ve, 'close')) connClose = true;
            else if (hasToken(buf, vs, ve, 'keep-alive')) connKeepAlive = true;
          }
          break;
        case 14: // content-length
          if (eqLower(buf, pos, 'content-length')) {
            if (vs === ve) return this.parseFail('HPE_INVALID_CONTENT_LENGTH', 'invalid content-length');
            let v = 0;
            for (let i = vs; i < ve; i++) {
              const d = buf[i]! - 48;
              if (d < 0 || d > 9) return this.parseFail('HPE_INVALID_CONTENT_LENGTH', 'invalid content-length');
              v = v * 10 + d;
            }
            if (v > Number.MAX_SAFE_INTEGER) return this.parseFail('HPE_INVALID_CONTENT_LENGTH', 'invalid content-length');
            if (contentLength !== -1 && contentLength !== v) return this.parseFail('HPE_UNEXPECTED_CONTENT_LENGTH', 'conflicting content-length');
            contentLength = v;
          }
          break;
        case 16: // content-encoding, www-authenticate
          if ((b0 | 0x20) === 99) {
            if (eqLower(buf, pos, 'content-encoding')) flags |= HeaderFlag.ContentEncoding;
          } else if (eqLower(buf, pos, 'www-authenticate')) flags |= HeaderFlag.WwwAuthenticate;
          break;
        case 17: // transfer-encoding
          if (eqLower(buf, pos, 'transfer-encoding')) chunked = endsWithChunked(buf, vs, ve);
          break;
      }
      pos = eol + 1;
    }

    if (status < 200 && status !== 101) {
      // Informational (100 Continue, 103 Early Hints): skip it; the final head follows.
      return pos;
    }
    this.status = status;
    this.statusText = reason;
    this.versionMinor = minor;
    this.headerFlags = flags;
    this.contentLength = contentLength;
    this.chunked = chunked;
    this.keepAlive = minor === 1 ? !connClose : connKeepAlive && !connClose;
    this.onHead(buf, start, pos, avail);
    if (this.noBody || status === 204 || status === 304 || status === 101) {
      if (status === 101) this.keepAlive = false;
      this.state = State.Done;
    } else if (chunked) {
      this.remaining = 0;
      this.state = State.ChunkSize;
    } else if (contentLength >= 0) {
      this.remaining = contentLength;
      this.state = contentLength === 0 ? State.Done : State.BodyLength;
    } else {
      this.keepAlive = false;
      this.state = State.BodyEof;
    }
    return pos;
  }

  /** Chunk-size lines, the CRLF after chunk data, and trailers; byte by byte. Returns the new position, or -1. */
  private chunkFraming(buf: Buffer, pos: number, end: number): number {
    while (pos < end) {
      const b = buf[pos]!;
      switch (this.state) {
        case State.ChunkSize: {
          const h = hexValue(b);
          if (h >= 0) {
            this.remaining = this.remaining * 16 + h;
            if (this.remaining > Number.MAX_SAFE_INTEGER) return this.parseFail('HPE_INVALID_CHUNK_SIZE', 'chunk size too large');
            this.chunkDigits++;
          } else if (this.chunkDigits === 0) {
            return this.parseFail('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
          } else if (b === CR) this.state = State.ChunkSizeLf;
          else if (b === LF) {
            pos = this.chunkSizeDone(pos);
            continue;
          } else if (b === 59 /* ; */ || b === SP || b === HT) this.state = State.ChunkExt;
          else return this.parseFail('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
          pos++;
          break;
        }
        case State.ChunkExt:
          if (b === LF) {
            pos = this.chunkSizeDone(pos);
            continue;
          }
          if (b === CR) this.state = State.ChunkSizeLf;
          pos++;
          break;
        case State.ChunkSizeLf:
          if (b !== LF) return this.parseFail('HPE_STRICT', 'expected LF after chunk size');
          pos = this.chunkSizeDone(pos);
          break;
        case State.ChunkDataCr:
          if (b === CR) this.state = State.ChunkDataLf;
          else if (b === LF) this.state = State.ChunkSize;
          else return this.parseFail('HPE_STRICT', 'expected CRLF after chunk data');
          pos++;
          break;
        case State.ChunkDataLf:
          if (b !== LF) return this.parseFail('HPE_STRICT', 'expected LF after chunk data');
          this.state = State.ChunkSize;
          pos++;
          break;
        case State.TrailerLineStart:
          if (b === CR) this.state = State.TrailerEndLf;
          else if (b === LF) {
            this.state = State.Done;
            return pos + 1;
          } else this.state = State.TrailerLine;
          pos++;
          break;
        case State.TrailerLine:
          if (b === LF) this.state = State.TrailerLineStart;
          pos++;
          break;
        case State.TrailerEndLf:
          if (b !== LF) return this.parseFail('HPE_STRICT', 'expected LF after trailers');
          this.state = State.Done;
          return pos + 1;
        default:
          // ChunkData (and anything else) is handled by execute().
          return pos;
      }
    }
    return pos;
  }

  /** `pos` is at the LF ending a chunk-size line; returns the position after it. */
  private chunkSizeDone(pos: number): number {
    this.chunkDigits = 0;
    this.state = this.remaining === 0 ? State.TrailerLineStart : State.ChunkData;
    return pos + 1;
  }
}

/** parseHead's "the head does not end within the bytes given". */
const NEED_MORE = -3;

/** Index of the first LF in buf[pos, limit), or -1. */
function scanLf(buf: Buffer, pos: number, limit: number): number {
  for (let i = pos; i < limit; i++) if (buf[i] === LF) return i;
  return -1;
}

/** buf[pos, pos + s.length) equals the ASCII string s exactly. */
function eqExact(buf: Buffer, pos: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (buf[pos + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Where the head ends: the index just after the blank line, searching `buf[start, end)` for
 * CRLFCRLF or LFLF (bare LF lines). -1 when not there yet; -2 when the head would be too large.
 */
function findHeadEnd(buf: Buffer, start: number, end: number, max: number): number {
  // Native search for LF, then look at what follows each one: a head of N lines costs N calls.
  let p = start;
  for (;;) {
    const lf = buf.indexOf(LF, p);
    // indexOf may run past `end` into stale bytes of a reused buffer: only hits before it count.
    if (lf < 0 || lf >= end) return end - start > max ? -2 : -1;
    if (lf - start > max) return -2;
    const n = lf + 1;
    if (n < end) {
      const c = buf[n];
      if (c === LF) return n + 1;
      if (c === CR) {
        if (n + 1 < end) {
          if (buf[n + 1] === LF) return n + 2;
        } else return -1;
      }
    } else return -1;
    p = n;
  }
}

/** Case-insensitive compare of buf[pos, pos + lower.length) with an ASCII lower-case name. */
function eqLower(buf: Buffer, pos: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    let b = buf[pos + i]!;
    if (b >= 65 && b <= 90) b |= 0x20;
    if (b !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether the comma-separated value buf[vs, ve) has `token` (case-insensitive). */
function hasToken(buf: Buffer, vs: number, ve: number, token: string): boolean {
  let s = vs;
  while (s < ve) {
    while (s < ve && (buf[s] === SP || buf[s] === HT || buf[s] === 44)) s++;
    let e = s;
    while (e < ve && buf[e] !== 44) e++;
    let te = e;
    while (te > s && (buf[te - 1] === SP || buf[te - 1] === HT)) te--;
    if (te - s === token.length && eqLower(buf, s, token)) return true;
    s = e + 1;
  }
  return false;
}

/** Transfer-Encoding whose last coding is 'chunked'. */
function endsWithChunked(buf: Buffer, vs: number, ve: number): boolean {
  return ve - vs >= 7 && eqLower(buf, ve - 7, 'chunked') && (ve - vs === 7 || buf[ve - 8] === 44 || buf[ve - 8] === SP || buf[ve - 8] === HT);
}

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  const l = b | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/**
 * Splits a head copy (status line + headers) into undici-style raw [name, value, ...] Buffers
 * (views into `head`, no copies). Used lazily, only when a script reads headers.
 */
export function splitRawHeaders(head: Buffer, start: number, end: number): Buffer[] {
  const out: Buffer[] = [];
  let pos = head.indexOf(LF, start) + 1;
  while (pos > 0 && pos < end) {
    let eol = head.indexOf(LF, pos);
    if (eol < 0 || eol > end) eol = end;
    const le = eol > pos && head[eol - 1] === CR ? eol - 1 : eol;
    if (le === pos) break;
    let c = pos;
    while (c < le && head[c] !== COLON) c++;
    let vs = c + 1;
    while (vs < le && (head[vs] === SP || head[vs] === HT)) vs++;
    let ve = le;
    while (ve > vs && (head[ve - 1] === SP || head[ve - 1] === HT)) ve--;
    out.push(head.subarray(pos, c), head.subarray(vs, ve));
    pos = eol + 1;
  }
  return out;
}
