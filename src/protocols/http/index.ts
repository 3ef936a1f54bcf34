/**
 * HTTP protocol: the user module (`volley/http`, re-exported from module.ts) plus the hooks the VU
 * runtime calls.
 */
import type { VuContext } from '../../vu/context.js';
import { existingHttpState } from './vu-state.js';

export * from './module.js';
export { default } from './module.js';
export { setTransportFactory, type TransportFactory, type HttpVuOptions } from './vu-state.js';
export type { Transport, WireRequest, WireResult, TlsSettings } from './transport.js';
export { ErrorCode } from './error-codes.js';

/**
 * Call at the start of every iteration of a VU. Empties the VU's cookie jar (unless the
 * `noCookiesReset` option is set, k6 semantics) and closes its idle connections when
 * `noVUConnectionReuse` is set. Costs nothing for a VU that never made an HTTP request.
 */
export function onIterationStart(vu: VuContext): void {
  existingHttpState(vu)?.onIterationStart();
}

/** Alias of `onIterationStart` (it does more than reset cookies: see there). */
export const resetCookies = onIterationStart;
