import { randomBytes } from 'node:crypto';
import type { UploadsConfig } from './config.js';
import type { TargetResponse, Handler } from './context.js';
import { sendError, sendJson } from './respond.js';

/**
 * kind: uploads — multi-part uploads in the style of S3/GCS resumable uploads. Part bodies are
 * streamed and counted, never buffered, so 10 MB parts cost one socket buffer of memory each.
 *
 *   POST /path                         init → 201 { uploadId, maxPartSize, partUrl, finalizeUrl }
 *   PUT  /path/:uploadId/parts/:part   (POST too) part 1..10000 → 200 { uploadId, part, bytes, etag }
 *   POST /path/:uploadId/finalize      → 200 { uploadId, parts, bytes }; 400 when parts are missing
 *   GET  /path/:uploadId               status → { uploadId, parts, bytes, finalized }
 *   POST /path/direct                  one-shot upload of any body (raw or multipart/form-data) → 201 { bytes }
 *
 * Only metadata is kept (sizes per part), for the newest `maxUploads` uploads. Throttling
 * (uploads.throttle) refuses part requests before their body is read.
 */
interface Upload {
  id: string;
  createdAt: string;
  parts: Map<number, number>;
  finalized: boolean;
}

/** Highest part number accepted (as S3). */
export const MAX_PART_NUMBER = 10_000;

/** The uploads of one uploads route and the handlers of its expanded routes. */
export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private nextId = 1;

  constructor(
    readonly basePath: string,
    private readonly cfg: UploadsConfig,
  ) {}

  reset(): void {
    this.uploads.clear();
    this.nextId = 1;
  }

  handlers(): Record<'init' | 'part' | 'finalize' | 'status' | 'direct', Handler> {
    return {
      init: { respond: (res) => this.init(res) },
      part: { respond: (res) => this.part(res) },
      finalize: { respond: (res) => this.finalize(res) },
      status: { respond: (res) => this.status(res) },
      direct: { respond: (res) => sendJson(res, 201, { bytes: res.req.bodyBytes, contentType: res.header('content-type') || null, requestId: res.requestId }) },
    };
  }

  private init(res: TargetResponse): void {
    if (this.uploads.size >= this.cfg.maxUploads) this.uploads.delete(this.uploads.keys().next().value!);
    const id = `up_${(this.nextId++).toString(36)}${randomBytes(3).toString('hex')}`;
    this.uploads.set(id, { id, createdAt: new Date().toISOString(), parts: new Map(), finalized: false });
    sendJson(res, 201, {
      uploadId: id,
      maxPartSize: this.cfg.maxPartSize,
      partUrl: `${this.basePath}/${id}/parts/{part}`,
      finalizeUrl: `${this.basePath}/${id}/finalize`,
    });
  }

  private part(res: TargetResponse): void {
    const up = this.find(res);
    if (!up) return;
    const n = Number(res.params?.['part']);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) return sendError(res, 400, `part must be a whole number from 1 to ${MAX_PART_NUMBER}`, undefined, 'invalid_part');
    if (up.finalized) return sendError(res, 409, `upload ${up.id} is already finalized`, undefined, 'conflict');
    const bytes = res.req.bodyBytes;
    up.parts.set(n, bytes);
    sendJson(res, 200, { uploadId: up.id, part: n, bytes, etag: `"${up.id}-${n}-${bytes}"` });
  }

  private finalize(res: TargetResponse): void {
    const up = this.find(res);
    if (!up) return;
    if (up.parts.size === 0) return sendError(res, 400, `upload ${up.id} has no parts`, undefined, 'no_parts');
    const numbers = [...up.parts.keys()].sort((a, b) => a - b);
    const missing = numbers.findIndex((p, i) => p !== i + 1);
    if (missing >= 0) return sendError(res, 400, `upload ${up.id} is missing part ${missing + 1}`, undefined, 'missing_part');
    up.finalized = true;
    sendJson(res, 200, { uploadId: up.id, parts: up.parts.size, bytes: sum(up.parts.values()), finalized: true });
  }

  private status(res: TargetResponse): void {
    const up = this.find(res);
    if (!up) return;
    sendJson(res, 200, { uploadId: up.id, createdAt: up.createdAt, parts: up.parts.size, bytes: sum(up.parts.values()), finalized: up.finalized });
  }

  private find(res: TargetResponse): Upload | undefined {
    const id = res.params?.['uploadId'] ?? '';
    const up = this.uploads.get(id);
    if (!up) sendError(res, 404, `no upload ${id}`, undefined, 'not_found');
    return up;
  }
}

function sum(xs: Iterable<number>): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
