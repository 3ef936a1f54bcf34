/**
 * An incremental Server-Sent Events parser (WHATWG HTML "Parsing an event stream"), pure: bytes
 * in, events out, no I/O and no Volley imports, so any client (volley/sse, an LLM client) can feed
 * it. Chunks may split lines, fields and UTF-8 characters anywhere.
 *
 *   const p = new SseParser({ onEvent: (e) => ..., onRetry: (ms) => ... });
 *   p.push(chunk); ...; p.end();
 *
 * Per the spec: lines end with CRLF, LF or CR; a leading BOM is dropped; `:` lines are comments;
 * `data` lines join with '\n'; `id` sets the last event id (ignored when it contains NUL) and
 * persists across events; `retry` takes only ASCII digits; an event is dispatched at a blank line
 * and only when it has data (an unterminated last event is dropped at `end()`); unknown fields are
 * ignored.
 *
 * Beyond the spec, to catch a broken server instead of buffering forever: a line longer than
 * `maxLineBytes` (default 1 MiB) or bytes that are not UTF-8 are a `malformed` report (the stream
 * should be treated as failed), and `invalidRetry` / `unknownField` counts are kept for
 * diagnostics.
 */

import { isUtf8 } from 'node:buffer';

export interface SseEvent {
  /** `event:` field; 'message' when none. */
  type: string;
  /** `data:` lines joined by '\n'. */
  data: string;
  /** The last event id in force at dispatch ('' when none). */
  id: string;
}

export type SseMalformedKind = 'line-too-long' | 'invalid-utf8';

export interface SseParserHandlers {
  onEvent(event: SseEvent): void;
  /** A valid `retry:` field (ms). */
  onRetry?(ms: number): void;
  /** A comment line (`: text`), without the colon and one leading space. */
  onComment?(text: string): void;
  /** The stream is malformed; the parser stops reading (later pushes are ignored). */
  onMalformed?(kind: SseMalformedKind, detail: string): void;
}

export interface SseParserOptions {
  maxLineBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;

export class SseParser {
  /** Last event id (persists across events; the value a reconnect sends as Last-Event-ID). */
  lastEventId = '';
  /** Bad `retry:` values and unknown field names seen. */
  invalidRetry = 0;
  unknownField = 0;
  /** Set once the stream was found malformed. */
  malformed: SseMalformedKind | null = null;

  readonly #h: SseParserHandlers;
  readonly #maxLine: number;
  /** Bytes of an unfinished line (or of a possible BOM at the start). */
  #pending: Buffer | null = null;
  #sawCR = false;
  #first = true;
  #data = '';
  #hasData = false;
  #type = '';

  constructor(handlers: SseParserHandlers, opts: SseParserOptions = {}) {
    this.#h = handlers;
    this.#maxLine = opts.maxLineBytes ?? 1 << 20;
  }

  /** Feeds bytes (any split). */
  push(chunk: Uint8Array): void {
    if (this.malformed !== null) return;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#pending !== null) {
      buf = Buffer.concat([this.#pending, buf]);
      this.#pending = null;
    }
    if (this.#first) {
      if (buf.length < 3 && buf.length > 0 && isBomPrefix(buf)) {
        this.#pending = buf;
        return;
      }
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      if (buf.length === 0) return;
      this.#first = false;
    }
    // The LF of a CRLF whose CR ended the previous push.
    if (this.#sawCR) {
      this.#sawCR = false;
      if (buf[0] === LF) buf = buf.subarray(1);
    }
    // Complete lines end at the last CR or LF: they are validated and decoded in one go (a line end
    // is never inside a UTF-8 sequence); the unfinished rest waits as bytes.
    let last = buf.length - 1;
    while (last >= 0 && buf[last] !== LF && buf[last] !== CR) last--;
    if (last >= 0) {
      const region = buf.subarray(0, last + 1);
      if (isUtf8(region)) {
        if (!this.#lines(region.toString('utf8'))) return;
      } else {
        this.#linesUntilInvalid(region);
        return;
      }
    }
    if (last + 1 < buf.length) {
      this.#pending = Buffer.from(buf.subarray(last + 1));
      if (this.#pending.length > this.#maxLine) this.#fail('line-too-long', `a line longer than ${this.#maxLine} bytes without a line end`);
    }
  }

  /** Lines of `text` (which ends with a line end). False when the stream turned out malformed. */
  #lines(text: string): boolean {
    let start = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      if (i - start > this.#maxLine) {
        this.#fail('line-too-long', `a line of more than ${this.#maxLine} bytes`);
        return false;
      }
      this.#line(text, start, i);
      if (c === CR) {
        if (i + 1 < n) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else this.#sawCR = true;
      }
      start = i + 1;
    }
    return true;
  }

  /** A region with bytes that are not UTF-8: its lines up to the bad one, then the failure. */
  #linesUntilInvalid(region: Buffer): void {
    let start = 0;
    for (let i = 0; i < region.length; i++) {
      const b = region[i]!;
      if (b !== LF && b !== CR) continue;
      const end = b === CR && region[i + 1] === LF ? i + 1 : i;
      const line = region.subarray(start, end + 1);
      if (!isUtf8(line)) break;
      this.#lines(line.toString('utf8'));
      i = end;
      start = end + 1;
    }
    this.#fail('invalid-utf8', 'bytes that are not UTF-8');
  }

  /** The stream ended: an event not terminated by a blank line is dropped (spec). */
  end(): void {
    this.#pending = null;
    this.#data = '';
    this.#hasData = false;
    this.#type = '';
  }

  /** True when bytes of an unfinished line or an undispatched event are buffered. */
  get midEvent(): boolean {
    return this.#pending !== null || this.#hasData || this.#type !== '';
  }

  #fail(kind: SseMalformedKind, detail: string): void {
    this.malformed = kind;
    this.#pending = null;
    this.#h.onMalformed?.(kind, detail);
  }

  /** One line: text[from, to). */
  #line(text: string, from: number, to: number): void {
    if (from === to) {
      this.#dispatch();
      return;
    }
    const line = text.slice(from, to);
    const colon = line.indexOf(':');
    if (colon === 0) {
      this.#h.onComment?.(line.charCodeAt(1) === 0x20 ? line.slice(2) : line.slice(1));
      return;
    }
    let field: string;
    let value: string;
    if (colon < 0) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 0x20 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
        this.#hasData = true;
        break;
      case 'event':
        this.#type = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.#h.onRetry?.(Number(value));
        else this.invalidRetry++;
        break;
      default:
        this.unknownField++;
    }
  }

  #dispatch(): void {
    if (!this.#hasData) {
      this.#type = '';
      return;
    }
    const e: SseEvent = { type: this.#type === '' ? 'message' : this.#type, data: this.#data, id: this.lastEventId };
    this.#data = '';
    this.#hasData = false;
    this.#type = '';
    this.#h.onEvent(e);
  }
}

function isBomPrefix(b: Buffer): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < b.length; i++) if (b[i] !== bom[i]) return false;
  return true;
}
