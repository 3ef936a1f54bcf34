/**
 * The protocol contract. A protocol is a folder under protocols/ that exports one `Protocol`:
 * its name and the metrics it declares (metrics/catalog.ts: metrics, breakdowns, time-series
 * columns, headline). At run time it records sample groups (metrics/group.ts) through the VU's
 * `recorder`, and keeps per-VU state in a VU slot (vu/context.ts). Registering it is one line in
 * protocols/index.ts. docs/architecture.md walks through HTTP as the worked example.
 */
import type { MetricDeclarations } from '../metrics/catalog.js';

export interface Protocol {
  readonly name: string;
  readonly metrics: MetricDeclarations;
}
