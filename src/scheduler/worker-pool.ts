import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from '../worker/protocol.js';

const WORKER_URL = new URL('../worker/entry.js', import.meta.url);

/**
 * The worker threads of a run and the plumbing to talk to them: spawn, send, wait for a given
 * reply from a given worker (with an optional deadline), and notice a worker that dies.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly waiters = new Map<FromWorker['t'], Array<{ index: number; resolve: (m: FromWorker) => void }>>();
  /** Deadlines of pending waits, cleared when the pool ends so that none keeps the process alive. */
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Workers still running their share (not 'done' yet). */
  private readonly live = new Set<number>();
  private exiting = false;

  constructor(
    inits: readonly WorkerInit[],
    onMessage: (index: number, m: FromWorker) => void,
    onDeath: (e: Error) => void,
  ) {
    inits.forEach((init, i) => {
      const w = new Worker(WORKER_URL, { workerData: init, stdout: false, stderr: false });
      w.on('message', (m: FromWorker) => {
        if (m.t === 'done') this.live.delete(i);
        onMessage(i, m);
        const ws = this.waiters.get(m.t);
        const k = ws ? ws.findIndex((x) => x.index === i) : -1;
        if (k >= 0) ws!.splice(k, 1)[0]!.resolve(m);
      });
      w.on('error', onDeath);
      w.on('exit', (code) => {
        if (!this.exiting && code !== 0) onDeath(new Error(`worker ${i} exited with code ${code}`));
      });
      this.workers.push(w);
      this.live.add(i);
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Has worker `index` finished its share ('done')? */
  isDone(index: number): boolean {
    return !this.live.has(index);
  }

  /** Workers that have not finished their share yet. */
  get liveCount(): number {
    return this.live.size;
  }

  send(index: number, m: ToWorker): void {
    this.workers[index]!.postMessage(m);
  }

  broadcast(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  /**
   * The next message of type `t` from worker `index`. The waiter is registered before `then`
   * runs (so a reply to what `then` sends cannot be missed); past `timeoutMs`, `onTimeout()`'s
   * error rejects.
   */
  waitFor<T extends FromWorker['t']>(t: T, index: number, then?: () => void, timeout?: { ms: number; error: () => Error }): Promise<Extract<FromWorker, { t: T }>> {
    const p = new Promise<Extract<FromWorker, { t: T }>>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const list = this.waiters.get(t) ?? [];
      list.push({
        index,
        resolve: (m) => {
          if (timer) {
            clearTimeout(timer);
            this.timers.delete(timer);
          }
          resolve(m as Extract<FromWorker, { t: T }>);
        },
      });
      this.waiters.set(t, list);
      if (timeout) {
        timer = setTimeout(() => {
          this.timers.delete(timer!);
          reject(timeout.error());
        }, timeout.ms);
        this.timers.add(timer);
      }
    });
    then?.();
    return p;
  }

  /** Waits for `t` from every worker. */
  waitForAll<T extends FromWorker['t']>(t: T): Promise<Array<Extract<FromWorker, { t: T }>>> {
    return Promise.all(this.workers.map((_, i) => this.waitFor(t, i)));
  }

  /** Asks every worker to exit (their exit is then expected). */
  exit(): void {
    this.exiting = true;
    this.broadcast({ t: 'exit' });
  }

  /** Stops every worker at once. */
  async terminate(): Promise<void> {
    this.exiting = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(this.workers.map((w) => w.terminate()));
  }
}
