/**
 * What `volley/sse` records: one `SSE_EVENT` per event received, one `SSE_STREAM` per connection
 * (each reconnect is a connection) when it ends. Definitions in docs/streams.md.
 */
import type { MetricDeclarations } from '../../metrics/catalog.js';
import { declareSampleGroup } from '../../metrics/group.js';
import type { MetricSpec } from '../../metrics/metric.js';
import { CORE_METRICS } from '../../vu/metrics.js';

export const SSE_METRICS = {
  /** Events dispatched (a blank line after data). */
  sse_events: { name: 'sse_events', type: 'counter', contains: 'default' },
  /** Request sending started → first event dispatched, per connection. */
  sse_time_to_first_event: { name: 'sse_time_to_first_event', type: 'trend', contains: 'time' },
  /** Gap between consecutive events of one connection, every gap pooled. */
  sse_time_between_events: { name: 'sse_time_between_events', type: 'trend', contains: 'time' },
  /** Request sending started → the connection's end (server end, close(), cut, timeout). */
  sse_stream_duration: { name: 'sse_stream_duration', type: 'trend', contains: 'time' },
  /** Connections made (the first and every reconnect). */
  sse_streams: { name: 'sse_streams', type: 'counter', contains: 'default' },
  /** Connections that failed (status, content type, malformed stream, cut, timeout, network). */
  sse_failed: { name: 'sse_failed', type: 'rate', contains: 'default' },
  /** `sse.open` calls in progress (a stream and its reconnects), per worker: see `SSE_OPEN`. */
  sse_open: { name: 'sse_open', type: 'gauge', contains: 'default' },
} as const satisfies Record<string, MetricSpec>;

/** The worker's open streams, recorded when one opens and when it ends, with no tag (a `level` column: summed over workers). */
export const SSE_OPEN = declareSampleGroup('sse_open', [SSE_METRICS.sse_open]);

export const SSE_EVENT = declareSampleGroup('sse_event', [SSE_METRICS.sse_events, SSE_METRICS.sse_time_between_events]);
export const S_EV_EVENTS = 0;
export const S_EV_GAP = 1;

export const SSE_STREAM = declareSampleGroup('sse_stream', [
  SSE_METRICS.sse_streams,
  SSE_METRICS.sse_time_to_first_event,
  SSE_METRICS.sse_stream_duration,
  SSE_METRICS.sse_failed,
  CORE_METRICS.data_sent,
  CORE_METRICS.data_received,
]);
export const S_ST_STREAMS = 0;
export const S_ST_FIRST_EVENT = 1;
export const S_ST_DURATION = 2;
export const S_ST_FAILED = 3;
export const S_ST_DATA_SENT = 4;
export const S_ST_DATA_RECEIVED = 5;

export const SSE_DECLARATIONS: MetricDeclarations = {
  name: 'sse',
  metrics: Object.values(SSE_METRICS),
  breakdowns: [{ name: 'scenario', metrics: ['sse_events', 'sse_failed'] }],
  // Present only in runs that use volley/sse (metrics/timeseries.ts: a module's columns appear once it records).
  series: [
    { metric: 'sse_events', as: 'per-second' },
    { metric: 'sse_failed', as: 'rate' },
    { metric: 'sse_time_to_first_event', as: 'trend' },
    { metric: 'sse_open', as: 'level' },
  ],
  charts: [
    {
      id: 'chart-sse',
      title: 'Server-Sent Events',
      caption: 'Time to first event p50/p95 · events received/s (right)',
      series: [
        { column: 'sse_time_to_first_event.p50', label: 'first event p50', unit: 'ms' },
        { column: 'sse_time_to_first_event.p95', label: 'first event p95', unit: 'ms' },
        { column: 'sse_events', label: 'events/s', unit: 'per-second', right: true },
      ],
    },
    {
      id: 'chart-sse-open',
      title: 'SSE streams open',
      caption: 'sse.open calls in progress at the end of each second, all workers',
      series: [{ column: 'sse_open', label: 'open', unit: 'count' }],
    },
  ],
};
