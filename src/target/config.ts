import { z } from 'zod';
import { distribution, duration, fraction, int, obj, positive, show, size, status } from './schema-kit.js';
import { compileTemplate } from './template.js';
import { parsePathPattern } from './router.js';

/**
 * The target's configuration schema (YAML/JSON files and `startTarget({ config })`). Every key, its
 * default and unit is documented in docs/target.md; keep the two in step.
 *
 * Parsing normalises units (durations → ms, sizes → bytes) without changing shapes, so a parsed config
 * parses again to the same value (`loadTargetConfig()` output can be passed to `startTarget()`).
 */

/** Route kinds. `static` answers a configured body; the others are built-in behaviours. */
export const ROUTE_KINDS = ['static', 'echo', 'crud', 'uploads', 'jobs', 'llm-chat', 'llm-completions', 'sse', 'chunked', 'llm-messages', 'graphql'] as const;
/** A route kind (see ROUTE_KINDS). */
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** Route methods; '*' matches any method. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', '*'] as const;
/** A route method. */
export type Method = (typeof METHODS)[number];

const ms = () => duration();
const msPositive = () => duration({ positive: true });
const num = () => z.number({ error: 'expected a number' }).min(0, 'must not be negative');

/**
 * A response body: a string (text, templated), `{ text }`, `{ json: value }` (JSON, string leaves
 * templated), `{ json: { size: 1kb } }` (generated JSON of that many bytes) or
 * `{ json: { value: ... } }` (literal JSON, for values whose only key would be "size" or "value").
 */
const bodySchema = z.preprocess(
  (v) => (typeof v === 'string' ? { text: v } : v),
  obj({ text: z.string().optional(), json: z.unknown().optional() })
    .transform((b, ctx) => {
      if ((b.text === undefined) === (b.json === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'expected either text or json, e.g. { json: { size: 1kb } }' });
        return z.NEVER;
      }
      if (b.json !== undefined && isOnlyKey(b.json, 'size')) {
        const parsed = size({ min: 2 }).safeParse((b.json as { size: unknown }).size);
        if (!parsed.success) {
          for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['json', 'size'], message: i.message });
          return z.NEVER;
        }
        return { json: { size: parsed.data } };
      }
      return b;
    })
    .superRefine((b, ctx) => {
      if (b.text !== undefined) checkTemplate(b.text, ['text'], ctx);
      else if (!isOnlyKey(b.json, 'size')) {
        const value = isOnlyKey(b.json, 'value') ? (b.json as { value: unknown }).value : b.json;
        checkTemplate(JSON.stringify(value) ?? '', ['json'], ctx);
      }
    }),
);

/** Is `v` a plain object with exactly the key `k`? */
export function isOnlyKey(v: unknown, k: string): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === k;
}

function checkTemplate(text: string, path: (string | number)[], ctx: z.RefinementCtx): void {
  const t = compileTemplate(text);
  if ('error' in t) ctx.addIssue({ code: 'custom', path, message: t.error });
}

const windowShape = {
  /** Period between window starts; absent: a single window at `at`. */
  every: msPositive().optional(),
  /** Window length. */
  for: msPositive(),
  /** Start of the first window, from target start; default: `every` (one period in). */
  at: ms().optional(),
};
function checkWindow(w: { every?: number | undefined; for: number; at?: number | undefined }, ctx: z.RefinementCtx): void {
  if (w.every === undefined && w.at === undefined) ctx.addIssue({ code: 'custom', path: ['at'], message: 'a window without `every` needs `at` (when it happens)' });
  if (w.every !== undefined && w.for >= w.every) ctx.addIssue({ code: 'custom', path: ['for'], message: 'must be shorter than `every`' });
}

/** The whole service freezes during each window: requests arriving or in flight are held until it ends. */
const stallSchema = obj(windowShape).superRefine(checkWindow);

