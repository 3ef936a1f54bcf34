/**
 * Recovery after a spike of a ramping profile, against a target whose recovery is known: a route
 * with 5 slots of 100 ms (50 requests/s of capacity) and an open-model profile at 20/s that spikes
 * to 100/s. The backlog the spike leaves (≈ 110 requests) drains at 50 − 20 = 30/s: ≈ 4 s of
 * queueing after the spike, then latency is back to 100 ms. A spike to 40/s, under capacity,
 * leaves no backlog: recovery 0.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

let target: RunningTarget;
before(async () => {
  target = await startTarget({ routes: [1, 2].map((i) => ({ path: `/work${i}`, latency: '100ms', concurrency: { max: 5, queue: 1000 } })) });
});
after(async () => {
  await target.close();
});

const script = (route: string, peak: number) => `
import http from 'volley/http';
export const options = {
  scenarios: { api: { executor: 'ramping-arrival-rate', startRate: 20, timeUnit: '1s', preAllocatedVUs: 200, maxVUs: 300,
    stages: [{ duration: '4s', target: 20 }, { duration: '1s', target: ${peak} }, { duration: '1s', target: ${peak} }, { duration: '1s', target: 20 }, { duration: '9s', target: 20 }] } },
  thresholds: { recovery_time: ['max<15000'] },
};
export default async function () { await http.get(__ENV.BASE_URL + '${route}'); }
`;

test('recovery_time after a spike: the backlog drain of an overloaded service, 0 under capacity', { timeout: 90_000 }, async () => {
  const run = async (route: string, peak: number) => {
    const path = writeScript(script(route, peak));
    const r = await runVolley(['run', path, '--quiet', '--no-summary', '-e', `BASE_URL=${target.url}`, '--summary-export', join(dirname(path), 's.json')], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(readFileSync(join(dirname(path), 's.json'), 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
    return { stderr: r.stderr, rt: s.metrics['recovery_time']?.values };
  };
  const [over, under] = await Promise.all([run('/work1', 100), run('/work2', 40)]);
  // Over capacity: ≈ 4 s by construction (1 s resolution, the machine's noise may add a second or two).
  const secs = Number(/spike:api: recovered in (\d+)s/.exec(over.stderr)?.[1]);
  assert.ok(secs >= 2 && secs <= 8, over.stderr);
  assert.equal(over.rt?.max, secs * 1000);
  // Under capacity: back at once.
  const none = Number(/spike:api: recovered in (\d+)s/.exec(under.stderr)?.[1]);
  assert.ok(none <= 1, under.stderr);
});
