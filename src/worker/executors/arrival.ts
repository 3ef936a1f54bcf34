import type { ConstantArrivalRateConfig, RampingArrivalRateConfig, Stage } from '../../config/types.js';
import type { Vu } from '../../vu/vu.js';
import { sleepUntil, timerTick } from '../clock.js';
import { ownsIteration, share } from '../segment.js';
import { Executor } from './base.js';

/**
 * An arrival schedule: the offset (ms from scenario start) of each global iteration, and how many
 * there are. Iterations are started at these times whatever the target does (open model).
 */
export interface ArrivalSchedule {
  readonly total: number;
  timeOf(i: number): number;
}

/** `rate` iterations per `timeUnitMs` for `durationMs`: iteration i at i·timeUnit/rate. */
export function constantSchedule(rate: number, timeUnitMs: number, durationMs: number): ArrivalSchedule {
  const gap = timeUnitMs / rate;
  // The count is rounded to absorb float error (e.g. 0.1/s over 30 s), then floored.
  const total = rate <= 0 ? 0 : Math.floor(Math.round((durationMs / gap) * 1e6) / 1e6);
  return { total, timeOf: (i) => i * gap };
}

/**
 * Piecewise-linear rate (iterations per timeUnit) through stages: iteration i starts when the
 * integral of the rate reaches i, solving the quadratic within each stage.
 */
export function rampingSchedule(startRate: number, timeUnitMs: number, stages: readonly Stage[]): ArrivalSchedule {
  // Per stage: start offset, start rate and end rate (per ms), cumulative iterations at its start.
  const segs: Array<{ t0: number; d: number; r0: number; r1: number; c0: number }> = [];
  let t0 = 0;
  let c0 = 0;
  let r0 = startRate / timeUnitMs;
  for (const st of stages) {
    const r1 = st.target / timeUnitMs;
    segs.push({ t0, d: st.durationMs, r0, r1, c0 });
    c0 += ((r0 + r1) / 2) * st.durationMs;
    t0 += st.durationMs;
    r0 = r1;
  }
  const total = Math.floor(Math.round(c0 * 1e6) / 1e6);
  let cursor = 0;
  return {
    total,
    timeOf(i: number): number {
      // Iterations are asked for in increasing order: keep a cursor on the current stage.
      if (cursor >= segs.length || i < segs[cursor]!.c0) cursor = 0;
      while (cursor < segs.length - 1 && segs[cursor + 1]!.c0 <= i) cursor++;
      const s = segs[cursor]!;
      const n = i - s.c0;
      if (n <= 0) return s.t0;
      const a = (s.r1 - s.r0) / (2 * s.d);
      if (Math.abs(a) < 1e-15) return s.t0 + n / s.r0;
      // a·t² + r0·t − n = 0 → t = (−r0 + √(r0² + 4an)) / 2a
      const disc = s.r0 * s.r0 + 4 * a * n;
      return s.t0 + (-s.r0 + Math.sqrt(Math.max(0, disc))) / (2 * a);
    },
  };
}

/** Waits shorter than this use a bare timer (no abort listener): a stop waits at most this long. */
const SHORT_WAIT_MS = 50;

/**
 * Shared loop of the open-model executors. A scheduler tick starts every iteration whose time has
 * come (catching up after a late timer, on the monotonic clock). An iteration needs a free VU: an
 * idle one, else a new one up to maxVUs; when none can be had, the iteration is dropped and
 * counted in `dropped_iterations`, never delayed (k6 semantics).
 */
abstract class ArrivalRate<C extends ConstantArrivalRateConfig | RampingArrivalRateConfig> extends Executor<C> {
  private readonly idle: Vu[] = [];
  private maxVus = 0;
  private running = 0;
  private schedule: ArrivalSchedule | undefined;
  private drainWaiter: (() => void) | undefined;
  /** whenBusy 'queue': due iterations waiting for a VU, as (local intended start, global index). */
  private readonly queue = new Fifo();

  protected abstract makeSchedule(): ArrivalSchedule;

