/**
 * The registered protocols: adding one is its folder plus one line here. The main thread builds the
 * run's metric catalog from this list (and the VU runtime's own metrics) and sends it to the workers.
 */
import { buildCatalog, type MetricCatalog, type MetricDeclarations } from '../metrics/catalog.js';
import { CORE_DECLARATIONS } from '../vu/metrics.js';
import type { Protocol } from './contract.js';
import { httpProtocol } from './http/protocol.js';
import { sseProtocol } from './sse/protocol.js';
import { wsProtocol } from './ws/protocol.js';
import { browserProtocol } from './browser/protocol.js';
import { llmProtocol } from './llm/protocol.js';
import { sqlProtocol } from './sql/protocol.js';

export const PROTOCOLS: readonly Protocol[] = [
  httpProtocol,
  sseProtocol,
  wsProtocol,
  browserProtocol,
  llmProtocol,
  sqlProtocol,
];

/**
 * The catalog of every metric the VU runtime and `protocols` record (default: the registered ones),
 * plus `extra` declarations of the run's own (the fault runtime's, when the options have faults).
 */
export function metricCatalog(protocols: readonly Protocol[] = PROTOCOLS, extra: readonly MetricDeclarations[] = []): MetricCatalog {
  return buildCatalog([CORE_DECLARATIONS, ...protocols.map((p) => p.metrics), ...extra]);
}

export type { Protocol } from './contract.js';
