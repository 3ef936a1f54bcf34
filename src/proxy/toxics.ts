/**
 * Toxics: TCP faults in Toxiproxy's vocabulary and wire format (github.com/Shopify/toxiproxy,
 * `toxics/*.go`, `toxic_collection.go`). A toxic acts on one direction of every connection of a proxy:
 * `upstream` is client → server, `downstream` (the default) server → client. `toxicity` (default 1)
 * is the probability that a connection is affected, drawn once per connection and toxic.
 *
 * | type         | attributes                                 | effect                                                        |
 * |--------------|--------------------------------------------|---------------------------------------------------------------|
 * | `latency`    | `latency` ms, `jitter` ms                  | each chunk delayed by latency ± jitter (uniform), pipelined    |
 * | `bandwidth`  | `rate` KB/s (1 KB = 1000 bytes)            | throughput capped                                             |
 * | `slow_close` | `delay` ms                                 | the close (FIN) is delayed                                    |
 * | `timeout`    | `timeout` ms                               | data is dropped; the connection is closed after `timeout` (0: never, data dropped until removed) |
 * | `reset_peer` | `timeout` ms                               | on the next data, wait `timeout`, then reset both sides (TCP RST) |
 * | `slicer`     | `average_size`, `size_variation` bytes, `delay` µs | chunks are cut in small slices, `delay` apart          |
 * | `limit_data` | `bytes`                                    | the connection is closed once `bytes` went through           |
 *
 * `down` is not a toxic in Toxiproxy either: it is the proxy's `enabled: false` (see proxy.ts).
 */

export const TOXIC_TYPES = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];
export type Stream = 'upstream' | 'downstream';

/** Attribute names and defaults per type (Toxiproxy's Go zero values). */
export const TOXIC_ATTRIBUTES: Record<ToxicType, Record<string, number>> = {
  latency: { latency: 0, jitter: 0 },
  bandwidth: { rate: 0 },
  slow_close: { delay: 0 },
  timeout: { timeout: 0 },
  reset_peer: { timeout: 0 },
  slicer: { average_size: 0, size_variation: 0, delay: 0 },
  limit_data: { bytes: 0 },
};

/** A toxic as the API shows it. Objects are replaced, never mutated, so a link can key state by identity. */
export interface Toxic {
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: Stream;
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** An error in Toxiproxy's API shape (`{"error": "...", "status": 400}`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function isToxicType(t: unknown): t is ToxicType {
  return typeof t === 'string' && (TOXIC_TYPES as readonly string[]).includes(t);
}

function attributesOf(type: ToxicType, given: unknown, base: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...TOXIC_ATTRIBUTES[type], ...base };
  if (given === undefined || given === null) return out;
  if (typeof given !== 'object' || Array.isArray(given)) throw new ApiError('bad request body: attributes must be an object', 400);
  for (const [k, v] of Object.entries(given)) {
    if (!(k in TOXIC_ATTRIBUTES[type])) continue; // Go's JSON decoder ignores unknown fields too
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ApiError(`bad request body: attribute ${k} of a ${type} toxic must be a number ≥ 0, got ${JSON.stringify(v)}`, 400);
    out[k] = v;
  }
  return out;
}

/** Parses the body of `POST /proxies/{name}/toxics` (Toxiproxy's defaults: downstream, toxicity 1, name `type_stream`). */
export function parseToxic(body: unknown): Toxic {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('bad request body: expected a JSON object', 400);
  const b = body as Record<string, unknown>;
  const stream = b.stream ?? 'downstream';
  if (stream !== 'upstream' && stream !== 'downstream') throw new ApiError('stream was invalid, can be either upstream or downstream', 400);
  if (!isToxicType(b.type)) throw new ApiError(`invalid toxic type: ${JSON.stringify(b.type)} (one of ${TOXIC_TYPES.join(', ')})`, 400);
  const toxicity = b.toxicity ?? 1;
  if (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1)) throw new ApiError(`bad request body: toxicity must be a number in [0, 1], got ${JSON.stringify(toxicity)}`, 400);
  const name = b.name === undefined || b.name === '' ? `${b.type}_${stream}` : b.name;
  if (typeof name !== 'string') throw new ApiError('bad request body: name must be a string', 400);
  return { name, type: b.type, stream, toxicity, attributes: attributesOf(b.type, b.attributes, {}) };
}

/** Applies the body of `POST|PATCH /proxies/{name}/toxics/{toxic}`: attributes and toxicity change, not type or stream. */
export function updateToxic(t: Toxic, body: unknown): Toxic {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('bad request body: expected a JSON object', 400);
  const b = body as Record<string, unknown>;
  const toxicity = b.toxicity ?? t.toxicity;
  if (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1)) throw new ApiError(`bad request body: toxicity must be a number in [0, 1], got ${JSON.stringify(toxicity)}`, 400);
  return { ...t, toxicity, attributes: attributesOf(t.type, b.attributes, t.attributes) };
}
