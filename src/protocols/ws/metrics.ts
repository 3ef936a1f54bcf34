/**
 * What `volley/ws` records, with k6's metric names: one `WS_SESSION` per socket when it ends,
 * one `WS_MESSAGE` per message sent or received, one `WS_PING` per pong answering our ping, one
 * `WS_ROUND_TRIP` per `request()` answered. Definitions in docs/streams.md.
 */
import type { MetricDeclarations } from '../../metrics/catalog.js';
import { declareSampleGroup } from '../../metrics/group.js';
import type { MetricSpec } from '../../metrics/metric.js';
import { CORE_METRICS } from '../../vu/metrics.js';

export const WS_METRICS = {
  ws_sessions: { name: 'ws_sessions', type: 'counter', contains: 'default', k6: 'ws_sessions' },
  /** Connect started → handshake done (101 received, socket open). */
  ws_connecting: { name: 'ws_connecting', type: 'trend', contains: 'time', k6: 'ws_connecting' },
  /** Connect started → socket closed. */
  ws_session_duration: { name: 'ws_session_duration', type: 'trend', contains: 'time', k6: 'ws_session_duration' },
  ws_msgs_sent: { name: 'ws_msgs_sent', type: 'counter', contains: 'default', k6: 'ws_msgs_sent' },
  ws_msgs_received: { name: 'ws_msgs_received', type: 'counter', contains: 'default', k6: 'ws_msgs_received' },
  /** Ping sent → its pong received. */
  ws_ping: { name: 'ws_ping', type: 'trend', contains: 'time', k6: 'ws_ping' },
  /** Volley: `request()` sent → the matching reply received. */
  ws_round_trip: { name: 'ws_round_trip', type: 'trend', contains: 'time' },
  /** Volley: sessions that failed (handshake refused, network error, abnormal close) and requests unanswered in time. */
  ws_failed: { name: 'ws_failed', type: 'rate', contains: 'default' },
  /** Volley: sessions open (connecting or connected), per worker: see `WS_OPEN`. */
  ws_open: { name: 'ws_open', type: 'gauge', contains: 'default' },
} as const satisfies Record<string, MetricSpec>;

/** The worker's open sessions, recorded when one starts and when it closes, with no tag (a `level` column: summed over workers). */
export const WS_OPEN = declareSampleGroup('ws_open', [WS_METRICS.ws_open]);

export const WS_SESSION = declareSampleGroup('ws_session', [
  WS_METRICS.ws_sessions,
  WS_METRICS.ws_connecting,
  WS_METRICS.ws_session_duration,
  WS_METRICS.ws_failed,
  CORE_METRICS.data_sent,
  CORE_METRICS.data_received,
]);
export const S_SESSIONS = 0;
export const S_CONNECTING = 1;
export const S_SESSION_DURATION = 2;
export const S_SESSION_FAILED = 3;
export const S_DATA_SENT = 4;
export const S_DATA_RECEIVED = 5;

export const WS_MESSAGE = declareSampleGroup('ws_message', [WS_METRICS.ws_msgs_sent, WS_METRICS.ws_msgs_received]);
export const WS_PING = declareSampleGroup('ws_ping', [WS_METRICS.ws_ping]);
export const WS_ROUND_TRIP = declareSampleGroup('ws_round_trip', [WS_METRICS.ws_round_trip, WS_METRICS.ws_failed]);

export const WS_DECLARATIONS: MetricDeclarations = {
  name: 'ws',
  metrics: Object.values(WS_METRICS),
  breakdowns: [{ name: 'scenario', metrics: ['ws_sessions', 'ws_msgs_received'] }],
  // Present only in runs that use volley/ws (metrics/timeseries.ts: a module's columns appear once it records).
  series: [
    { metric: 'ws_msgs_received', as: 'per-second' },
    { metric: 'ws_msgs_sent', as: 'per-second' },
    { metric: 'ws_failed', as: 'rate' },
    { metric: 'ws_connecting', as: 'trend' },
    { metric: 'ws_open', as: 'level' },
  ],
  charts: [
    {
      id: 'chart-ws',
      title: 'WebSocket',
      caption: 'Messages/s received and sent · ws_connecting p95 (right)',
      series: [
        { column: 'ws_msgs_received', label: 'received/s', unit: 'per-second' },
        { column: 'ws_msgs_sent', label: 'sent/s', unit: 'per-second' },
        { column: 'ws_connecting.p95', label: 'connecting p95', unit: 'ms', right: true },
      ],
    },
    {
      id: 'chart-ws-open',
      title: 'WebSocket sessions open',
      caption: 'Sessions connecting or connected at the end of each second, all workers',
      series: [{ column: 'ws_open', label: 'open', unit: 'count' }],
    },
  ],
};
