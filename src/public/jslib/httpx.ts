/**
 * jslib.k6.io's httpx (`https://jslib.k6.io/httpx/0.1.0/index.js`): a session over volley/http
 * with a base URL and default headers, params and tags. Its methods return promises, as
 * volley/http's do; in a k6 script the k6 transform awaits `session.get(...)` and friends for a
 * session made with `new Httpx(...)` (src/script/k6/transform.ts).
 *
 *   import { Httpx } from 'https://jslib.k6.io/httpx/0.1.0/index.js';
 *   const session = new Httpx({ baseURL: 'http://127.0.0.1:8080', headers: { 'x-app': 'k6' }, timeout: 20000 });
 *   const res = session.get('/items');
 */
import http, { type BatchRequest, type Params, type RequestBody, type Response } from '../../protocols/http/module.js';

export interface HttpxOptions {
  baseURL?: string;
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  /** Request timeout: ms, or a duration string ('20s'). */
  timeout?: number | string;
  [param: string]: unknown;
}

export class Httpx {
  baseURL: string;
  private headers: Record<string, string>;
  private tags: Record<string, string>;
  private params: Record<string, unknown>;

  constructor(options: HttpxOptions = {}) {
    const { baseURL, headers, tags, ...params } = options;
    this.baseURL = baseURL ?? '';
    this.headers = { ...headers };
    this.tags = { ...tags };
    this.params = params;
  }

  setBaseUrl(url: string): void {
    this.baseURL = url;
  }
  addHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  addHeaders(headers: Record<string, string>): void {
    Object.assign(this.headers, headers);
  }
  clearHeader(name: string): void {
    delete this.headers[name];
  }
  addTag(name: string, value: string): void {
    this.tags[name] = value;
  }
  addTags(tags: Record<string, string>): void {
    Object.assign(this.tags, tags);
  }
  clearTag(name: string): void {
    delete this.tags[name];
  }

  /** The session's params merged under the call's (the call's headers and tags win). */
  private merged(params: Params | null | undefined): Params {
    const p = (params ?? {}) as Params & { headers?: Record<string, string>; tags?: Record<string, string> };
    return { ...this.params, ...p, headers: { ...this.headers, ...p.headers }, tags: { ...this.tags, ...p.tags } } as Params;
  }

  private url(url: string): string {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : this.baseURL + url;
  }

  request(method: string, url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return http.request(method, this.url(url), body ?? null, this.merged(params));
  }
  get(url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return this.request('GET', url, body, params);
  }
  head(url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return this.request('HEAD', url, body, params);
  }
  options(url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return this.request('OPTIONS', url, body, params);
  }
  post(url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return this.request('POST', url, body, params);
  }
  put(url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return this.request('PUT', url, body, params);
  }
  patch(url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return this.request('PATCH', url, body, params);
  }
  delete(url: string, body?: RequestBody | null, params?: Params | null): Promise<Response> {
    return this.request('DELETE', url, body, params);
  }
  /** Requests as k6's http.batch takes them (arrays `[method, url, body, params]` or objects), relative to the base URL. */
  batch(requests: BatchRequest[]): Promise<Response[]> {
    const norm = requests.map((r): BatchRequest => {
      if (typeof r === 'string') return ['GET', this.url(r), null, this.merged(undefined)] as BatchRequest;
      if (Array.isArray(r)) {
        const [method, url, body, params] = r as [string, string, RequestBody?, Params?];
        return [method, this.url(url), body ?? null, this.merged(params)] as BatchRequest;
      }
      const o = r as { method: string; url: string; body?: RequestBody; params?: Params };
      return { ...o, url: this.url(o.url), params: this.merged(o.params) } as BatchRequest;
    });
    return http.batch(norm);
  }
}

export default { Httpx };
