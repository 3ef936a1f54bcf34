import type { RampingVusConfig, Stage } from '../../config/types.js';
import type { Vu } from '../../vu/vu.js';
import { sleepUntil } from '../clock.js';
import { share, type Segment } from '../segment.js';
import { Executor } from './base.js';

/** A change of the VU target at a time offset (ms from scenario start). */
export interface VuStep {
  atMs: number;
  target: number;
}

/**
 * The VU count over time: linear ramps between stage targets, changing by one VU at each integer
 * crossing (so a ramp from 0 to 10 over 10 s adds a VU every second and reaches 10 at the end of
 * the stage, as k6 does).
 */
export function rampingVuSteps(startVUs: number, stages: readonly Stage[]): VuStep[] {
  const steps: VuStep[] = [{ atMs: 0, target: startVUs }];
  let t = 0;
  let from = startVUs;
  for (const st of stages) {
    const diff = st.target - from;
    if (diff !== 0) {
      const n = Math.abs(diff);
      if (st.durationMs === 0) steps.push({ atMs: t, target: st.target });
      else for (let i = 1; i <= n; i++) steps.push({ atMs: t + (st.durationMs * i) / n, target: from + Math.sign(diff) * i });
    }
    t += st.durationMs;
    from = st.target;
  }
  return steps;
}

/** The steps as this worker sees them: its share of each target, without repeats. */
export function segmentSteps(steps: readonly VuStep[], seg: Segment): VuStep[] {
  const out: VuStep[] = [];
  for (const s of steps) {
    const target = share(s.target, seg);
    const last = out[out.length - 1];
    if (last && last.target === target) continue;
    if (last && last.atMs === s.atMs) last.target = target;
    else out.push({ atMs: s.atMs, target });
  }
  return out;
}

interface Slot {
  vu: Vu;
  loop: Promise<void> | undefined;
  /** performance.now() when a ramp-down last let this slot go (its gracefulRampDown counts from there). */
  releasedAtMs: number;
}

/** VUs ramp up and down through stages (closed model), with gracefulRampDown for VUs let go. */
export class RampingVus extends Executor<RampingVusConfig> {
  private target = 0;
  private readonly slots: Slot[] = [];
  /** Pending gracefulRampDown deadlines (one timer per ramp-down step). */
  private readonly rampDownTimers = new Set<NodeJS.Timeout>();

  override interruptAll(): void {
    for (const t of this.rampDownTimers) clearTimeout(t);
    this.rampDownTimers.clear();
    super.interruptAll();
  }

  plannedDurationMs(): number {
    return this.config.stages.reduce((a, s) => a + s.durationMs, 0);
  }

  override get allocated(): number {
    return this.slots.length;
  }

  protected async execute(): Promise<void> {
    const endMs = this.startMs + this.plannedDurationMs();
    const steps = segmentSteps(rampingVuSteps(this.config.startVUs, this.config.stages), this.env.segment);
    for (const step of steps) {
      await sleepUntil(this.startMs + step.atMs, this.env.stopSignal);
      if (this.stopped) return;
      this.setTarget(step.target, endMs);
    }
    await sleepUntil(endMs, this.env.stopSignal);
    const running = this.slots.map((s) => s.loop).filter((p): p is Promise<void> => p !== undefined);
    await this.graceful(Promise.all(running), endMs);
  }

  private setTarget(target: number, endMs: number): void {
    const prev = this.target;
    this.target = target;
    for (let i = 0; i < target; i++) {
      let slot = this.slots[i];
      if (!slot) {
        slot = { vu: this.addVu(), loop: undefined, releasedAtMs: 0 };
        this.slots.push(slot);
      }
      if (!slot.loop) slot.loop = this.loop(slot, i, endMs);
    }
    if (target < prev) {
      // VUs above the target finish their iteration; past gracefulRampDown (counted from when each
      // was let go) they are interrupted and replaced by a fresh VU object for a later ramp-up.
      const now = performance.now();
      const grace = this.config.gracefulRampDownMs;
      for (let i = target; i < Math.min(prev, this.slots.length); i++) this.slots[i]!.releasedAtMs = now;
      // A plain timer per ramp-down step, not a sleep on the stop signal: a ramp-down of more than
      // 10 steps would add as many abort listeners (MaxListenersExceededWarning). The scenario's
      // end (or a stop) clears the timers that are left (interruptAll).
      const timer = setTimeout(() => {
        this.rampDownTimers.delete(timer);
        if (this.done || this.stopped) return; // the scenario is over: its end already dealt with every VU
        const t = performance.now();
        for (let i = this.target; i < this.slots.length; i++) {
          const slot = this.slots[i]!;
          if (slot.loop && slot.vu.busy && t - slot.releasedAtMs >= grace - 1) {
            slot.vu.interrupt();
            slot.vu = this.replaceVu(slot.vu);
          }
        }
      }, grace);
      this.rampDownTimers.add(timer);
    }
  }

  private async loop(slot: Slot, index: number, endMs: number): Promise<void> {
    const vu = slot.vu;
    this.active++;
    while (!vu.interrupted && index < this.target && performance.now() < endMs) {
      this.numberIteration(vu);
      await this.env.runner.run(vu);
    }
    this.active--;
    slot.loop = undefined;
    // Interrupted during ramp-down and replaced, but the target came back up meanwhile: go on with the new VU.
    if (slot.vu !== vu && index < this.target && !this.stopped && performance.now() < endMs) slot.loop = this.loop(slot, index, endMs);
  }
}