  protected async execute(): Promise<void> {
    const seg = this.env.segment;
    const cfg = this.config;
    this.maxVus = share(cfg.maxVUs, seg);
    const maxQueue = cfg.whenBusy === 'queue' ? Math.max(1, share(cfg.maxQueue, seg)) : 0;
    const pre = share(cfg.preAllocatedVUs, seg);
    for (let i = 0; i < pre; i++) {
      this.idle.push(this.addVu());
      if (await this.initPause(i)) break;
    }
    const sched = (this.schedule = this.makeSchedule());
    const endMs = this.startMs + this.plannedDurationMs();
    const slotVus = Math.max(1, cfg.maxVUs);
    let i = 0;
    let dropped = 0;
    while (i < sched.total && !this.stopped) {
      const now = performance.now() - this.startMs;
      for (; i < sched.total; i++) {
        const at = sched.timeOf(i);
        if (at > now) break;
        if (!ownsIteration(i, slotVus, seg)) continue;
        const vu = this.queue.length === 0 ? (this.idle.pop() ?? (this.vus.length < this.maxVus ? this.addVu() : undefined)) : undefined;
        if (vu !== undefined) this.start(vu, this.startMs + at, i);
        else if (this.queue.length < maxQueue) this.queue.push(this.startMs + at, i);
        else dropped++;
      }
      if (dropped > 0) {
        this.env.dropped(dropped);
        dropped = 0;
      }
      if (i >= sched.total) break;
      const nextAt = this.startMs + sched.timeOf(i);
      // Always wait on a timer, never spin: a timer fires ~1 ms late at best, and the tick then
      // starts every arrival that came due meanwhile, each measured against its own scheduled time
      // (intendedStartMs), so the schedule and the coordinated-omission lag stay exact. Yielding
      // with setImmediate when arrivals were < 2 ms apart cost a whole core at 1,000/s
      // (bench/RESULTS.md "Arrival-rate scheduler CPU"). Short waits skip the abort listener: a
      // stop is seen at the next tick, at most SHORT_WAIT_MS later.
      const wait = nextAt - performance.now();
      if (wait >= SHORT_WAIT_MS) await sleepUntil(nextAt, this.env.stopSignal);
      else await timerTick(wait);
    }
    await sleepUntil(endMs, this.env.stopSignal);
    // Iterations still queued at the end never started: count them as dropped.
    if (this.queue.length > 0) this.env.dropped(this.queue.length);
    this.queue.clear();
    await this.graceful(this.drained(), endMs);
  }

  private start(vu: Vu, intendedMs: number, i: number): void {
    vu.intendedStartMs = intendedMs;
    vu.scenario.iterationInTest = i;
    void this.iterate(vu);
  }

  private async iterate(vu: Vu): Promise<void> {
    this.running++;
    this.active++;
    let cur = vu;
    for (;;) {
      await this.env.runner.run(cur);
      if (cur.interrupted || this.stopped || this.queue.length === 0) break;
      // A VU came free and iterations are waiting: run the oldest now; its lateness is measured.
      const at = this.queue.peekTime();
      const idx = this.queue.peekIndex();
      this.queue.shift();
      cur.intendedStartMs = at;
      cur.scenario.iterationInTest = idx;
    }
    this.active--;
    this.running--;
    if (!cur.interrupted) this.idle.push(cur);
    if (this.running === 0 && this.drainWaiter) this.drainWaiter();
  }

  private drained(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiter = resolve;
    });
  }

  /** Iterations in the schedule (this scenario, all workers). */
  scheduledTotal(): number {
    return this.schedule?.total ?? 0;
  }
}

/**
 * A FIFO of (time, index) pairs in two growable typed arrays: no per-item allocation, O(1) push
 * and shift (the head index moves; storage is compacted when half of it is dead).
 */
class Fifo {
  private times = new Float64Array(64);
  private idx = new Float64Array(64);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }
  push(t: number, i: number): void {
    if (this.tail === this.times.length) {
      const live = this.length;
      if (this.head > this.times.length / 2) {
        this.times.copyWithin(0, this.head, this.tail);
        this.idx.copyWithin(0, this.head, this.tail);
      } else {
        const t2 = new Float64Array(this.times.length * 2);
        const i2 = new Float64Array(this.times.length * 2);
        t2.set(this.times.subarray(this.head, this.tail));
        i2.set(this.idx.subarray(this.head, this.tail));
        this.times = t2;
        this.idx = i2;
      }
      this.head = 0;
      this.tail = live;
    }
    this.times[this.tail] = t;
    this.idx[this.tail++] = i;
  }
  peekTime(): number {
    return this.times[this.head]!;
  }
  peekIndex(): number {
    return this.idx[this.head]!;
  }
  shift(): void {
    if (++this.head === this.tail) this.head = this.tail = 0;
  }
  clear(): void {
    this.head = this.tail = 0;
  }
}

/** A fixed number of iterations per time unit (open model). */
export class ConstantArrivalRate extends ArrivalRate<ConstantArrivalRateConfig> {
  plannedDurationMs(): number {
    return this.config.durationMs;
  }
  protected makeSchedule(): ArrivalSchedule {
    return constantSchedule(this.config.rate, this.config.timeUnitMs, this.config.durationMs);
  }
}

/** An iteration rate that ramps through stages (open model). */
export class RampingArrivalRate extends ArrivalRate<RampingArrivalRateConfig> {
  plannedDurationMs(): number {
    return this.config.stages.reduce((a, s) => a + s.durationMs, 0);
  }
  protected makeSchedule(): ArrivalSchedule {
    return rampingSchedule(this.config.startRate, this.config.timeUnitMs, this.config.stages);
  }
}
