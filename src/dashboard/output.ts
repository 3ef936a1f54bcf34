import type { LiveUpdate, Output, RunMeta } from '../outputs/types.js';
import type { SummaryData } from '../summary/types.js';
import { startDashboard, validateDashboardOptions, type Dashboard, type DashboardOptions } from './index.js';

/**
 * The live dashboard as an Output (like k6's web dashboard): `start()` binds the server, the run
 * feeds it through the live hooks, `stop()` closes it. It wants no raw samples.
 */
export class DashboardOutput implements Output {
  readonly wantsSamples = false;
  private dash: Dashboard | undefined;

  /** Validates the options at once (a bad port is a config error before anything starts). */
  constructor(private readonly opts: DashboardOptions) {
    validateDashboardOptions(opts);
  }

  get description(): string {
    return `dashboard (${this.dash?.url ?? 'not started'})`;
  }

  /** The page's URL (after `start`). */
  get url(): string {
    return this.dash?.url ?? '';
  }

  async start(): Promise<void> {
    this.dash = await startDashboard(this.opts);
  }

  addSamples(): void {}

  beginRun(meta: RunMeta): void {
    this.dash?.start(meta);
  }

  addLive(update: LiveUpdate): void {
    this.dash?.update(update);
  }

  endRun(summary: SummaryData): void {
    this.dash?.end(summary);
  }

  /** With `linger`: resolves when the user is done with the page (Ctrl-C); otherwise at once. */
  async waitUntilClosed(): Promise<void> {
    await this.dash?.waitUntilClosed();
  }

  async stop(): Promise<void> {
    await this.dash?.close();
  }
}
