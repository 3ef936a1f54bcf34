/**
 * The runner's side of `volley aggregate` (`volley run --aggregate URL`): once a second, the
 * runner's aggregates (cumulative and exact: HDR histograms; breakdown rows every 10th push), its
 * newest second and its live snapshot go to the aggregate; the reply may say that a threshold failed across the runners, and the run stops as
 * its own abortOnFail would stop it.
 *
 * One push in flight at a time (a slow aggregate never piles requests up: the next second's push
 * replaces a skipped one, every push being whole). An aggregate that cannot be reached is a warning,
 * never the end of the test.
 */
import type { Aggregator } from '../../metrics/aggregator.js';
import type { LiveSnapshot } from '../../metrics/live.js';
import { exportAggregates } from '../../metrics/portable.js';
import type { RunMeta } from '../../outputs/types.js';
import { PUSH_PATH, type AggregatePush, type AggregateReply } from './protocol.js';

/** What stays the same in every push of a run. */
export type PushBase = Pick<AggregatePush, 'runner' | 'segment' | 'scriptHash' | 'thresholds' | 'failWithoutSamples' | 'series' | 'breakdowns'>;

const TIMEOUT_MS = 5000;
/**
 * Breakdown rows (per route, check, error…) go with every FULL_EVERY-th push and the last; totals
 * and threshold sub-metrics with every push. A trend's histogram costs ≈ 0.8 ms to encode (AMD
 * EPYC; 100 route rows: 83 ms): sent every second, a test with many routes would spend a large
 * share of the runner's main thread on it.
 */
const FULL_EVERY = 10;
const totalsOnly = (part: string): boolean => part === 'total' || part === 'sub';

export class AggregatePusher {
  private inFlight: Promise<void> | undefined;
  private failing = false;
  private pushes = 0;
  private readonly url: string;

  constructor(
    baseUrl: string,
    private readonly token: string | undefined,
    private readonly base: PushBase,
    private readonly onAbort: (reason: string) => void,
    private readonly warn: (message: string) => void,
  ) {
    this.url = baseUrl.replace(/\/+$/, '') + PUSH_PATH;
  }

  /** Once a second: sends this second's state unless the last push is still on its way. */
  tick(meta: RunMeta, live: LiveSnapshot, row: AggregatePush['row'], agg: Aggregator): void {
    if (this.inFlight) return;
    this.inFlight = this.send(meta, live, row, agg, false).finally(() => (this.inFlight = undefined));
  }

  /** The test is over: the last push, after the one on its way (at most 5 s each). */
  async finish(meta: RunMeta, live: LiveSnapshot, row: AggregatePush['row'], agg: Aggregator): Promise<void> {
    await this.inFlight;
    await this.send(meta, live, row, agg, true);
  }

  private async send(meta: RunMeta, live: LiveSnapshot, row: AggregatePush['row'], agg: Aggregator, done: boolean): Promise<void> {
    try {
      const seq = this.pushes++;
      const full = done || seq % FULL_EVERY === 0;
      const body: AggregatePush = { v: 1, ...this.base, seq, meta, live, row, aggregates: exportAggregates(agg, full ? undefined : totalsOnly), done };
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
      const reply = JSON.parse(text) as AggregateReply;
      if (this.failing) this.warn(`volley aggregate at ${this.url} reached again`);
      this.failing = false;
      if (typeof reply.abort === 'string' && !done) this.onAbort(reply.abort);
    } catch (e) {
      // Said once per outage, not every second.
      if (!this.failing) this.warn(`cannot push to volley aggregate at ${this.url} (${(e as Error).message}); the test goes on, pushes are retried each second`);
      this.failing = true;
    }
  }
}
