/**
 * One HTTP POST for the push outputs, on node:http with the output's own keep-alive agent (so the
 * connection is reused between pushes and closed at `stop()`, and nothing global keeps sockets).
 */
import http from 'node:http';
import https from 'node:https';
import { PushError } from './monitoring-queue.js';

/** Bytes of an error response body kept for the warning. */
const ERROR_BODY_BYTES = 300;

/** A keep-alive agent for one output; `destroy()` it at stop. */
export function pushAgent(url: URL): http.Agent {
  const opts = { keepAlive: true, maxSockets: 1, keepAliveMsecs: 1000 };
  return url.protocol === 'https:' ? new https.Agent(opts) : new http.Agent(opts);
}

/**
 * POSTs `body` to `url`. Resolves on 2xx. Rejects with a PushError: permanent for a 4xx other than
 * 408/429 (the payload is refused; the message holds the status and the start of the response
 * body), otherwise retryable (network errors by code, timeouts after `timeoutMs`, 408, 429, 5xx).
 * Credentials in the URL (`http://user:pass@host`) become a Basic Authorization header.
 */
export function httpPost(
  url: URL,
  body: Uint8Array | string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; signal?: AbortSignal; agent?: http.Agent },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { ...headers, 'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength };
    if (url.username !== '' && !Object.keys(h).some((k) => k.toLowerCase() === 'authorization')) {
      h.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    }
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(
      url,
      { method: 'POST', headers: h, agent: opts.agent, signal: opts.signal, timeout: opts.timeoutMs },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          if (kept < ERROR_BODY_BYTES) {
            chunks.push(c);
            kept += c.length;
          }
        });
        res.on('error', (e) => reject(new PushError(errorText(e), false)));
        res.on('end', () => {
          if (status >= 200 && status < 300) return resolve();
          const text = Buffer.concat(chunks).toString('utf8').slice(0, ERROR_BODY_BYTES).trim().replace(/\s+/g, ' ');
          const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
          reject(new PushError(`HTTP ${status}${text ? `: ${text}` : ''}`, permanent));
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs}ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(new PushError(errorText(e), false)));
    req.end(body);
  });
}

function errorText(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ETIMEDOUT') return e.message;
  return code ?? e.message;
}
