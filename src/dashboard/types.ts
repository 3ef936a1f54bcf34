/**
 * The contract between a run and the live dashboard: the live part of the Output contract
 * (outputs/types.ts). The dashboard serves what it is fed to browsers (Server-Sent Events).
 */
import type { LiveUpdate, RunMeta } from '../outputs/types.js';
import type { SummaryData } from '../summary/types.js';

export type { LiveUpdate, RunMeta } from '../outputs/types.js';

export interface DashboardSink {
  /** The test is starting. */
  start(meta: RunMeta): void;
  /** Once per second during the run. Cheap and synchronous. */
  update(u: LiveUpdate): void;
  /** The test ended: the final summary. */
  end(summary: SummaryData): void;
}
