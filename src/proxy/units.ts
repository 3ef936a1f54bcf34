/** Units in proxy fault specs: util/duration.ts's parsers (shared with the target), and a sleep. */
export { parseUnitDurationMs as parseDurationMs, parseSizeBytes } from '../util/duration.js';

/** A promise resolved after `ms` (never rejects); `ms` ≤ 0 resolves on the next macrotask. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
