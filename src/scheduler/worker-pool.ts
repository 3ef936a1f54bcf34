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

  /** Workers stopped on purpose (stuck, or a second Ctrl-C): their exit is expected. */
  private readonly killed = new Set<number>();
  /** performance.now() of the last message from each worker. */
  private readonly heard: number[] = [];

  constructor(
    private readonly inits: readonly WorkerInit[],
    private readonly onMessage: (index: number, m: FromWorker) => void,
    private readonly onDeath: (e: Error) => void,
  ) {
    inits.forEach((_, i) => {
      this.spawn(i);
      this.live.add(i);
    });
  }

  private spawn(i: number): void {
    const w = new Worker(WORKER_URL, { workerData: this.inits[i], stdout: false, stderr: false });
    this.heard[i] = performance.now();
    w.on('message', (m: FromWorker) => {
      if (this.workers[i] !== w) return;
      this.heard[i] = performance.now();
      if (m.t === 'done') this.live.delete(i);
      this.onMessage(i, m);
      this.resolveWaiter(i, m);
    });
    w.on('error', (e) => {
      if (this.workers[i] === w && !this.killed.has(i)) this.onDeath(e);
    });
    w.on('exit', (code) => {
      if (this.workers[i] === w && !this.exiting && !this.killed.has(i) && code !== 0) this.onDeath(new Error(`worker ${i} exited with code ${code}`));
    });
    this.workers[i] = w;
  }

  private resolveWaiter(i: number, m: FromWorker): void {
    const ws = this.waiters.get(m.t);
    const k = ws ? ws.findIndex((x) => x.index === i) : -1;
    if (k >= 0) ws!.splice(k, 1)[0]!.resolve(m);
  }

  /** Ms since worker `index` last sent anything (it flushes metrics every second while it runs). */
  silentMs(index: number): number {
    return performance.now() - this.heard[index]!;
  }

  /** The thread id of worker `index` (the inspector's workerId). */
  threadId(index: number): number {
    return this.workers[index]!.threadId;
  }

  /** Was worker `index` stopped with `kill`? */
  isKilled(index: number): boolean {
    return this.killed.has(index);
  }

  /**
   * Stops worker `index` at once, even in the middle of a synchronous loop (V8 terminates its
   * execution): it counts as done, and a wait for its 'done' resolves.
   */
  async kill(index: number): Promise<void> {
    if (this.killed.has(index)) return;
    this.killed.add(index);
    const wasLive = this.live.delete(index);
    const w = this.workers[index]!;
    await w.terminate();
    if (wasLive) this.resolveWaiter(index, { t: 'done' });
    const error = { code: 'E_WORKER_STOPPED', message: 'the worker was stopped' };
    this.resolveWaiter(index, { t: 'setup-done', data: undefined, error });
    this.resolveWaiter(index, { t: 'teardown-done', error });
  }

  /** A fresh worker in place of a killed one (it loads the script again and sends 'ready'). */
  respawn(index: number): void {
    this.killed.delete(index);
    this.spawn(index);
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

  /**
   * Asks every worker to exit (their exit is then expected) and waits until they have, up to
   * `timeoutMs`: terminating a worker that is exiting drops the console output it has not
   * delivered yet (the last lines of a short test).
   */
  async exit(timeoutMs = 2000): Promise<void> {
    this.exiting = true;
    const exited = this.workers.map((w, i) => (this.killed.has(i) ? Promise.resolve() : new Promise<void>((r) => w.once('exit', () => r()))));
    this.broadcast({ t: 'exit' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(exited), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Stops every worker at once. */
  async terminate(): Promise<void> {
    this.exiting = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(this.workers.map((w) => w.terminate()));
  }
}
