import type { ConstantVusConfig } from '../../config/types.js';
import { share } from '../segment.js';
import { Executor } from './base.js';

/** A fixed number of VUs loop over the function for a duration (closed model). */
export class ConstantVus extends Executor<ConstantVusConfig> {
  plannedDurationMs(): number {
    return this.config.durationMs;
  }

  protected async execute(): Promise<void> {
    const endMs = this.startMs + this.config.durationMs;
    const n = share(this.config.vus, this.env.segment);
    const loops: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const vu = this.addVu();
      loops.push(
        (async () => {
          this.active++;
          while (!vu.interrupted && performance.now() < endMs) {
            this.numberIteration(vu);
            await this.env.runner.run(vu);
          }
          this.active--;
        })(),
      );
      if (await this.initPause(i)) break;
    }
    await this.graceful(Promise.all(loops), endMs);
  }
}
