import { VolleyError, ExitCode } from '../../errors/index.js';

/** A status range for `http.expectedStatuses`, inclusive. */
export interface StatusRange {
  min: number;
  max: number;
}

/**
 * Decides whether a response status is "expected" (k6's response callback): it sets the
 * `expected_response` tag and the `http_req_failed` rate. Status 0 (a network error) is expected
 * only when listed explicitly.
 *
 * Statuses 0..599 are answered from a lookup table (one array read per request); others by
 * scanning the ranges.
 */
export class ExpectedStatuses {
  private readonly table = new Uint8Array(600);
  private readonly ranges: StatusRange[] = [];

  /** @internal use `http.expectedStatuses()` */
  constructor(specs: readonly (number | StatusRange)[]) {
    for (const s of specs) {
      if (typeof s === 'number' && Number.isInteger(s)) {
        this.ranges.push({ min: s, max: s });
      } else if (s !== null && typeof s === 'object' && Number.isInteger(s.min) && Number.isInteger(s.max)) {
        this.ranges.push({ min: s.min, max: s.max });
      } else {
        throw new VolleyError('E_HTTP_EXPECTED_STATUSES', `http.expectedStatuses: ${JSON.stringify(s)} is neither an integer status nor a { min, max } range`, {
          hint: 'e.g. http.expectedStatuses(200, { min: 300, max: 399 })',
          exitCode: ExitCode.ScriptException,
        });
      }
    }
    for (const r of this.ranges) {
      for (let st = Math.max(0, r.min); st <= Math.min(599, r.max); st++) this.table[st] = 1;
    }
  }

  isExpected(status: number): boolean {
    if (status >= 0 && status < 600) return this.table[status] === 1;
    for (const r of this.ranges) if (status >= r.min && status <= r.max) return true;
    return false;
  }
}

/**
 * What `params.responseCallback` / `http.setResponseCallback` accept: an `expectedStatuses()`
 * result, null (no callback: no `expected_response` tag, no `http_req_failed` sample, as k6), or
 * (Volley extension) a function of the status.
 */
export type ResponseCallback = ExpectedStatuses | ((status: number) => boolean) | null;

/** k6 `http.expectedStatuses(...statuses)`: integers and { min, max } ranges. */
export function expectedStatuses(...statuses: (number | StatusRange)[]): ExpectedStatuses {
  return new ExpectedStatuses(statuses);
}

/** The default: 200-399 are expected, as in k6. */
export const DEFAULT_RESPONSE_CALLBACK = new ExpectedStatuses([{ min: 200, max: 399 }]);

/** Applies a callback; undefined when there is none. */
export function isExpected(cb: ResponseCallback, status: number): boolean | undefined {
  if (cb === null) return undefined;
  if (cb instanceof ExpectedStatuses) return cb.isExpected(status);
  return !!cb(status);
}

export function checkResponseCallback(cb: unknown, where: string): ResponseCallback {
  if (cb === null || cb instanceof ExpectedStatuses || typeof cb === 'function') return cb as ResponseCallback;
  throw new VolleyError('E_HTTP_RESPONSE_CALLBACK', `${where} must be the result of http.expectedStatuses(...), a function of the status, or null`, {
    exitCode: ExitCode.ScriptException,
  });
}
