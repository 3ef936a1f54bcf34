import type { TargetResponse, Handler } from './context.js';
import type { Service } from './service.js';

/**
 * Ground-truth endpoints. They bypass stalls, limits and stats (scraping must not disturb what it
 * measures) and answer even while the service is frozen.
 *
 *   GET  /__volley/stats[?histogram=1]   TargetStats JSON (histogram=1 adds encoded HDR histograms)
 *   POST /__volley/reset[?state=1]       zero the stats; state=1 also resets CRUD/upload stores and rate limits
 *   GET  /metrics, /__volley/metrics     Prometheus text format
 *   GET  /__volley/routes                the routes served
 */
export interface InternalEndpoints {
  stats: Handler;
  reset: Handler;
  metrics: Handler;
  routes: Handler;
}

/** Handlers of the ground-truth endpoints; `resetState` puts stores and rate limits back (reset?state=1). */
export function internalHandlers(svc: Service, resetState: () => void): InternalEndpoints {
  return {
    stats: { respond: (res) => reply(res, 200, 'application/json', JSON.stringify(svc.stats.snapshot(gauges(svc), res.queryParam('histogram') === '1'))) },
    reset: {
      respond: (res) => {
        const state = res.queryParam('state') === '1' || res.queryParam('state') === 'true';
        svc.stats.reset();
        if (state) resetState();
        reply(res, 200, 'application/json', JSON.stringify({ reset: true, state }));
      },
    },
    metrics: { respond: (res) => reply(res, 200, 'text/plain; version=0.0.4; charset=utf-8', svc.stats.prometheus(gauges(svc))) },
    routes: {
      respond: (res) =>
        reply(res, 200, 'application/json', JSON.stringify({ routes: svc.routes.filter((r) => !r.internal).map((r) => ({ name: r.name, method: r.method, path: r.path, kind: r.kind })) })),
    },
  };
}

/** In-flight and queued counts now. */
export function gauges(svc: Service): { inFlight: number; queued: number } {
  return { inFlight: svc.inFlight, queued: svc.queued };
}

function reply(res: TargetResponse, status: number, type: string, body: string): void {
  const buf = Buffer.from(body);
  res.writeHead(status, { 'content-type': type, 'content-length': String(buf.length), 'cache-control': 'no-store', 'x-request-id': res.requestId });
  res.end(buf);
}
