import { Ring } from './ring.js';

/**
 * A concurrency limit with a FIFO queue, the shape of a saturated service: up to `max` requests in
 * service, up to `queue` more waiting; beyond that the caller refuses (503). Past the knee (arrival
 * rate × service time > max, Little's law) the queue fills and latency climbs, as a stress or
 * breakpoint test should see.
 *
 * Waiters are opaque values handed back through `onReady` when a slot frees up, so the limiter holds
 * no closures per request.
 */
export class Limiter<T> {
  active = 0;
  private readonly waiting = new Ring<T>();
  /** Re-entrancy guard: releases triggered while resuming a waiter are queued, not recursed. */
  private draining = false;
  private pendingReleases = 0;

  constructor(
    readonly max: number,
    readonly queueMax: number,
    /** Called with a waiter that now holds a slot. */
    private readonly onReady: (waiter: T) => void,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** 'acquired' (slot taken), 'queued' (onReady will be called), or 'full' (refuse the request). */
  acquire(waiter: T): 'acquired' | 'queued' | 'full' {
    if (this.active < this.max) {
      this.active++;
      return 'acquired';
    }
    if (this.waiting.length < this.queueMax) {
      this.waiting.push(waiter);
      return 'queued';
    }
    return 'full';
  }

  /** Frees a slot; the oldest waiter, if any, takes it over. */
  release(): void {
    this.pendingReleases++;
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pendingReleases > 0) {
        this.pendingReleases--;
        const next = this.waiting.shift();
        if (next === undefined) this.active--;
        else this.onReady(next); // the slot passes to `next`: active unchanged
      }
    } finally {
      this.draining = false;
    }
  }
}
