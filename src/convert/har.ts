import type { RequestSpec, TestSpec } from './requests.js';

/** Headers a recording carries that the client sets itself (or a cookie jar keeps). */
const SKIP_HEADERS = new Set(['host', 'content-length', 'connection', 'cookie', 'accept-encoding', 'user-agent', 'upgrade-insecure-requests', 'referer', 'origin', 'priority', 'te']);

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * A HAR recording (a browser's "Save all as HAR", HAR 1.2) as requests: grouped by page (its title),
 * the recorded status as the check, same-origin URLs relative to BASE (the first request's origin).
 */
export function readHar(har: any, source: string): TestSpec {
  const entries: any[] = har?.log?.entries ?? [];
  if (entries.length === 0) throw new Error(`${source} has no log.entries: is it a HAR file?`);
  const pages = new Map<string, string>((har.log.pages ?? []).map((p: any) => [p.id, p.title || p.id]));
  const origin = new URL(entries[0].request.url).origin;
  const requests: RequestSpec[] = entries.map((e) => {
    const u = new URL(e.request.url);
    const url = (u.origin === origin ? `${u.pathname}${u.search}` : u.href).replace(/[`\\]|\$\{/g, (c) => `\\${c}`);
    const headers: Record<string, string> = {};
    for (const h of e.request.headers ?? []) {
      const k = String(h.name).toLowerCase();
      if (!k.startsWith(':') && !SKIP_HEADERS.has(k) && !k.startsWith('sec-')) headers[k] = String(h.value);
    }
    let body: string | undefined;
    const pd = e.request.postData;
    if (pd?.text !== undefined) body = JSON.stringify(pd.text);
    else if (Array.isArray(pd?.params)) body = JSON.stringify(Object.fromEntries(pd.params.map((p: any) => [p.name, p.value ?? ''])));
    if (pd?.mimeType && !headers['content-type']) headers['content-type'] = pd.mimeType;
    const status = Number(e.response?.status) || 200;
    return {
      group: pages.get(e.pageref) ?? 'requests',
      method: e.request.method,
      url,
      headers,
      ...(body !== undefined ? { body } : {}),
      statuses: [status],
      name: `${e.request.method} ${u.origin === origin ? u.pathname : u.href}`,
    };
  });
  return { source, format: 'har', baseUrl: origin, requests };
}
