const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;

/**
 * Parses a Go/k6-style duration ("500ms", "10s", "1m30s", "1.5h") into milliseconds.
 * A bare number is taken as milliseconds (as k6 does in JSON config); a bare numeric string
 * ("30") as seconds (as k6 does on the command line).
 * Returns undefined when the input is not a duration, so callers can report where it came from.
 */
export function parseDurationMs(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const s = input.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  return total;
}

/**
 * A duration in milliseconds where a string must carry its units (config files of the target and
 * the proxy, fault fields): a number is milliseconds; "300ms", "1.5s", "1m30s"; a bare numeric
 * string is refused (ambiguous: k6 reads it as seconds on the command line, milliseconds in JSON).
 */
export function parseUnitDurationMs(input: unknown): number | undefined {
  if (typeof input === 'number') return parseDurationMs(input);
  if (typeof input !== 'string' || /^\s*\d+(\.\d+)?\s*$/.test(input)) return undefined;
  return parseDurationMs(input);
}

/** Binary multiples: "1kb" is 1024 bytes, as most people mean when they size a payload. */
const SIZE_UNIT_BYTES: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/;

/**
 * A size in bytes: a number is bytes; a string is a number with an optional unit among b, kb, mb, gb
 * (also k/m/g, kib/mib/gib; case-insensitive; all binary, 1kb = 1024). Undefined when invalid.
 */
export function parseSizeBytes(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.floor(input) : undefined;
  if (typeof input !== 'string') return undefined;
  const m = SIZE.exec(input.trim().toLowerCase());
  const unit = m ? SIZE_UNIT_BYTES[m[2]!] : undefined;
  return unit === undefined ? undefined : Math.floor(Number(m![1]) * unit);
}

/** Formats milliseconds the way k6 prints durations: "1m30s", "250ms", "1h0m0s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const secs = Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
  if (h > 0) return `${h}h${m}m${secs}`;
  if (m > 0) return `${m}m${secs}`;
  return secs;
}