/** A "429 storm": during each window a fraction of requests is rejected with `status`. */
const stormSchema = obj({
  ...windowShape,
  rate: fraction.default(1),
  status: status.default(429),
  /** Retry-After sent during the storm; default: time left in the window (rounded up to seconds). */
  retryAfter: ms().optional(),
}).superRefine(checkWindow);

/** Token bucket: `rate` requests per `per`, bursts up to `burst`; per client key when `key` names a header. */
const rateLimitSchema = obj({
  rate: positive,
  per: msPositive().default(1000),
  burst: int(1).optional(),
  key: z.string().min(1).transform((s) => s.toLowerCase()).optional(),
  status: status.default(429),
});

/** At most `max` requests in service at once; up to `queue` more wait (FIFO); beyond that: 503. */
const concurrencySchema = obj({ max: int(1), queue: int(0).default(1000) });

const errorsSchema = obj({
  /** Fraction answered with `status` instead of the normal response. */
  rate: fraction.default(0),
  status: z.union([status, z.array(status).min(1)]).default(500),
  body: bodySchema.optional(),
  /** Fraction whose connection is reset (TCP RST) instead of an answer. */
  reset: fraction.default(0),
  /** Fraction never answered (held until the client gives up or the target closes). */
  hang: fraction.default(0),
  /** Fraction whose body drips out slowly over `for`. */
  slow: obj({ rate: fraction, for: msPositive() }).optional(),
}).superRefine((e, ctx) => {
  if (e.rate + e.reset + e.hang + (e.slow?.rate ?? 0) > 1) ctx.addIssue({ code: 'custom', message: 'rate + reset + hang + slow.rate must not exceed 1' });
});

const crudSchema = obj({
  /** Items present at start (ids assigned when missing). */
  seed: z.array(z.record(z.string(), z.unknown())).default([]),
  maxItems: int(1).default(10_000),
  /** Prefix of generated ids ("exp_" → "exp_1"). */
  idPrefix: z.string().default(''),
  /** Largest accepted JSON body. */
  maxSize: size().default(1024 * 1024),
});

const uploadsSchema = obj({
  /** Largest part accepted (413 beyond). */
  maxPartSize: size().default(16 * 1024 * 1024),
  /** Uploads kept in memory (metadata only; the oldest are forgotten first). */
  maxUploads: int(1).default(1000),
  /** Fraction of part requests refused with `status` and Retry-After. */
  throttle: obj({ rate: fraction, status: status.default(503), retryAfter: ms().default(1000) }).optional(),
});

const jobsSchema = obj({
  /** Pipeline stages in order: each completes `after` ms (a distribution) after the previous one. */
  stages: z
    .array(obj({ name: z.string().regex(/^[A-Za-z][\w-]*$/, 'a stage name is a word such as transcribe'), after: distribution(ms) }))
    .min(1, 'a jobs route needs at least one stage')
    .default([{ name: 'ready', after: { lognormal: { p50: 500, p99: 2000 } } }]),
  /** How GET answers a job that is not ready: `status` (200, status pending) or `not-found` (404 until visible). */
  pending: z.enum(['status', 'not-found'], { error: 'expected status or not-found' }).default('status'),
  /** Fraction of jobs that fail (at a uniformly chosen stage). */
  failRate: fraction.default(0),
  /** Jobs kept in memory (the oldest are forgotten first). */
  maxJobs: int(1).default(10_000),
});

const llmSchema = obj({
  model: z.string().default('volley-sim-1'),
  /** Time to first token (ms). */
  ttft: distribution(ms).default({ lognormal: { p50: 250, p99: 1000 } }),
  /** Tokens per second after the first, sampled once per response. */
  tokensPerSecond: distribution(() => positive).default({ normal: { mean: 60, stddev: 10, min: 5 } }),
  /** Output length in tokens when the request does not set max_tokens. */
  outputTokens: distribution(num).default({ uniform: [50, 250] }),
  /** exact: max_tokens sets the output length; cap: it only caps the sampled length. */
  maxTokens: z.enum(['exact', 'cap']).default('exact'),
  /** strict: require OpenAI's request shape (messages / prompt); else any JSON object. */
  strict: z.boolean().default(true),
});

