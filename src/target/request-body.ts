import { BodyMode, type TargetRequest, type TargetResponse } from './context.js';
import { abort, sendError } from './respond.js';

/**
 * Reading request bodies without closures: listeners are module functions that find their state on
 * the request object (`this`). Modes (see BodyMode): discard, JSON, text, or count-only for uploads,
 * which never holds more than one chunk in memory whatever the body size.
 *
 * When the body is complete the pipeline continues with `res.svc.advance(res)`.
 */
export function readBody(res: TargetResponse, mode: BodyMode, limit: number): void {
  const req = res.req;
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    tooLarge(res, limit);
    return;
  }
  req.tres = res;
  req.bodyMode = mode;
  req.bodyLimit = limit;
  if (mode === BodyMode.Json || mode === BodyMode.Text) req.bodyChunks = [];
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
}

function onData(this: TargetRequest, chunk: Buffer): void {
  if (this.bodyRejected) return;
  this.bodyBytes += chunk.length;
  if (this.bodyBytes > this.bodyLimit) {
    this.bodyRejected = true;
    this.bodyChunks = null;
    tooLarge(this.tres!, this.bodyLimit);
    return;
  }
  if (this.bodyChunks !== null) this.bodyChunks.push(chunk);
}

function onEnd(this: TargetRequest): void {
  if (this.bodyRejected) return;
  const res = this.tres!;
  if (res.settled) return;
  const chunks = this.bodyChunks;
  if (chunks !== null) {
    this.bodyChunks = null;
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    if (this.bodyMode === BodyMode.Text) res.jsonBody = text;
    else if (text.trim() !== '') {
      try {
        res.jsonBody = JSON.parse(text);
      } catch (e) {
        sendError(res, 400, `invalid JSON body: ${(e as Error).message}`, undefined, 'invalid_json');
        return;
      }
    }
  }
  res.svc!.advance(res);
}

function onClose(this: TargetRequest): void {
  const res = this.tres!;
  if (!this.complete && !res.settled) abort(res);
}

function tooLarge(res: TargetResponse, limit: number): void {
  if (res.settled || res.headersSent) return;
  // Tell the client to stop sending: the connection closes after this answer.
  sendError(res, 413, `request body larger than ${limit} bytes`, { connection: 'close' }, 'body_too_large');
}
