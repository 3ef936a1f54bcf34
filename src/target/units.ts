/**
 * Units in target config files: the parsers are util/duration.ts's (shared with the proxy and the
 * fault options); the formatting for messages and the route list is the target's own.
 */

export { parseUnitDurationMs as parseDurationMs, parseSizeBytes } from '../util/duration.js';

/** "300ms", "1.5s", "2m" for messages and the route list. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${+ms.toFixed(1)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${+(ms / 60_000).toFixed(2)}m`;
}
