import { VolleyError, ExitCode } from '../../errors/index.js';
import type { VuContext } from '../../vu/context.js';
import type { RequestBody } from './body.js';
import { doRequest, type Params } from './client.js';
import type { Response } from './response.js';
import { HttpURL, parseTarget, type RequestUrl } from './url.js';
import type { HttpVuState } from './vu-state.js';

/** One request of a batch: a URL (GET), [method, url, body?, params?], or { method, url, body?, params? }. */
export type BatchRequest =
  | RequestUrl
  | [method: string, url: RequestUrl, body?: RequestBody, params?: Params | null]
  | { method?: string; url: RequestUrl; body?: RequestBody; params?: Params | null };

interface Item {
  method: string;
  url: RequestUrl;
  body: RequestBody;
  params: Params | undefined;
  host: string;
}

function normalize(r: BatchRequest, key: string): Item {
  let method = 'GET';
  let url: RequestUrl;
  let body: RequestBody = null;
  let params: Params | undefined;
  if (typeof r === 'string' || r instanceof URL || r instanceof HttpURL) url = r;
  else if (Array.isArray(r)) {
    if (r.length < 2) throw batchError(key, 'an array request needs at least [method, url]');
    method = String(r[0]);
    url = r[1];
    body = r[2];
    params = r[3] ?? undefined;
  } else if (r !== null && typeof r === 'object' && 'url' in r) {
    if (r.method !== undefined) method = String(r.method);
    url = r.url;
    body = r.body;
    params = r.params ?? undefined;
  } else {
    throw batchError(key, 'a request is a URL, [method, url, body?, params?] or { method, url, body?, params? }');
  }
  const s = url instanceof HttpURL ? url.url : url instanceof URL ? url.href : String(url);
  const host = parseTarget(s)?.host ?? '';
  return { method: method.toUpperCase(), url, body, params, host };
}

function batchError(key: string, msg: string): VolleyError {
  return new VolleyError('E_HTTP_BATCH', `http.batch: request ${key}: ${msg}`, { exitCode: ExitCode.ScriptException });
}

/**
 * Runs requests in parallel (k6 `http.batch`), at most `batch` at once overall and `batchPerHost`
 * per host (options; defaults 20 and 6). Requests start in the given order as slots free up; a
 * request whose host is at its limit lets later requests to other hosts go first. Returns the
 * responses in the same shape (array or object) as the input.
 */
export async function batch(vu: VuContext, st: HttpVuState, requests: BatchRequest[] | Record<string, BatchRequest>): Promise<Response[] | Record<string, Response>> {
  if (requests === null || typeof requests !== 'object') {
    throw new VolleyError('E_HTTP_BATCH', 'http.batch expects an array or an object of requests', { exitCode: ExitCode.ScriptException });
  }
  const isArray = Array.isArray(requests);
  const keys = isArray ? requests.map((_, i) => String(i)) : Object.keys(requests);
  const items = keys.map((k) => normalize((requests as Record<string, BatchRequest>)[k]!, k));
  const results: Response[] = new Array(items.length);
  const limit = st.options.batch;
  const perHost = st.options.batchPerHost;

  await new Promise<void>((resolve, reject) => {
    const perHostActive = new Map<string, number>();
    const pending: number[] = items.map((_, i) => i);
    let active = 0;
    let finished = 0;
    let failed = false;

    const pump = (): void => {
      for (let j = 0; j < pending.length && active < limit; ) {
        const i = pending[j]!;
        const host = items[i]!.host;
        const h = perHostActive.get(host) ?? 0;
        if (h >= perHost) {
          j++;
          continue;
        }
        pending.splice(j, 1);
        active++;
        perHostActive.set(host, h + 1);
        const it = items[i]!;
        doRequest(vu, st, it.method, it.url, it.body, it.params).then(
          (res) => {
            results[i] = res;
            active--;
            perHostActive.set(host, perHostActive.get(host)! - 1);
            if (++finished === items.length) resolve();
            else if (!failed) pump();
          },
          (err: unknown) => {
            // A thrown error (throw option, bad params, VU stop) fails the whole batch, as in k6.
            if (!failed) {
              failed = true;
              reject(err);
            }
          },
        );
      }
    };
    if (items.length === 0) resolve();
    else pump();
  });

  if (isArray) return results;
  const out: Record<string, Response> = {};
  keys.forEach((k, i) => (out[k] = results[i]!));
  return out;
}
