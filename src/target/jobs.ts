import type { JobsConfig } from './config.js';
import type { TargetResponse, Handler } from './context.js';
import { compileDistribution, type Sampler } from './latency.js';
import { sendError, sendJson } from './respond.js';

/**
 * kind: jobs — an asynchronous pipeline whose result becomes visible some time after it was asked
 * for (a transcription job, an indexing queue, an eventually consistent read). Each job draws the
 * delay of every stage when it is submitted; stage i completes `after[i]` ms after stage i-1.
 *
 *   POST /path          submit → 202 { jobId, status: 'pending', statusUrl, stages: [names] }
 *   GET  /path/:jobId   pending: 'status' → 200 { jobId, status: pending|ready|failed, stage, completed: {stage: ISO time} }
 *                       pending: 'not-found' → 404 until the job is ready (the read is "not visible yet"), then 200
 *
 * `stage` is the stage in progress (the last one once ready). A job drawn to fail (failRate) fails
 * at a uniformly chosen stage, at the time that stage would have completed. Only the newest
 * `maxJobs` jobs are kept (memory stays bounded); an older id answers 404.
 */
interface Job {
  id: string;
  /** performance.now() at submission. */
  submittedMs: number;
  /** Cumulative completion offsets (ms from submission), one per stage. */
  doneAtMs: Float64Array;
  /** Index of the stage at which the job fails, or -1. */
  failsAt: number;
}

/** The jobs of one jobs route. */
export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly samplers: Sampler[];
  private nextId = 1;

  constructor(
    readonly basePath: string,
    private readonly cfg: JobsConfig,
  ) {
    this.samplers = cfg.stages.map((s) => compileDistribution(s.after));
  }

  reset(): void {
    this.jobs.clear();
    this.nextId = 1;
  }

  handlers(): Record<'submit' | 'status', Handler> {
    return {
      submit: { respond: (res) => this.submit(res) },
      status: { respond: (res) => this.status(res) },
    };
  }

  private submit(res: TargetResponse): void {
    const rng = res.route!.rng;
    if (this.jobs.size >= this.cfg.maxJobs) this.jobs.delete(this.jobs.keys().next().value!);
    const id = `job_${(this.nextId++).toString(36)}`;
    const doneAtMs = new Float64Array(this.samplers.length);
    let t = 0;
    for (let i = 0; i < this.samplers.length; i++) {
      t += Math.max(0, this.samplers[i]!.sample(rng));
      doneAtMs[i] = t;
    }
    const failsAt = this.cfg.failRate > 0 && rng.next() < this.cfg.failRate ? Math.floor(rng.next() * this.samplers.length) : -1;
    this.jobs.set(id, { id, submittedMs: performance.now(), doneAtMs, failsAt });
    sendJson(res, 202, { jobId: id, status: 'pending', statusUrl: `${this.basePath}/${id}`, stages: this.cfg.stages.map((s) => s.name) });
  }

  private status(res: TargetResponse): void {
    const id = res.params?.['jobId'] ?? '';
    const job = this.jobs.get(id);
    if (!job) return sendError(res, 404, `no job ${id}`, undefined, 'not_found');
    const now = performance.now();
    const age = now - job.submittedMs;
    const wall = Date.now() - age;
    const completed: Record<string, string> = {};
    let stage = 0;
    while (stage < job.doneAtMs.length && job.doneAtMs[stage]! <= age && stage !== job.failsAt) {
      completed[this.cfg.stages[stage]!.name] = new Date(wall + job.doneAtMs[stage]!).toISOString();
      stage++;
    }
    const failed = job.failsAt >= 0 && stage === job.failsAt && job.doneAtMs[stage]! <= age;
    const ready = stage === job.doneAtMs.length;
    const status = ready ? 'ready' : failed ? 'failed' : 'pending';
    if (status === 'pending' && this.cfg.pending === 'not-found') return sendError(res, 404, `job ${id} is not visible yet`, undefined, 'not_found');
    const current = this.cfg.stages[Math.min(stage, job.doneAtMs.length - 1)]!.name;
    sendJson(res, 200, { jobId: id, status, stage: current, completed });
  }
}
