/**
 * What the HTTP protocol records (k6's HTTP metrics, plus Volley's corrected duration), and how the
 * readers keep it: per-route and per-error tables, the per-second columns, the live headline.
 * The client records one exchange as one sample group (`HTTP_EXCHANGE`), slots in this order.
 */
import { declareSampleGroup } from '../../metrics/group.js';
import type { MetricDeclarations } from '../../metrics/catalog.js';
import type { MetricSpec } from '../../metrics/metric.js';
import { CORE_METRICS } from '../../vu/metrics.js';

const trend = (name: string, k6: string | undefined = name): MetricSpec => ({ name, type: 'trend', contains: 'time', k6 });

export const HTTP_METRICS = {
  http_reqs: { name: 'http_reqs', type: 'counter', contains: 'default', k6: 'http_reqs' },
  http_req_duration: trend('http_req_duration'),
  http_req_blocked: trend('http_req_blocked'),
  http_req_connecting: trend('http_req_connecting'),
  http_req_tls_handshaking: trend('http_req_tls_handshaking'),
  http_req_sending: trend('http_req_sending'),
  http_req_waiting: trend('http_req_waiting'),
  http_req_receiving: trend('http_req_receiving'),
  http_req_failed: { name: 'http_req_failed', type: 'rate', contains: 'default', k6: 'http_req_failed' },
  /** Open models: the latency a user arriving on schedule would have seen (coordinated omission corrected). */
  http_req_corrected_duration: trend('http_req_corrected_duration', undefined),
  /** `params.retry` (retry.ts): retries made, and each call's outcome after its last attempt. */
  http_req_retries: { name: 'http_req_retries', type: 'counter', contains: 'default' },
  http_req_final_failed: { name: 'http_req_final_failed', type: 'rate', contains: 'default' },
  /** `http.chunkedUpload` (upload.ts): each part's final outcome, and each upload's bytes per second. */
  upload_part_success: { name: 'upload_part_success', type: 'rate', contains: 'default' },
  upload_throughput: { name: 'upload_throughput', type: 'trend', contains: 'default' },
  /** `http.stream` (stream.ts): request sending started → first body byte (time to first chunk). */
  http_req_first_chunk: { name: 'http_req_first_chunk', type: 'trend', contains: 'time' },
  /** `http.stream`: body chunks received per streamed request. */
  http_req_chunks: { name: 'http_req_chunks', type: 'counter', contains: 'default' },
} as const satisfies Record<string, MetricSpec>;

/** One exchange (one hop of a request): its slots, in order. */
export const HTTP_EXCHANGE = declareSampleGroup('http', [
  HTTP_METRICS.http_reqs,
  HTTP_METRICS.http_req_duration,
  HTTP_METRICS.http_req_blocked,
  HTTP_METRICS.http_req_connecting,
  HTTP_METRICS.http_req_tls_handshaking,
  HTTP_METRICS.http_req_sending,
  HTTP_METRICS.http_req_waiting,
  HTTP_METRICS.http_req_receiving,
  HTTP_METRICS.http_req_failed,
  HTTP_METRICS.http_req_corrected_duration,
  CORE_METRICS.data_sent,
  CORE_METRICS.data_received,
]);

/** Slot numbers of `HTTP_EXCHANGE` (checked against the group by the unit test). */
export const S_REQS = 0;
export const S_DURATION = 1;
export const S_BLOCKED = 2;
export const S_CONNECTING = 3;
export const S_TLS_HANDSHAKING = 4;
export const S_SENDING = 5;
export const S_WAITING = 6;
export const S_RECEIVING = 7;
export const S_FAILED = 8;
export const S_CORRECTED_DURATION = 9;
export const S_DATA_SENT = 10;
export const S_DATA_RECEIVED = 11;

/**
 * One decision of `params.retry` after an attempt: a retry (`http_req_retries` 1) or the call's end
 * (`http_req_final_failed` 0 or 1); the other slot is `NO_SAMPLE`.
 */
export const HTTP_RETRY = declareSampleGroup('http_retry', [HTTP_METRICS.http_req_retries, HTTP_METRICS.http_req_final_failed]);
export const S_RETRIES = 0;
export const S_FINAL_FAILED = 1;

/** `http.chunkedUpload`: a part's outcome (`upload_part_success`) or the upload's throughput; the other slot `NO_SAMPLE`. */
export const HTTP_UPLOAD = declareSampleGroup('http_upload', [HTTP_METRICS.upload_part_success, HTTP_METRICS.upload_throughput]);
export const S_PART_SUCCESS = 0;
export const S_UPLOAD_THROUGHPUT = 1;

/** A streamed request (`http.stream`), beside its `HTTP_EXCHANGE`: time to first chunk (NO_SAMPLE without a body byte) and chunks. */
export const HTTP_STREAM = declareSampleGroup('http_stream', [HTTP_METRICS.http_req_first_chunk, HTTP_METRICS.http_req_chunks]);
export const S_FIRST_CHUNK = 0;
export const S_CHUNKS = 1;

export const HTTP_DECLARATIONS: MetricDeclarations = {
  name: 'http',
  metrics: Object.values(HTTP_METRICS),
  breakdowns: [
    { name: 'route', by: ['name', 'method'], max: 200, metrics: ['http_req_duration', 'http_req_failed', 'http_reqs'] },
    { name: 'scenario', metrics: ['http_reqs', 'http_req_duration', 'http_req_failed'] },
    // `error` is the message (k6's `error` tag): one of a few fixed texts per code, or a network error's text.
    { name: 'error', by: ['status', 'error_code', 'error'], max: 200, metrics: ['http_req_failed'] },
  ],
  series: [
    { metric: 'http_reqs', as: 'per-second' },
    { metric: 'http_req_failed', as: 'rate' },
    { metric: 'http_req_duration', as: 'trend' },
  ],
  headline: { throughput: 'http_reqs', latency: 'http_req_duration', errors: 'http_req_failed' },
};
