/**
 * A tiny incremental reader of Server-Sent Events, as LLM APIs use them: text goes in as it
 * arrives (any split: mid-line, mid-event), and each complete event's `event:` name and `data:`
 * (multi-line data joined with "\n") comes out. `id:`, `retry:` and comments (`:`) are skipped.
 * A line with no known field is counted in `malformed` (the caller decides if that is fatal):
 * an OpenAI-compatible stream has none. Pure: no I/O, no timers.
 */
export class SseReader {
  /** Lines seen that are not an SSE field (e.g. a JSON body, an HTML page). */
  malformed = 0;
  /** The first such line (trimmed to 200 chars), for the error message. */
  firstMalformed = '';
  private buf = '';
  private event = '';
  private data: string[] = [];

  /**
   * Feeds `text`; calls `onEvent(event, data)` for each event it completes. Returns false if
   * `onEvent` returned false (the caller wants to stop).
   */
  push(text: string, onEvent: (event: string, data: string) => boolean | void): boolean {
    this.buf += text;
    let start = 0;
    for (;;) {
      const nl = this.buf.indexOf('\n', start);
      if (nl < 0) break;
      let line = this.buf.slice(start, nl);
      start = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (this.data.length > 0 && onEvent(this.event, this.data.join('\n')) === false) {
          this.reset(start);
          return false;
        }
        this.event = '';
        this.data.length = 0;
        continue;
      }
      if (line.charCodeAt(0) === 58 /* : */) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field !== 'id' && field !== 'retry') {
        if (this.malformed++ === 0) this.firstMalformed = line.slice(0, 200);
      }
    }
    this.buf = this.buf.slice(start);
    return true;
  }

  /** Text received after the last complete line (a stream cut mid-line leaves some). */
  get pending(): string {
    return this.buf;
  }

  /** An event whose data lines came but whose closing blank line did not. */
  get unterminated(): boolean {
    return this.data.length > 0;
  }

  private reset(start: number): void {
    this.buf = this.buf.slice(start);
    this.event = '';
    this.data.length = 0;
  }
}
