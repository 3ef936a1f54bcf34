import type { TargetResponse, Handler } from './context.js';
import { sendBody, sendJson } from './respond.js';

/** kind: static — the route's status, headers and (pre-serialised or templated) body. */
export const staticHandler: Handler = {
  respond(res: TargetResponse): void {
    const r = res.route!;
    sendBody(res, r.status, r.headers, r.body!.render(res));
  },
};

/** kind: echo — what the target received: method, path, query, headers and body (as text). */
export const echoHandler: Handler = {
  respond(res: TargetResponse): void {
    const r = res.route!;
    sendJson(res, r.status, {
      method: res.method,
      path: res.pathname,
      params: res.params ?? {},
      query: Object.fromEntries(new URLSearchParams(res.search)),
      headers: res.req.headers,
      body: res.jsonBody ?? '',
      requestId: res.requestId,
    });
  },
};
