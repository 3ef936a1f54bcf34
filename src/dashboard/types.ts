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

/** Where and how to serve the dashboard. */
export interface DashboardOptions {
  /** Interface to bind. Default '127.0.0.1' (this machine only). Anything else needs `token`. */
  host?: string;
  /** TCP port. Default 5665 (k6's); 0 picks a free port (see `Dashboard.url`). */
  port?: number;
  /** Secret every request must carry (`?token=`, `Authorization: Bearer`, `X-Volley-Token`). Default: none. */
  token?: string;
  /** Open the system browser on the dashboard (best effort). Default false. */
  open?: boolean;
  /** Keep serving after the test ended until Ctrl-C (see `waitUntilClosed`). Default false. */
  linger?: boolean;
  /** Hears non-fatal problems (the browser could not be opened...). Default: ignored. */
  warn?: (message: string) => void;
}
