import { ExitCode, VolleyError } from '../../errors/index.js';
import { parseDurationMs } from '../../util/duration.js';

/**
 * `--start-at`: the epoch ms at which to start. RFC 3339 ("2026-12-24T10:00:00Z", an offset or
 * fractional seconds allowed) or relative to now ("+30s", "+1m"). Runners on several machines given
 * the same instant start together without talking to each other (their clocks must agree: NTP
 * keeps them within a few ms). A time already past is an error: the runners would not agree on it.
 */
export function parseStartAt(text: string, nowMs = Date.now()): number {
  const bad = (why: string): VolleyError =>
    new VolleyError('E_START_AT', `--start-at ${JSON.stringify(text)}: ${why}`, {
      hint: 'give an instant in the future, e.g. --start-at 2026-12-24T10:00:00Z or --start-at +30s',
      exitCode: ExitCode.InvalidConfig,
    });
  const s = text.trim();
  if (s.startsWith('+')) {
    const ms = parseDurationMs(s.slice(1));
    if (ms === undefined || ms <= 0) throw bad('not a duration after "+" (write +30s, +2m)');
    return nowMs + ms;
  }
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s)) throw bad('not an RFC 3339 time with a zone (write 2026-12-24T10:00:00Z)');
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw bad('not a valid date');
  if (t <= nowMs) throw bad(`this time is already past (now is ${new Date(nowMs).toISOString()})`);
  return t;
}
