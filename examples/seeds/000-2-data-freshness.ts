// Plan 000 "LLM Experimentation & Attribution Platform", §2 KPIs: Data Freshness Latency < 1 minute
// (delay between data generation and dashboard update), API response time < 500 ms p95, error rate
// < 0.1 %. Each user ingests outcome events and waits until the analytics read shows them; the
// target's feed is eventually consistent (404 until visible), so those reads expect 404 and only
// real failures count as errors.
// Full scale (SCALE=1): 1,000 users for 10 minutes.
//   npx volley run examples/seeds/000-2-data-freshness.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, sleep, waitFor } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: { users: { executor: 'constant-vus', vus: count(1000), duration: dur(600) } },
  thresholds: {
    'waitfor_duration{stage:data_fresh}': ['p(95)<60000', 'max<60000'],
    waitfor_failed: ['rate<0.001'],
    http_req_duration: ['p(95)<500'],
    http_req_failed: ['rate<0.001'],
  },
};

const notYetVisible = http.expectedStatuses(200, 404);

export default async function () {
  const created = Date.now();
  const ev = await http.post(`${BASE}/api/feed`, JSON.stringify({ metric: 'conversion', value: 1, user: `u-${__VU}` }), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /api/feed' },
  });
  check(ev, { 'event accepted': (r) => r.status === 202 });
  const url = `${BASE}${ev.json('statusUrl') as string}`;
  const fresh = await waitFor(
    'data_fresh',
    async () => (await http.get(url, { tags: { name: 'GET /api/feed/:id' }, responseCallback: notYetVisible })).status === 200,
    { since: created, every: '250ms', timeout: '2m' },
  );
  check(fresh, { 'visible within a minute': (f) => f.ok && f.durationMs < 60_000 });
  await sleep(1);
}
