import type { SharedIterationsConfig } from '../../config/types.js';
import { share, shareOffset, weightedOffset, weightedShare } from '../segment.js';
import { Executor } from './base.js';

/**
 * A fixed number of iterations shared by a number of VUs: each VU takes the next one until all are
 * done or maxDuration passes. With several workers, iterations are split in proportion to VUs.
 */
export class SharedIterations extends Executor<SharedIterationsConfig> {
  private next = 0;
  private total = 0;
  private doneCount = 0;

  plannedDurationMs(): number {
    return this.config.maxDurationMs;
  }

  override progress(): number {
    if (this.done) return 1;
    return this.total === 0 ? 0 : Math.min(1, this.doneCount / this.total);
  }

  protected async execute(): Promise<void> {
    const { vus, iterations, maxDurationMs } = this.config;
    const seg = this.env.segment;
    const n = share(vus, seg);
    const offset = weightedOffset(iterations, shareOffset(vus, seg), vus);
    this.total = weightedShare(iterations, shareOffset(vus, seg), n, vus);
    const endMs = this.startMs + maxDurationMs;
    const loops: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const vu = this.addVu();
      loops.push(
        (async () => {
          this.active++;
          while (!vu.interrupted && this.next < this.total && performance.now() < endMs) {
            // k6's scenario.iterationInTest: unique across workers (this worker owns [offset, offset+total)).
            vu.scenario.iterationInTest = offset + this.next++;
            if (await this.env.runner.run(vu)) this.doneCount++;
          }
          this.active--;
        })(),
      );
      if (await this.initPause(i)) break;
    }
    await this.graceful(Promise.all(loops), endMs);
    // Iterations never started because maxDuration ran out count as dropped (k6).
    if (this.next < this.total) this.env.dropped(this.total - this.next);
  }
}
