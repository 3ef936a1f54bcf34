/**
 * Error budgets in seconds of SLO breach, end to end: `volley target` behind a fault proxy on the
 * test's timeline, one route slow from 2 s to 5 s and another failing from 4 s to 7 s. The breached
 * seconds must match those 3 s windows within -1/+2 s (fault edges land within 100 ms; a second
 * holds the responses that ended in it, so the slow window's last requests end in the next one;
 * and on a starved machine a worker's once-a-second flush comes late and takes a little of the
 * next second with it), and the shared budget counts their overlap once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

let target: RunningTarget;
before(async () => {
  target = await startTarget({ port: 0, profile: 'none', routes: [{ path: '/slow' }, { path: '/err' }] } as never);
});
after(async () => {
  await target.close();
});

const script = (thresholds: string, duration = '9s') => `
import http from 'volley/http';
export const options = {
  scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '${duration}', preAllocatedVUs: 20, maxVUs: 80 } },
  proxies: { api: { upstream: __ENV.BASE_URL } },
  faults: [
    { proxy: 'api', name: 'slow', startTime: '2s', duration: '3s', kind: 'latency', latency: '300ms', path: '/slow' },
    { proxy: 'api', name: 'errors', startTime: '4s', duration: '3s', status: 500, path: '/err' },
  ],
  thresholds: ${thresholds},
};
export default async function () {
  if (__ITER % 2 === 0) await http.get(__ENV.VOLLEY_PROXY_API + '/slow', { tags: { name: 'slow' } });
  else await http.get(__ENV.VOLLEY_PROXY_API + '/err', { tags: { name: 'err' } });
}
`;

const within = (x: number, lo: number, hi: number, what: string): void => assert.ok(x >= lo && x <= hi, `${what}: ${x} not in [${lo}, ${hi}]`);

test('breached seconds match the known slow and failing windows; the shared budget counts their overlap once', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'volley-time-budget-')), 'summary.json');
  const path = writeScript(
    script(`{
      'http_req_duration{name:slow}': ['med<150 per 1s budget 28800s over 30d'],
      'http_req_failed{name:err}': ['rate<0.5 per 1s budget 28800s over 30d'],
      http_req_duration: ['p(95)<5000 budget 28800s over 30d'],
    }`),
  );
  const r = await runVolley(['run', path, '-e', `BASE_URL=${target.url}`, '--summary-export', out], { timeoutMs: 60_000 });
  assert.equal(r.code, 99, r.stdout + r.stderr);
  const s = JSON.parse(readFileSync(out, 'utf8'));
  const [slow, err, all] = s.volley.thresholds;
  assert.equal(slow.budget.unit, 'seconds');
  // Slow from 2 s to 5 s: the seconds 2, 3 and 4 have a slow median.
  within(slow.budget.used, 2, 5, 'slow route breached seconds');
  within(slow.budget.breaches[0].startMs, 1000, 3000, 'slow route first breach');
  // Failing from 4 s to 7 s.
  within(err.budget.used, 2, 5, 'failing route breached seconds');
  within(err.budget.breaches[0].startMs, 3000, 5000, 'failing route first breach');
  assert.ok(slow.budget.windows >= 8 && err.budget.windows >= 8, `1 s windows with samples: ${slow.budget.windows}, ${err.budget.windows}`);
  // 9 s of 28,800 s a month allow 0.1 s: both fail, and so does their union.
  assert.equal(slow.ok, false);
  assert.equal(err.ok, false);
  within(slow.budget.allowed, 0.09, 0.11, 'allowance for a 9 s run');
  within(slow.budget.burnRate, 15, 50, 'burn rate: 3 s of 9 against 1/90');
  // The whole-run threshold is in the same group: never breached, it stays green.
  assert.equal(all.ok, true);
  assert.equal(all.budget.used, 0);
  assert.equal(all.budget.windowMs, 60_000);
  const [u] = s.volley.timeBudgets;
  assert.equal(u.thresholds.length, 3);
  within(u.used, 4, 7, 'union of [2 s, 5 s) and [4 s, 7 s)');
  assert.ok(u.used < u.sumOfMembers, `the overlap counts once: union ${u.used}, summed ${u.sumOfMembers}`);
  assert.equal(u.ok, false);
  assert.match(r.stdout, /✗ 'med<150 per 1s budget 28800s over 30d' med=\S+ in the worst window; budget: \S+ breached of 0\.1s allowed/);
  assert.match(r.stdout, /ERROR BUDGET \(seconds of SLO breach, shared\)/);
  assert.match(r.stdout, /28,800s over 30d shared by 3 thresholds: \S+ breached of 0\.1s allowed/);
});

test('live: a time budget with abortOnFail stops the run once its allowance is exceeded', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'volley-time-budget-')), 'summary.json');
  // 12h over 1d allows half the run: breached from 2 s on, the budget is exceeded from about 4 s.
  const path = writeScript(script(`{ 'http_req_failed{name:err}': [{ threshold: 'rate<0.5 per 1s budget 12h over 1d', abortOnFail: true }] }`, '14s').replace("startTime: '4s', duration: '3s', status: 500", "startTime: '2s', duration: '12s', status: 500"));
  const r = await runVolley(['run', path, '-e', `BASE_URL=${target.url}`, '--summary-export', out, '--quiet'], { timeoutMs: 60_000 });
  assert.equal(r.code, 99, r.stdout + r.stderr);
  const s = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(s.volley.verdict.aborted, true);
  assert.ok(s.state.testRunDurationMs < 12_000, `stopped at ${s.state.testRunDurationMs} ms, before the 14 s end`);
  const [t] = s.volley.thresholds;
  assert.ok(t.budget.used > t.budget.allowed, JSON.stringify(t.budget));
});

test('bad time budgets are refused before the run with exit code 104, naming each threshold', async () => {
  const path = writeScript(`
export const options = {
  vus: 1, duration: '1s',
  thresholds: {
    http_req_duration: ['p(95)<350 budget 40d over 30d', 'p(95)<350 budget 28800x over 30d'],
    vus: ['value>0 budget 1h over 1d'],
  },
};
export default function () {}
`);
  const r = await runVolley(['run', path, '--quiet'], { timeoutMs: 30_000 });
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /thresholds\["http_req_duration"\]\[0\]: "p\(95\)<350 budget 40d over 30d" is not a threshold expression: the time budget \(40d\) is longer than its period \(30d\)/);
  assert.match(r.stderr, /thresholds\["http_req_duration"\]\[1\]: "p\(95\)<350 budget 28800x over 30d" is not a threshold expression: the time budget "28800x" is not a duration with a unit/);
  assert.match(r.stderr, /thresholds\["vus"\]\[0\]: "value>0 budget 1h over 1d" is a time budget, but vus is sampled by the main thread/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
