/** What the merge says about how together the runners started. */

/** One runner's start, as its summary records it. */
export interface RunnerStart {
  file: string;
  /** `--start-at` as the runner resolved it (ISO), if given. */
  startAt?: string | undefined;
  /** When the runner actually started, by its own clock (ISO). */
  startTime: string;
  /** How late it started after its `startAt` (ms, its own clock). */
  startSkewMs?: number | undefined;
}

/**
 * Warnings on the runners' start: the spread of their lateness after the instant, and — since a
 * relative `--start-at +30s` is resolved by each runner when it starts — runners that were given
 * different instants, with how far apart they really started (the merged rates are spread over that).
 */
export function startWarnings(runners: readonly RunnerStart[]): string[] {
  const out: string[] = [];
  const skews = runners.map((r) => r.startSkewMs).filter((s): s is number => s !== undefined);
  if (skews.length > 1) out.push(`start skew between runners: ${(Math.max(...skews) - Math.min(...skews)).toFixed(1)} ms (each runner by its own clock)`);
  const instants = new Set(runners.map((r) => r.startAt).filter((s): s is string => s !== undefined));
  if (instants.size > 1) {
    const starts = runners.map((r) => Date.parse(r.startTime)).filter((t) => Number.isFinite(t));
    const spread = starts.length > 1 ? Math.max(...starts) - Math.min(...starts) : 0;
    out.push(
      `the runners were given different --start-at instants (${[...instants].sort().join(', ')}) and started ${spread} ms apart: ` +
        'a relative --start-at (+30s) is resolved by each runner when it starts; give them all one RFC 3339 instant',
    );
  }
  return out;
}
