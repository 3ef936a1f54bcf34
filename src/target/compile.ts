import { compileBody, type CompiledBody } from './body.js';
import { routeSchema, type ErrorsConfig, type NormalizedConfig, type NormalizedRoute } from './config.js';
import { BodyMode, type TargetResponse, type CompiledErrors, type CompiledRoute, type CompiledStorms, type Handler } from './context.js';
import { Limiter } from './concurrency.js';
import { CrudStore } from './crud.js';
import { echoHandler, staticHandler } from './handlers.js';
import { compileDistribution } from './latency.js';
import { LlmHandler } from './llm.js';
import { RateLimiter } from './rate-limit.js';
import { compileStorms, type Service } from './service.js';
import { ChunkedHandler, SseHandler } from './streams.js';
import { UploadStore } from './uploads.js';
import { JobStore } from './jobs.js';
import { graphqlHandler } from './graphql.js';

/**
 * Turns validated route configs into compiled routes. `crud` and `uploads` routes expand into several
 * (one per method/path, each with its own stats) sharing one store, one rate limiter and one
 * concurrency limit.
 */

/** Something holding state that `POST /__volley/reset?state=1` puts back to its start. */
export interface Resettable {
  reset(): void;
}

/** Compiled routes in precedence order, and the stores a state reset puts back. */
export interface BuiltRoutes {
  routes: CompiledRoute[];
  stores: Resettable[];
}

const MB = 1024 * 1024;
/** Body limit of routes that only discard their body. */
const DISCARD_LIMIT = 1024 * MB;

const DEFAULT_METHOD: Record<string, string> = {
  static: 'GET',
  echo: '*',
  'llm-chat': 'POST',
  'llm-completions': 'POST',
  'llm-messages': 'POST',
  sse: 'GET',
  chunked: 'GET',
};

/** Compiles every route of a validated config (kinds expanded, defaults applied). */
export function buildRoutes(cfg: NormalizedConfig, svc: Service): BuiltRoutes {
  const routes: CompiledRoute[] = [];
  const stores: Resettable[] = [];
  for (const rc of cfg.routes) {
    const shared = sharedParts(rc, svc);
    const add = (method: string, path: string, handler: Handler, bodyMode: BodyMode, bodyLimit: number, extra: Partial<CompiledRoute> = {}) => {
      const label = rc.name !== undefined ? (rc.kind === 'crud' || rc.kind === 'uploads' || rc.kind === 'jobs' ? `${rc.name} ${method} ${path.slice(rc.path.length) || '/'}` : rc.name) : `${method} ${path}`;
      routes.push(makeRoute(svc, { ...shared, name: label, method, path, kind: rc.kind, handler, bodyMode, bodyLimit, ...extra }));
    };
    const base = rc.path.length > 1 && rc.path.endsWith('/') ? rc.path.slice(0, -1) : rc.path;
    switch (rc.kind) {
      case 'crud': {
        const store = new CrudStore(base, rc.crud ?? defaultsOf('crud'));
        stores.push(store);
        const h = store.handlers();
        const limit = (rc.crud ?? defaultsOf('crud')).maxSize;
        add('GET', base, h.list, BodyMode.None, 0);
        add('POST', base, h.create, BodyMode.Json, limit);
        add('GET', `${base}/:id`, h.read, BodyMode.None, 0);
        add('PUT', `${base}/:id`, h.replace, BodyMode.Json, limit);
        add('PATCH', `${base}/:id`, h.patch, BodyMode.Json, limit);
        add('DELETE', `${base}/:id`, h.delete, BodyMode.None, 0);
        break;
      }
      case 'uploads': {
        const ucfg = rc.uploads ?? defaultsOf('uploads');
        const store = new UploadStore(base, ucfg);
        stores.push(store);
        const h = store.handlers();
        const throttle: CompiledStorms | null = ucfg.throttle
          ? { schedule: null, rate: [ucfg.throttle.rate], status: [ucfg.throttle.status], retryAfterMs: [ucfg.throttle.retryAfter] }
          : null;
        const partExtra = { throttle };
        add('POST', base, h.init, BodyMode.Discard, MB);
        add('POST', `${base}/direct`, h.direct, BodyMode.Count, ucfg.maxPartSize, partExtra);
        add('PUT', `${base}/:uploadId/parts/:part`, h.part, BodyMode.Count, ucfg.maxPartSize, partExtra);
        add('POST', `${base}/:uploadId/parts/:part`, h.part, BodyMode.Count, ucfg.maxPartSize, partExtra);
        add('POST', `${base}/:uploadId/finalize`, h.finalize, BodyMode.Discard, MB);
        add('GET', `${base}/:uploadId`, h.status, BodyMode.None, 0);
        break;
      }
      case 'jobs': {
        const store = new JobStore(base, rc.jobs ?? defaultsOf('jobs'));
        stores.push(store);
        const h = store.handlers();
        add('POST', base, h.submit, BodyMode.Discard, MB);
        add('GET', `${base}/:jobId`, h.status, BodyMode.None, 0);
        break;
      }
      case 'llm-chat':
      case 'llm-completions':
      case 'llm-messages': {
        const h = new LlmHandler(rc.llm ?? defaultsOf('llm'), rc.kind === 'llm-chat' ? 'chat' : rc.kind === 'llm-messages' ? 'messages' : 'completions');
        add(rc.method ?? 'POST', base, h, BodyMode.Json, rc.requestBody?.maxSize ?? MB);
        break;
      }
      case 'sse':
      case 'chunked': {
        const h = rc.kind === 'sse' ? new SseHandler(rc.sse ?? defaultsOf('sse')) : new ChunkedHandler(rc.chunked ?? defaultsOf('chunked'));
        const method = rc.method ?? 'GET';
        add(method, base, h, hasBody(method) ? BodyMode.Discard : BodyMode.None, DISCARD_LIMIT);
        break;
      }
      case 'graphql': {
        add(rc.method ?? 'POST', base, graphqlHandler, BodyMode.Json, rc.requestBody?.maxSize ?? MB);
        break;
      }
      case 'echo': {
        add(rc.method ?? '*', base, echoHandler, BodyMode.Text, rc.requestBody?.maxSize ?? MB);
        break;
      }
      case 'static': {
        const method = rc.method ?? DEFAULT_METHOD[rc.kind]!;
        const mode = rc.requestBody?.json ? BodyMode.Json : hasBody(method) || rc.requestBody ? BodyMode.Discard : BodyMode.None;
        const body = rc.status === 204 || rc.status === 304 ? compileBody({ text: '' }) : compileBody(rc.body);
        const headers: Record<string, string> = { 'content-type': body.contentType, ...lowerKeys(rc.headers) };
        if (body.buf !== null) headers['content-length'] = String(body.buf.length);
        const fast = mode === BodyMode.None && shared.latency === null && shared.errors === null && shared.rateLimiter === null && shared.storms === null && shared.limiter === null;
        add(method, base, staticHandler, mode, rc.requestBody?.maxSize ?? (mode === BodyMode.Json ? MB : DISCARD_LIMIT), { body, headers, fast });
        break;
      }
    }
  }
  return { routes, stores };
}

