/**
 * Unit parsing for the proxy. Like the target, the proxy is a separate program that imports nothing
 * from Volley but `errors/`, so it has its own small parsers (same grammar as `config/duration.ts`).
 */

const DURATION_UNIT_MS: Record<string, number> = { us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)(us|µs|ms|s|m|h)/y;

/**
 * A duration in milliseconds: a number is already milliseconds; a string needs units and may chain
 * them ("300ms", "1.5s", "1m30s"). Returns undefined when invalid or negative.
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

const SIZE_UNIT_BYTES: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/;

/** A size in bytes: a number is bytes; a string may carry b, kb, mb (binary: 1kb = 1024). */
export function parseSizeBytes(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.floor(input) : undefined;
  if (typeof input !== 'string') return undefined;
  const m = SIZE.exec(input.trim().toLowerCase());
  if (!m) return undefined;
  const unit = SIZE_UNIT_BYTES[m[2]!];
  return unit === undefined ? undefined : Math.floor(Number(m[1]) * unit);
}

/** A promise resolved after `ms` (never rejects); `ms` ≤ 0 resolves on the next macrotask. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
