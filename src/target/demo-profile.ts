import type { TargetConfig } from './config.js';
import { DASHBOARD_HTML, DASHBOARD_JS } from './app-pages.js';

/**
 * The default profile: a small product-experimentation API, the kind of service Volley users test.
 * Latencies are realistic but small so that demos run quickly; a 1% error rate on results and a 2%
 * upload throttle give checks and thresholds something to find.
 */
export const DEMO_PROFILE = {
  routes: [
    // The service's front door: what `volley init`'s templates call until their path is edited.
    { method: 'GET', path: '/', body: { json: { service: 'volley target (demo profile)', docs: 'docs/target.md' } } },
    { method: 'GET', path: '/health', body: { json: { status: 'ok' } } },
    { method: 'GET', path: '/fast', body: 'ok' },
    {
      // Very fast, high volume: no latency model, answered synchronously.
      method: 'GET',
      path: '/api/assignments/:user',
      body: {
        json: {
          user: '{{params.user}}',
          assignments: [
            { experiment: 'exp_1', key: 'checkout-redesign', variant: 'treatment' },
            { experiment: 'exp_2', key: 'search-ranking-v2', variant: 'control' },
          ],
        },
      },
    },
    {
      kind: 'crud',
      path: '/api/experiments',
      latency: { lognormal: { p50: '4ms', p99: '40ms' } },
      crud: {
        idPrefix: 'exp_',
        seed: [
          { id: 'exp_1', key: 'checkout-redesign', status: 'running', variants: ['control', 'treatment'], traffic: 0.5 },
          { id: 'exp_2', key: 'search-ranking-v2', status: 'running', variants: ['control', 'treatment'], traffic: 0.2 },
          { id: 'exp_3', key: 'onboarding-copy', status: 'draft', variants: ['a', 'b', 'c'], traffic: 0 },
        ],
      },
    },
    {
      kind: 'crud',
      path: '/api/flags',
      latency: { lognormal: { p50: '3ms', p99: '25ms' } },
      crud: {
        idPrefix: 'flag_',
        seed: [
          { id: 'flag_1', key: 'new-dashboard', enabled: true, rollout: 0.25 },
          { id: 'flag_2', key: 'dark-mode', enabled: false, rollout: 0 },
        ],
      },
    },
    {
      // Ingestion: accepts a JSON event (or a list of them), 400 on malformed JSON.
      method: 'POST',
      path: '/api/events',
      status: 202,
      requestBody: { json: true, maxSize: '1mb' },
      body: { json: { accepted: true, requestId: '{{requestId}}' } },
      latency: { lognormal: { p50: '2ms', p99: '20ms' } },
    },
    {
      // Slower and rate limited per API key; streams (SSE, OpenAI chunk shape) when the body has
      // "stream": true, the query ?stream=true or the request accepts text/event-stream.
      method: 'POST',
      path: '/api/assistant/query',
      kind: 'llm-chat',
      latency: { lognormal: { p50: '20ms', p99: '80ms' } },
      rateLimit: { rate: 5, per: '1s', burst: 10, key: 'x-api-key' },
      llm: {
        model: 'volley-assistant',
        strict: false,
        ttft: { lognormal: { p50: '300ms', p99: '1200ms' } },
        tokensPerSecond: { normal: { mean: 40, stddev: 8, min: 5 } },
        outputTokens: { uniform: [30, 120] },
        maxTokens: 'cap',
      },
    },
    {
      method: 'GET',
      path: '/api/results/:id',
      latency: { lognormal: { p50: '15ms', p99: '120ms' } },
      errors: { rate: 0.01, status: 503 },
      body: {
        json: {
          experiment: '{{params.id}}',
          computedAt: '{{now}}',
          metrics: [
            { name: 'conversion', control: 0.112, treatment: 0.121, lift: 0.08, pValue: 0.031 },
            { name: 'revenue_per_user', control: 4.12, treatment: 4.2, lift: 0.019, pValue: 0.41 },
          ],
        },
      },
    },
    {
      // A report export with a known capacity (breakpoint tests, volley find-capacity): 4 slots ×
      // 50 ms = 80 requests/s; past that, the FIFO queue grows and latency climbs until 503s.
      method: 'GET',
      path: '/api/reports/:id',
      latency: '50ms',
      concurrency: { max: 4, queue: 400 },
      body: { json: { report: '{{params.id}}', rows: 120 } },
    },
    { kind: 'uploads', path: '/api/uploads', uploads: { maxPartSize: '16mb', throttle: { rate: 0.02, status: 503, retryAfter: '1s' } } },
    {
      // An asynchronous pipeline (plan 001 §5.1): a finalized recording is transcribed, docified and
      // embedded; GET shows the stage reached. No job fails here (set failRate to see failures).
      kind: 'jobs',
      path: '/api/recordings/jobs',
      jobs: {
        stages: [
          { name: 'transcribe', after: { lognormal: { p50: '1s', p99: '3s' } } },
          { name: 'docify', after: { lognormal: { p50: '400ms', p99: '1.2s' } } },
          { name: 'embed', after: { lognormal: { p50: '200ms', p99: '600ms' } } },
        ],
      },
    },
    // Rolling an experiment back to its previous version (plan 000 §2): an asynchronous job that
    // stops the traffic split, then restores the previous variant config.
    {
      kind: 'jobs',
      path: '/api/rollbacks',
      jobs: {
        stages: [
          { name: 'drained', after: { lognormal: { p50: '300ms', p99: '1s' } } },
          { name: 'restored', after: { lognormal: { p50: '600ms', p99: '2s' } } },
        ],
      },
    },
    // An eventually consistent read (data freshness): an event posted here is visible (200) after a lag.
    { kind: 'jobs', path: '/api/feed', jobs: { stages: [{ name: 'visible', after: { lognormal: { p50: '200ms', p99: '1s' } } }], pending: 'not-found' } },
    { kind: 'llm-chat', path: '/v1/chat/completions' },
    { kind: 'llm-completions', path: '/v1/completions' },
    { kind: 'llm-messages', path: '/v1/messages' },
    { kind: 'sse', path: '/api/stream', sse: { events: 10, interval: '100ms' } },
    { kind: 'chunked', path: '/api/chunked', chunked: { chunks: 10, size: '1kb', interval: '50ms' } },
    { kind: 'echo', path: '/echo' },
    {
      // A web app for browser tests (app-pages.ts): a server-rendered shell, then its script fetches
      // /api/experiments and /api/results/:id and renders the dashboard.
      method: 'GET',
      path: '/app/dashboard',
      headers: { 'content-type': 'text/html; charset=utf-8' },
      latency: { lognormal: { p50: '30ms', p99: '150ms' } },
      body: { text: DASHBOARD_HTML },
    },
    { method: 'GET', path: '/app/dashboard.js', headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=300' }, body: { text: DASHBOARD_JS } },
    // GraphQL: user(id), users(first), createUser(name); any other field answers 200 with `errors`.
    { kind: 'graphql', path: '/graphql', latency: { lognormal: { p50: '5ms', p99: '40ms' } } },
  ],
} satisfies TargetConfig;
