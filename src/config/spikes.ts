/**
 * The spikes of a test's ramping profiles, for recovery time (docs/faults.md, "Recovery time"):
 * after each spike Volley measures how long the system took to return to its pre-spike p95 and
 * error rate, as it does after a fault window.
 *
 * A spike is an excursion of a ramping scenario (ramping-vus, ramping-arrival-rate): from a level
 * L (its start level, or the level a stage ended at), the target rises to at least 2 × L (and by at
 * least 1), then comes back to L or below (within 10 %). Its window runs from the start of the
 * first rising stage to the end of the stage that brings it back. A rise from 0 is not a spike
 * (there is no traffic before it to recover to): the usual ramp up, hold, ramp down has none.
 */
import type { ScenarioConfig } from './types.js';

export interface SpikeWindow {
  /** `spike:<scenario>`, with `#2`, `#3`… for a scenario's later spikes. */
  name: string;
  /** Offsets from the test's start, ms. */
  startMs: number;
  endMs: number;
  /** The level before and at the top of the spike (VUs or iterations per time unit). */
  base: number;
  peak: number;
}

/** Every spike of every ramping scenario, in the order they start. */
export function spikeWindows(scenarios: readonly ScenarioConfig[]): SpikeWindow[] {
  const out: SpikeWindow[] = [];
  for (const s of scenarios) {
    if (s.executor !== 'ramping-vus' && s.executor !== 'ramping-arrival-rate') continue;
    // The level and the time at each stage boundary.
    const levels = [s.executor === 'ramping-vus' ? s.startVUs : s.startRate, ...s.stages.map((st) => st.target)];
    const at = [s.startTimeMs];
    for (const st of s.stages) at.push(at[at.length - 1]! + st.durationMs);
    let n = 0;
    for (let i = 0; i < s.stages.length; i++) {
      const base = levels[i]!;
      // From no traffic there is nothing to recover to: a ramp up from 0 and back is not a spike.
      if (base <= 0 || levels[i + 1]! <= base) continue;
      // A rise from `base`: the first boundary where the profile is back to it (within 10 %).
      let peak = base;
      let j = i + 1;
      for (; j < levels.length && levels[j]! > base * 1.1; j++) peak = Math.max(peak, levels[j]!);
      if (j === levels.length) continue; // never comes back: a later rise may still be a spike
      if (peak >= 2 * base && peak - base >= 1) {
        n++;
        out.push({ name: `spike:${s.name}${n > 1 ? `#${n}` : ''}`, startMs: at[i]!, endMs: at[j]!, base, peak });
      }
      i = j - 1;
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}