const sseSchema = obj({
  events: int(1).default(10),
  interval: distribution(ms).default({ fixed: 100 }),
  /** `event:` field; none by default (clients see "message"). */
  event: z.string().optional(),
  /** `data:` payload, templated ({{seq}} is the event number). */
  data: z.string().default('{"seq":{{seq}},"time":"{{now}}"}'),
  /** `retry:` hint sent first, in ms. */
  retry: ms().optional(),
});

const chunkedSchema = obj({ chunks: int(1).default(10), size: size({ min: 1 }).default(1024), interval: distribution(ms).default({ fixed: 50 }) });

const requestBodySchema = obj({ json: z.boolean().default(false), maxSize: size().default(1024 * 1024) });

const KIND_BLOCKS: Record<string, readonly RouteKind[]> = {
  crud: ['crud'],
  uploads: ['uploads'],
  jobs: ['jobs'],
  llm: ['llm-chat', 'llm-completions', 'llm-messages'],
  sse: ['sse'],
  chunked: ['chunked'],
};

/** One route. Cross-field checks (kind blocks, template parameters, header names) run after the fields are valid. */
export const routeSchema = obj({
  method: z
    .preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(METHODS, { error: `expected one of ${METHODS.join(', ')}` }))
    .optional(),
  path: z.string({ error: 'expected a path such as /api/items/:id' }).superRefine((path, ctx) => {
    const p = parsePathPattern(path);
    if ('error' in p) ctx.addIssue({ code: 'custom', message: p.error });
  }),
  /** Label in stats and metrics; default "METHOD path". */
  name: z.string().min(1).optional(),
  kind: z.enum(ROUTE_KINDS, { error: `expected one of ${ROUTE_KINDS.join(', ')}` }).default('static'),
  status: status.default(200),
  headers: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  body: bodySchema.optional(),
  requestBody: requestBodySchema.optional(),
  latency: distribution(ms).optional(),
  errors: errorsSchema.optional(),
  rateLimit: rateLimitSchema.optional(),
  storms: z.array(stormSchema).optional(),
  concurrency: concurrencySchema.optional(),
  crud: crudSchema.optional(),
  uploads: uploadsSchema.optional(),
  jobs: jobsSchema.optional(),
  llm: llmSchema.optional(),
  sse: sseSchema.optional(),
  chunked: chunkedSchema.optional(),
}).superRefine((r, ctx) => {
  const p = parsePathPattern(r.path);
  for (const [block, kinds] of Object.entries(KIND_BLOCKS)) {
    if ((r as Record<string, unknown>)[block] !== undefined && !kinds.includes(r.kind)) {
      ctx.addIssue({ code: 'custom', path: [block], message: `only for kind ${kinds.join(' or ')} (this route's kind is ${r.kind})` });
    }
  }
  if ((r.kind === 'crud' || r.kind === 'uploads' || r.kind === 'jobs') && r.method !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['method'], message: `a ${r.kind} route declares all its methods itself; remove method` });
  }
  if ('error' in p) return;
  for (const [where, text] of templatesOf(r)) {
    const t = compileTemplate(text);
    if ('error' in t) continue;
    for (const v of t.variables) {
      if (v.startsWith('params.') && !p.params.includes(v.slice(7))) {
        ctx.addIssue({ code: 'custom', path: where, message: `{{${v}}}: path ${r.path} has no :${v.slice(7)} (params: ${p.params.join(', ') || 'none'})` });
      }
    }
  }
  if (r.headers) {
    for (const h of Object.keys(r.headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h)) ctx.addIssue({ code: 'custom', path: ['headers', h], message: 'not a valid header name' });
    }
  }
});

