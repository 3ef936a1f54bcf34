/**
 * RFC 3339 timestamps in UTC with up to microsecond precision, trailing zeros trimmed as Go's
 * `time.RFC3339Nano` does: '2025-01-15T09:30:00.1234Z'. The 'YYYY-MM-DDTHH:MM:SS' part is cached
 * per second, since consecutive samples share it (one Date per second instead of one per sample).
 */
export class Rfc3339Formatter {
  private sec = Number.NaN;
  private prefix = '';

  /** `epochMs` may be fractional (sub-millisecond precision from performance.now()). */
  format(epochMs: number): string {
    let sec = Math.floor(epochMs / 1000);
    let us = Math.round((epochMs - sec * 1000) * 1000);
    if (us >= 1_000_000) {
      sec += 1;
      us -= 1_000_000;
    }
    if (sec !== this.sec) {
      this.sec = sec;
      this.prefix = new Date(sec * 1000).toISOString().slice(0, 19);
    }
    if (us === 0) return `${this.prefix}Z`;
    let frac = String(us).padStart(6, '0');
    let end = frac.length;
    while (frac.charCodeAt(end - 1) === 48 /* '0' */) end--;
    frac = frac.slice(0, end);
    return `${this.prefix}.${frac}Z`;
  }

  /** Whole seconds: '2025-01-15T09:30:00Z' (Go's time.RFC3339). */
  formatSeconds(epochMs: number): string {
    const sec = Math.floor(epochMs / 1000);
    if (sec !== this.sec) {
      this.sec = sec;
      this.prefix = new Date(sec * 1000).toISOString().slice(0, 19);
    }
    return `${this.prefix}Z`;
  }
}
