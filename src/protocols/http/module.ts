/**
 * The user-facing HTTP module, `volley/http`: k6/http with promises. The only change for k6
 * scripts is `await`:
 *
 *   import http from 'volley/http';
 *   const res = await http.get(`${BASE}/api`, { tags: { route: '/api' } });
 */
import { currentVu, maybeCurrentVu, type VuContext } from '../../vu/context.js';
import { retryPlan, withRetry } from './retry.js';
import { chunkedUpload as runChunkedUpload, type ChunkedUploadOptions, type ChunkedUploadResult } from './upload.js';
import { batch as runBatch, type BatchRequest } from './batch.js';
import { file, FileData, type RequestBody } from './body.js';
import { doRequest, setResponseCallback as setCallback, type Params } from './client.js';
import { CookieJar } from './cookie-jar.js';
import { expectedStatuses, ExpectedStatuses } from './expected-statuses.js';
import { paramsError } from './params.js';
import type { Response } from './response.js';
import { HttpURL, url, type RequestUrl } from './url.js';
import { existingHttpState, httpState } from './vu-state.js';
import { doStream, StreamedResponse, type StreamParams } from './stream.js';
import { graphqlBodyCheck, graphqlParams, operationName, type GraphQLRequest } from './graphql.js';

export type { GraphQLRequest } from './graphql.js';

export type { Params } from './client.js';
export type { RetryParams } from './params.js';
export type { ChunkedUploadOptions, ChunkedUploadResult } from './upload.js';
export type { BatchRequest } from './batch.js';
export type { RequestBody } from './body.js';
export type { CookieOptions } from './cookie-jar.js';
export type { ResponseCallback, StatusRange } from './expected-statuses.js';
export type { Response, ResponseType, ResponseCookie, RequestInfo } from './response.js';
export type { Timings } from './timings.js';
export type { StreamParams, StreamTimings } from './stream.js';
export { StreamedResponse };
export type { RequestUrl } from './url.js';
export { CookieJar, ExpectedStatuses, FileData, HttpURL, expectedStatuses, file, url };

/** One call: a request, or with `params.retry` the attempts of one (retry.ts). */
function send(vu: VuContext, method: string, url: RequestUrl, body: RequestBody, params: Params | undefined): Promise<Response> {
  const st = httpState(vu);
  if (params?.retry === undefined) return doRequest(vu, st, method, url, body, params);
  const plan = retryPlan(params.retry);
  return withRetry(vu, plan, params.tags, (tags) => doRequest(vu, st, method, url, body, { ...params, tags }));
}

/** A multi-part upload that resumes after 429/503 (upload.ts): part success rate and throughput. */
export function chunkedUpload(opts: ChunkedUploadOptions): Promise<ChunkedUploadResult> {
  const vu = currentVu('http.chunkedUpload()');
  return runChunkedUpload(vu, opts, (method, url, body, params) => send(vu, method, url, body, params));
}

/** Any method: `http.request('PATCH', url, body, params)`. */
export function request(method: string, url: RequestUrl, body?: RequestBody, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.request()');
  return send(vu, String(method).toUpperCase(), url, body, params ?? undefined);
}

/** k6 `http.asyncRequest`: the same as `request` here (every call is async). */
export const asyncRequest = request;

/** GET. */
export function get(url: RequestUrl, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.get()');
  return send(vu, 'GET', url, null, params ?? undefined);
}
/** HEAD. */
export function head(url: RequestUrl, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.head()');
  return send(vu, 'HEAD', url, null, params ?? undefined);
}
/** POST. Objects are form-encoded (multipart with http.file()), strings and binary sent as-is. */
export function post(url: RequestUrl, body?: RequestBody, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.post()');
  return send(vu, 'POST', url, body, params ?? undefined);
}
/** PUT. */
export function put(url: RequestUrl, body?: RequestBody, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.put()');
  return send(vu, 'PUT', url, body, params ?? undefined);
}
/** PATCH. */
export function patch(url: RequestUrl, body?: RequestBody, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.patch()');
  return send(vu, 'PATCH', url, body, params ?? undefined);
}
/** DELETE (also `http.delete`). k6 allows a body. */
export function del(url: RequestUrl, body?: RequestBody, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.del()');
  return send(vu, 'DELETE', url, body, params ?? undefined);
}
/** OPTIONS. */
export function options(url: RequestUrl, body?: RequestBody, params?: Params | null): Promise<Response> {
  const vu = currentVu('http.options()');
  return send(vu, 'OPTIONS', url, body, params ?? undefined);
}