/** Parts shared by all the routes a config route expands to. */
function sharedParts(rc: NormalizedRoute, svc: Service) {
  return {
    status: rc.status,
    headers: lowerKeys(rc.headers),
    latency: rc.latency ? compileDistribution(rc.latency) : null,
    errors: rc.errors ? compileErrors(rc.errors) : null,
    rateLimiter: rc.rateLimit ? new RateLimiter(rc.rateLimit, svc.origin) : null,
    rateStatus: rc.rateLimit?.status ?? 429,
    storms: compileStorms(rc.storms, svc.origin),
    limiter: rc.concurrency ? new Limiter<TargetResponse>(rc.concurrency.max, rc.concurrency.queue, svc.onRouteSlot) : null,
  };
}

function makeRoute(svc: Service, p: Partial<CompiledRoute> & Pick<CompiledRoute, 'name' | 'method' | 'path' | 'kind' | 'handler'>): CompiledRoute {
  return {
    name: p.name,
    method: p.method,
    path: p.path,
    kind: p.kind,
    internal: p.internal ?? false,
    stats: p.stats ?? svc.stats.route(p.name, p.method, p.path),
    status: p.status ?? 200,
    headers: p.headers ?? {},
    body: p.body ?? null,
    bodyMode: p.bodyMode ?? BodyMode.None,
    bodyLimit: p.bodyLimit ?? 0,
    latency: p.latency ?? null,
    errors: p.errors ?? null,
    rateLimiter: p.rateLimiter ?? null,
    rateStatus: p.rateStatus ?? 429,
    storms: p.storms ?? null,
    throttle: p.throttle ?? null,
    limiter: p.limiter ?? null,
    handler: p.handler,
    fast: p.fast ?? false,
    rng: svc.routeRng(`${p.method} ${p.path}`),
    seq: 0,
  };
}

/** A route outside the user's config (internal endpoints, the unmatched bucket). */
export function internalRoute(svc: Service, name: string, method: string, path: string, handler: Handler, stats?: CompiledRoute['stats']): CompiledRoute {
  return makeRoute(svc, { name, method, path, kind: 'internal', handler, internal: true, ...(stats ? { stats } : { stats: svc.stats.unmatched }) });
}

function compileErrors(e: ErrorsConfig): CompiledErrors | null {
  const slowRate = e.slow?.rate ?? 0;
  if (e.rate + e.reset + e.hang + slowRate === 0) return null;
  const body: CompiledBody | null = e.body ? compileBody(e.body) : null;
  return {
    statusBelow: e.rate,
    statuses: Array.isArray(e.status) ? e.status : [e.status],
    body,
    resetBelow: e.rate + e.reset,
    hangBelow: e.rate + e.reset + e.hang,
    slowBelow: e.rate + e.reset + e.hang + slowRate,
    slowMs: e.slow?.for ?? 0,
  };
}

function hasBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === '*';
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** Default block of a kind (the schema's defaults), for routes that omit it. */
function defaultsOf<K extends 'crud' | 'uploads' | 'jobs' | 'llm' | 'sse' | 'chunked'>(k: K): NonNullable<NormalizedRoute[K]> {
  const r = routeSchema.parse({ path: '/', kind: k === 'llm' ? 'llm-chat' : k, [k]: {} });
  return r[k] as NonNullable<NormalizedRoute[K]>;
}
