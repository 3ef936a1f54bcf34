/**
 * `http.chunkedUpload()`: a multi-part upload that resumes instead of restarting. Each part is sent
 * with retries (429, 502, 503, 504 and network errors; exponential backoff with full jitter,
 * honouring Retry-After: retry.ts); a part that still fails is reported and the upload goes on with
 * the next one, as resumable upload protocols (S3 multi-part, tus) let clients do.
 *
 *   const r = await http.chunkedUpload({ parts: 20, partSize: '10mb', url: (n) => `${BASE}/api/uploads/${id}/parts/${n}` });
 *
 * Metrics: `upload_part_success` (rate: each part's final outcome, retries included) and
 * `upload_throughput` (trend: bytes per second of each upload, wall time including backoff).
 */
import { performance } from 'node:perf_hooks';
import { VolleyError, ExitCode } from '../../errors/index.js';
import type { VuContext } from '../../vu/context.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import { HTTP_UPLOAD, S_PART_SUCCESS, S_UPLOAD_THROUGHPUT } from './metrics.js';
import type { RequestBody } from './body.js';
import type { Params } from './client.js';
import type { Response } from './response.js';
import type { RetryParams } from './params.js';

export interface ChunkedUploadOptions {
  /** Number of parts (1..10000). */
  parts: number;
  /** Size of each part: bytes or '10mb' (the body is that many zero bytes, allocated once). Ignored with `body`. */
  partSize?: number | string;
  /** The body of part n (1-based), instead of `partSize` zero bytes. */
  body?: (part: number) => RequestBody;
  /** URL of part n (1-based). */
  url: (part: number) => string;
  /** Default 'PUT'. */
  method?: string;
  /** Per-part retries (default { attempts: 5, baseMs: 200, maxMs: 10000 }). */
  retry?: RetryParams;
  /** Params of every part request; tags.name defaults to '<METHOD> upload part' (one row, not one per URL). */
  params?: Params;
}

export interface ChunkedUploadResult {
  parts: number;
  partsOk: number;
  /** 1-based numbers of the parts that failed after their retries. */
  failedParts: number[];
  /** Bytes of the parts that succeeded. */
  bytes: number;
  durationMs: number;
  /** bytes / durationMs × 1000. */
  throughputBytesPerSec: number;
}

/** The slots of one HTTP_UPLOAD record (one per thread: recording is synchronous). */
const slots = new Float64Array(HTTP_UPLOAD.metrics.length);

function bad(msg: string): VolleyError {
  return new VolleyError('E_HTTP_PARAMS', `http.chunkedUpload: ${msg}`, { hint: "e.g. http.chunkedUpload({ parts: 20, partSize: '10mb', url: (n) => `${BASE}/parts/${n}` })", exitCode: ExitCode.ScriptException });
}

const zeros = new Map<number, Uint8Array>();

/** Bytes from a number or '512kb' / '10mb' (binary units). */
function sizeBytes(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(v.trim()) : null;
  return m ? Math.floor(Number(m[1]) * { b: 1, kb: 1024, mb: 1024 ** 2 }[(m[2] ?? 'b').toLowerCase() as 'b']) : undefined;
}

/** Runs the upload; `send` performs one call with params.retry (module.ts). */
export async function chunkedUpload(vu: VuContext, o: ChunkedUploadOptions, send: (method: string, url: string, body: RequestBody, params: Params) => Promise<Response>): Promise<ChunkedUploadResult> {
  if (typeof o !== 'object' || o === null) throw bad('takes an options object');
  if (!Number.isInteger(o.parts) || o.parts < 1 || o.parts > 10_000) throw bad(`parts must be a whole number from 1 to 10000, got ${String(o.parts)}`);
  if (typeof o.url !== 'function') throw bad('url must be a function of the part number');
  let fixed: Uint8Array | undefined;
  if (o.body === undefined) {
    const size = sizeBytes(o.partSize);
    if (size === undefined || size > 1024 ** 3) throw bad(`partSize must be a size from 1 byte to 1gb, such as 1mb (got ${JSON.stringify(o.partSize)})`);
    fixed = zeros.get(size);
    if (!fixed) {
      if (zeros.size > 8) zeros.clear();
      zeros.set(size, (fixed = new Uint8Array(size)));
    }
  }
  const method = (o.method ?? 'PUT').toUpperCase();
  const params: Params = {
    ...o.params,
    retry: o.retry ?? { attempts: 5, baseMs: 200, maxMs: 10_000 },
    tags: { name: `${method} upload part`, ...o.params?.tags },
  };
  const tags = vu.recorder.tagSets.with(vu.tags, { name: String(params.tags!.name), method });
  const t0 = performance.now();
  const failedParts: number[] = [];
  let bytes = 0;
  for (let n = 1; n <= o.parts; n++) {
    const body = fixed ?? o.body!(n);
    const res = await send(method, o.url(n), body, params);
    const ok = res.status >= 200 && res.status < 300;
    slots[S_PART_SUCCESS] = ok ? 1 : 0;
    slots[S_UPLOAD_THROUGHPUT] = NO_SAMPLE;
    vu.recorder.record(HTTP_UPLOAD, tags, slots);
    if (ok) bytes += fixed ? fixed.byteLength : typeof body === 'string' ? Buffer.byteLength(body) : body instanceof ArrayBuffer || ArrayBuffer.isView(body) ? body.byteLength : 0;
    else failedParts.push(n);
  }
  const durationMs = performance.now() - t0;
  const bps = durationMs > 0 ? (bytes / durationMs) * 1000 : 0;
  slots[S_PART_SUCCESS] = NO_SAMPLE;
  slots[S_UPLOAD_THROUGHPUT] = bps;
  vu.recorder.record(HTTP_UPLOAD, tags, slots);
  return { parts: o.parts, partsOk: o.parts - failedParts.length, failedParts, bytes, durationMs, throughputBytesPerSec: bps };
}
