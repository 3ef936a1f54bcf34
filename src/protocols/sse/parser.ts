/**
 * An incremental Server-Sent Events parser (WHATWG HTML "Parsing an event stream"), pure: bytes
 * in, events out, no I/O and no Volley imports, so any client (volley/sse, volley/llm) can feed
 * it. Chunks may split lines, fields and UTF-8 characters anywhere.
 *
 *   const p = new SseParser({ onEvent: (e) => ..., onRetry: (ms) => ... });
 *   p.push(chunk); ...; p.end();
 *
 * Per the spec: lines end with CRLF, LF or CR; a leading BOM is dropped; `:` lines are comments;
 * `data` lines join with '\n'; `id` sets the last event id (ignored when it contains NUL) and
 * persists across events; `retry` takes only ASCII digits; an event is dispatched at a blank line
 * and only when it has data (an unterminated last event is dropped at `end()`); unknown fields are
 * ignored (counted, and shown to `onUnknownField`: an LLM client treats such a line as a sign the
 * server is not speaking SSE at all).
 *
 * Beyond the spec, to catch a broken server instead of buffering forever: a line longer than
 * `maxLineBytes` (default 1 MiB) or bytes that are not UTF-8 are a `malformed` report (the stream
 * should be treated as failed), and `invalidRetry` / `unknownField` counts are kept for
 * diagnostics.
 *
 * Hot path (one call per network read of every stream, an LLM token each): lines are found and
 * fields matched on the bytes (native indexOf, no per-line string), complete lines are checked as
 * UTF-8 in one native call per read, and only field values become strings. `onEventData` hands an
 * event over without building an object.
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
  /** An event, as an object (`onEventData` instead, when given). */
  onEvent?(event: SseEvent): void;
  /** An event without an object built for it (the id is `lastEventId`): for per-event hot paths. */
  onEventData?(type: string, data: string): void;
  /** A valid `retry:` field (ms). */
  onRetry?(ms: number): void;
  /** A comment line (`: text`), without the colon and one leading space. */
  onComment?(text: string): void;
  /** A line whose field is none of data, event, id, retry (the whole line, at most 200 characters). */
  onUnknownField?(line: string): void;
  /** The stream is malformed; the parser stops reading (later pushes are ignored). */
  onMalformed?(kind: SseMalformedKind, detail: string): void;
}

export interface SseParserOptions {
  maxLineBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

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
    if (this.malformed !== null || chunk.byteLength === 0) return;
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
    // Complete lines end at the last CR or LF: they are validated in one go (a line end is never
    // inside a UTF-8 sequence); the unfinished rest waits as bytes.
    const end = Math.max(buf.lastIndexOf(LF), buf.lastIndexOf(CR)) + 1;
    if (end > 0) {
      if (isUtf8(end === buf.length ? buf : buf.subarray(0, end))) {
        if (!this.#lines(buf, 0, end)) return;
      } else {
        this.#linesUntilInvalid(buf.subarray(0, end));
        return;
      }
    }
    if (end < buf.length) {
      this.#pending = Buffer.from(buf.subarray(end));
      if (this.#pending.length > this.#maxLine) this.#fail('line-too-long', `a line longer than ${this.#maxLine} bytes without a line end`);
    }
  }

  /** Lines of buf[from, end), valid UTF-8 ending with a line end. False when the stream turned out malformed. */
  #lines(buf: Buffer, from: number, end: number): boolean {
    let start = from;
    // The next CR and LF at or after `start` (end when none): one native search each, redone only
    // when passed, so an LF-only stream pays one CR search per read.
    let cr = buf.indexOf(CR, start);
    if (cr < 0 || cr >= end) cr = end;
    let lf = buf.indexOf(LF, start);
    if (lf < 0 || lf >= end) lf = end;
    while (start < end) {
      const eol = cr < lf ? cr : lf;
      if (eol - start > this.#maxLine) {
        this.#fail('line-too-long', `a line of more than ${this.#maxLine} bytes`);
        return false;
      }
      let next = eol + 1;
      if (eol === cr) {
        if (next < end) {
          if (buf[next] === LF) next++;
        } else this.#sawCR = true;
      }
      this.#line(buf, start, eol);
      start = next;
      if (cr < start) {
        cr = buf.indexOf(CR, start);
        if (cr < 0 || cr >= end) cr = end;
      }
      if (lf < start) {
        lf = buf.indexOf(LF, start);
        if (lf < 0 || lf >= end) lf = end;
      }
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
      if (!this.#lines(line, 0, line.length)) return;
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

  /** One line: buf[from, to), valid UTF-8. The field name is matched on its bytes. */
  #line(buf: Buffer, from: number, to: number): void {
    if (from === to) {
      this.#dispatch();
      return;
    }
    if (buf[from] === COLON) {
      if (this.#h.onComment !== undefined) this.#h.onComment(buf.toString('utf8', buf[from + 1] === SPACE ? from + 2 : from + 1, to));
      return;
    }
    let colon = buf.indexOf(COLON, from);
    if (colon < 0 || colon > to) colon = to;
    const v = colon === to ? to : buf[colon + 1] === SPACE ? colon + 2 : colon + 1;
    switch (colon - from) {
      case 4:
        if (buf[from] === 0x64 && buf[from + 1] === 0x61 && buf[from + 2] === 0x74 && buf[from + 3] === 0x61 /* data */) {
          const value = v === to ? '' : buf.toString('utf8', v, to);
          this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
          this.#hasData = true;
          return;
        }
        break;
      case 5:
        if (buf[from] === 0x65 && buf[from + 1] === 0x76 && buf[from + 2] === 0x65 && buf[from + 3] === 0x6e && buf[from + 4] === 0x74 /* event */) {
          this.#type = buf.toString('utf8', v, to);
          return;
        }
        if (buf[from] === 0x72 && buf[from + 1] === 0x65 && buf[from + 2] === 0x74 && buf[from + 3] === 0x72 && buf[from + 4] === 0x79 /* retry */) {
          let digits = v < to;
          for (let i = v; i < to && digits; i++) digits = buf[i]! >= 0x30 && buf[i]! <= 0x39;
          if (digits) this.#h.onRetry?.(Number(buf.toString('latin1', v, to)));
          else this.invalidRetry++;
          return;
        }
        break;
      case 2:
        if (buf[from] === 0x69 && buf[from + 1] === 0x64 /* id */) {
          let nul = false;
          for (let i = v; i < to && !nul; i++) nul = buf[i] === 0;
          if (!nul) this.lastEventId = buf.toString('utf8', v, to);
          return;
        }
        break;
    }
    this.unknownField++;
    if (this.#h.onUnknownField !== undefined) this.#h.onUnknownField(buf.toString('utf8', from, Math.min(to, from + 800)).slice(0, 200));
  }

  #dispatch(): void {
    if (!this.#hasData) {
      this.#type = '';
      return;
    }
    const type = this.#type === '' ? 'message' : this.#type;
    const data = this.#data;
    this.#data = '';
    this.#hasData = false;
    this.#type = '';
    if (this.#h.onEventData !== undefined) this.#h.onEventData(type, data);
    else this.#h.onEvent?.({ type, data, id: this.lastEventId });
  }
}

function isBomPrefix(b: Buffer): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < b.length; i++) if (b[i] !== bom[i]) return false;
  return true;
}
