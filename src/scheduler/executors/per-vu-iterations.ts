import type { PerVuIterationsConfig } from '../../config/types.js';
import { share } from '../segment.js';
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
    for (let i = 0; i < n; i++) {
      const vu = this.addVu();
      loops.push(
        (async () => {
          this.active++;
          for (let k = 0; k < iterations && !vu.interrupted && performance.now() < endMs; k++) {
            if (await this.env.runner.run(vu)) this.doneCount++;
          }
          this.active--;
        })(),
      );
    }
    await this.graceful(Promise.all(loops), endMs);
  }
}
