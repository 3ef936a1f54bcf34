/**
 * Timing phases of one HTTP exchange, k6 names, in milliseconds (fractional, from
 * `performance.now()`). Each phase is measured, not derived from totals:
 *
 *   start ─ blocked ─┬─ connecting ─ tls_handshaking ─┬─ sending ─ waiting ─ receiving ─ end
 *                    └──── (reused connection: 0) ────┘
 *
 * - blocked: from the call until the request starts being written, minus connecting and
 *   tls_handshaking: waiting for a free connection of this VU, DNS lookup, client bookkeeping.
 * - connecting: TCP connect (SYN to established) of a new connection; 0 on a reused one.
 * - tls_handshaking: TLS handshake of a new https connection; 0 otherwise.
 * - sending: writing the request line, headers and body to the socket.
 * - waiting: from the request written until the first byte of the response (TTFB).
 * - receiving: from the first response byte until the last body byte.
 * - duration: sending + waiting + receiving (k6's http_req_duration).
 *
 * Invariant: blocked + connecting + tls_handshaking + duration = wall time of the exchange.
 */
export interface Timings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

/** All phases zero (a request that never reached the network, e.g. an invalid URL). */
export function zeroTimings(): Timings {
  return { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 };
}

/** Clamps tiny negative differences (clock reads in a different order than events) to 0. */
export function span(from: number, to: number): number {
  const d = to - from;
  return d > 0 ? d : 0;
}