function templatesOf(r: { body?: { text?: string | undefined; json?: unknown } | undefined; errors?: { body?: { text?: string | undefined; json?: unknown } | undefined } | undefined }): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  const add = (path: (string | number)[], b: { text?: string | undefined; json?: unknown } | undefined) => {
    if (!b) return;
    if (b.text !== undefined) out.push([[...path, 'text'], b.text]);
    else if (!isOnlyKey(b.json, 'size')) out.push([[...path, 'json'], JSON.stringify(b.json) ?? '']);
  };
  add(['body'], r.body);
  add(['errors', 'body'], r.errors?.body);
  return out;
}

/** The whole target config. Defaults: no routes (→ demo profile), no stalls or storms, no service-wide limits. */
export const targetConfigSchema = obj({
  /** Seed for the target's random decisions (latency samples, injected errors); default: random. */
  seed: z.number({ error: 'expected a number' }).int('expected a whole number').optional(),
  /** demo: start from the demo product API and add `routes`; none: only `routes`. Default: demo when routes is empty. */
  profile: z.enum(['demo', 'none'], { error: 'expected demo or none' }).optional(),
  routes: z.array(routeSchema, { error: 'expected a list of routes' }).default([]),
  stalls: z.array(stallSchema, { error: 'expected a list like [{ every: 30s, for: 2s }]' }).default([]),
  storms: z.array(stormSchema, { error: 'expected a list like [{ every: 60s, for: 5s }]' }).default([]),
  /** Service-wide capacity (each route may add its own). */
  concurrency: concurrencySchema.optional(),
  /** Service-wide rate limit (each route may add its own). */
  rateLimit: rateLimitSchema.optional(),
  server: obj({
    keepAliveTimeout: ms().default(5000),
    /** Largest request head accepted; beyond it the request gets 400. */
    maxHeaderSize: size({ min: 1024 }).default(16 * 1024),
  }).default({ keepAliveTimeout: 5000, maxHeaderSize: 16 * 1024 }),
}).superRefine((c, ctx) => {
  const seen = new Map<string, number>();
  c.routes.forEach((r, i) => {
    const key = `${r.method ?? '(default)'} ${r.path.replace(/:[^/]+/g, ':')}`;
    const prev = seen.get(key);
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['routes', i], message: `same method and path as routes[${prev}] (${r.method ?? ''} ${r.path})`.replace('  ', ' ') });
    else seen.set(key, i);
  });
});

/** A target configuration as written by a user (durations as "300ms" or ms, sizes as "1kb" or bytes). */
export type TargetConfig = z.input<typeof targetConfigSchema>;
/** The validated form: defaults filled, durations in ms, sizes in bytes. */
export type NormalizedConfig = z.output<typeof targetConfigSchema>;
/** One validated route (defaults filled, units normalised). */
export type NormalizedRoute = z.output<typeof routeSchema>;
/** One route as written by a user. */
export type RouteConfig = z.input<typeof routeSchema>;
/** Normalised parts of the config, by block (ms and bytes). */
export type WindowConfig = z.output<typeof stallSchema>;
export type StormConfig = z.output<typeof stormSchema>;
export type RateLimitConfig = z.output<typeof rateLimitSchema>;
export type ConcurrencyConfig = z.output<typeof concurrencySchema>;
export type ErrorsConfig = z.output<typeof errorsSchema>;
export type BodyConfig = z.output<typeof bodySchema>;
export type LlmConfig = z.output<typeof llmSchema>;
export type SseConfig = z.output<typeof sseSchema>;
export type ChunkedConfig = z.output<typeof chunkedSchema>;
export type CrudConfig = z.output<typeof crudSchema>;
export type UploadsConfig = z.output<typeof uploadsSchema>;
/** A jobs route's block, normalised. */
export type JobsConfig = z.output<typeof jobsSchema>;

export { show };