/**
 * A GraphQL request (POST, JSON body): `http.graphql(url, query, variables, params)` or
 * `http.graphql(url, { query, variables, operationName }, params)`. Recorded as HTTP with the
 * operation's name as the route name; a 2xx answer with GraphQL `errors` fails (error_code 1710),
 * as does one that is not a GraphQL response (1711). Not retried by `params.retry`.
 */
export function graphql(url: RequestUrl, query: string | GraphQLRequest, variables?: Record<string, unknown> | null, params?: Params | null): Promise<Response>;
export function graphql(url: RequestUrl, request: GraphQLRequest, params?: Params | null): Promise<Response>;
export function graphql(url: RequestUrl, query: string | GraphQLRequest, a?: Record<string, unknown> | Params | null, b?: Params | null): Promise<Response> {
  const vu = currentVu('http.graphql()');
  const req: GraphQLRequest = typeof query === 'string' ? { query, variables: (a as Record<string, unknown> | null | undefined) ?? undefined } : query;
  const params = typeof query === 'string' ? b : (a as Params | null | undefined);
  if (typeof req?.query !== 'string' || req.query.trim() === '') {
    return Promise.reject(paramsError('http.graphql(): the query must be a non-empty string', "http.graphql(url, 'query GetUser($id: ID!) { user(id: $id) { name } }', { id: 1 })"));
  }
  const op = operationName(req);
  const body = JSON.stringify({ query: req.query, ...(req.variables != null ? { variables: req.variables } : {}), ...(req.operationName ? { operationName: req.operationName } : {}) });
  return doRequest(vu, httpState(vu), 'POST', url, body, graphqlParams(op, params), graphqlBodyCheck);
}

/** Parallel requests; see BatchRequest. Limits: the `batch` and `batchPerHost` options. */
export function batch(requests: BatchRequest[]): Promise<Response[]>;
export function batch(requests: Record<string, BatchRequest>): Promise<Record<string, Response>>;
export function batch(requests: BatchRequest[] | Record<string, BatchRequest>): Promise<Response[] | Record<string, Response>> {
  const vu = currentVu('http.batch()');
  return runBatch(vu, httpState(vu), requests);
}

/**
 * A streamed request: resolves at the response head; read the body as it arrives
 * (`for await (const chunk of res)`, `params.onChunk`, `text()`, `done()`). Records `http_*` plus
 * `http_req_first_chunk` and `http_req_chunks` when the stream ends (docs/streams.md).
 */
export function stream(method: string, url: RequestUrl, body?: RequestBody, params?: StreamParams | null): Promise<StreamedResponse> {
  const vu = currentVu('http.stream()');
  return doStream(vu, String(method).toUpperCase(), url, body ?? null, params ?? undefined);
}

/** The calling VU's cookie jar (k6 `http.cookieJar()`). */
export function cookieJar(): CookieJar {
  const vu = currentVu('http.cookieJar()');
  return httpState(vu).jar;
}

/**
 * Sets which statuses count as expected (k6 `http.setResponseCallback`): inside a VU for that VU;
 * in the init context for every VU of this thread. null disables http_req_failed and the
 * expected_response tag.
 */
export function setResponseCallback(callback: ExpectedStatuses | ((status: number) => boolean) | null): void {
  const vu = maybeCurrentVu();
  setCallback(vu, vu ? (existingHttpState(vu) ?? httpState(vu)) : undefined, callback);
}

/** The module object: `import http from 'volley/http'`. */
const http = {
  request,
  asyncRequest,
  get,
  head,
  post,
  put,
  patch,
  del,
  delete: del,
  options,
  batch,
  url,
  file,
  cookieJar,
  CookieJar,
  expectedStatuses,
  setResponseCallback,
  chunkedUpload,
  stream,
  graphql,
};
export default http;
