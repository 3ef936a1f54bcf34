/**
 * Unit parsing for target config files. The target imports nothing from Volley but `errors/`, so it has
 * its own small parsers (same grammar as `config/duration.ts` for durations).
 */

const DURATION_UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/**
 * A duration in milliseconds: a number is already milliseconds; a string needs units and may chain
 * them ("300ms", "1.5s", "1m30s"). A bare numeric string is rejected (ambiguous: k6 reads it as
 * seconds on the command line and milliseconds in JSON). Returns undefined when invalid or negative.
 */
export function parseDurationMs(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const s = input.trim();
  if (s === '') return undefined;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNIT_MS[m[2]!]!;
    pos = DURATION_PART.lastIndex;
  }
  return total;
}

/** Binary multiples: "1kb" is 1024 bytes, as most people mean when they size a payload. */
const SIZE_UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  k: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  g: 1024 ** 3,
};
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/;

/**
 * A size in bytes: a number is bytes; a string is a number with an optional unit among b, kb, mb, gb
 * (also kib/mib/gib; case-insensitive; all binary, 1kb = 1024). Returns undefined when invalid.
 */
export function parseSizeBytes(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.floor(input) : undefined;
  if (typeof input !== 'string') return undefined;
  const m = SIZE.exec(input.trim().toLowerCase());
  if (!m) return undefined;
  const unit = m[2] === '' ? 1 : SIZE_UNIT_BYTES[m[2]!];
  if (unit === undefined) return undefined;
  return Math.floor(Number(m[1]) * unit);
}

/** "300ms", "1.5s", "2m" for messages and the route list. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${+ms.toFixed(1)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${+(ms / 60_000).toFixed(2)}m`;
}
