import type { PerVuIterationsConfig } from '../../config/types.js';
import { share, shareOffset } from '../segment.js';
import { Executor } from './base.js';

/** Each VU runs exactly `iterations` iterations (or until maxDuration). */
export class PerVuIterations extends Executor<PerVuIterationsConfig> {
  private doneCount = 0;
  private total = 0;

  plannedDurationMs(): number {
    return this.config.maxDurationMs;
  }

  override progress(): number {
    if (this.done) return 1;
    return this.total === 0 ? 0 : Math.min(1, this.doneCount / this.total);
  }

  protected async execute(): Promise<void> {
    const { iterations, maxDurationMs } = this.config;
    const n = share(this.config.vus, this.env.segment);
    this.total = n * iterations;
    const endMs = this.startMs + maxDurationMs;
    const loops: Promise<void>[] = [];
    let started = 0;
    const firstVu = shareOffset(this.config.vus, this.env.segment);
    for (let i = 0; i < n; i++) {
      const vu = this.addVu();
      loops.push(
        (async () => {
          this.active++;
          for (let k = 0; k < iterations && !vu.interrupted && performance.now() < endMs; k++) {
            // k6's scenario.iterationInTest for per-vu-iterations: VU index × iterations + k.
            vu.scenario.iterationInTest = (firstVu + i) * iterations + k;
            started++;
            if (await this.env.runner.run(vu)) this.doneCount++;
          }
          this.active--;
        })(),
      );
      if (await this.initPause(i)) break;
    }
    await this.graceful(Promise.all(loops), endMs);
    // Iterations never started because maxDuration ran out count as dropped (k6).
    if (started < this.total) this.env.dropped(this.total - started);
  }
}
