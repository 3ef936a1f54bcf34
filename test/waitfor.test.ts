/**
 * waitFor: pipeline latency against the target's jobs routes, whose lag is known (fixed delays).
 * The measured time is an upper bound late by at most one poll interval plus a probe.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

let target: RunningTarget;
before(async () => {
  target = await startTarget({
    routes: [
      { kind: 'jobs', path: '/jobs', jobs: { stages: [{ name: 'transcribe', after: '300ms' }, { name: 'docify', after: '200ms' }] } },
      { kind: 'jobs', path: '/slow', jobs: { stages: [{ name: 'never', after: '1h' }] } },
      { kind: 'jobs', path: '/feed', jobs: { stages: [{ name: 'visible', after: '150ms' }], pending: 'not-found' } },
    ],
  });
});
after(async () => {
  await target.close();
});

function summary(script: string): { metrics: Record<string, { values: Record<string, number> }> } {
  return JSON.parse(readFileSync(join(dirname(script), 'summary.json'), 'utf8'));
}

test('waitFor measures action → ready per stage within one poll interval of the known lag', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    import { check, waitFor } from 'volley';
    export const options = { vus: 3, iterations: 9, thresholds: {
      'waitfor_duration{stage:transcript_ready}': ['p(50)>0'], 'waitfor_duration{stage:doc_ready}': ['p(50)>0'],
      'waitfor_duration{stage:feed_visible}': ['p(50)>0'], 'waitfor_failed': ['rate==0'] } };
    const B = __ENV.BASE_URL;
    export default async function () {
      const t0 = Date.now();
      const j = await http.post(B + '/jobs', '{}');
      const url = B + j.json('statusUrl');
      const done = (s) => async () => (await http.get(url)).json('completed.' + s) !== undefined;
      const r = await waitFor('transcript_ready', done('transcribe'), { since: t0, every: 20 });
      check(r, { ok: (x) => x.ok && x.outcome === 'ready' && x.polls > 5 });
      await waitFor('doc_ready', done('docify'), { since: t0, every: '20ms' });
      const f = await http.post(B + '/feed', '{}');
      await waitFor('feed_visible', async () => (await http.get(B + f.json('statusUrl'), { responseCallback: http.expectedStatuses(200, 404) })).status === 200, { every: 20 });
    }`);
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${target.url}`, '--summary-export', join(dirname(script), 'summary.json')]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const m = summary(script).metrics;
  // Known lags: transcribe 300 ms, docify +200 ms, feed 150 ms; late by ≤ one 20 ms poll plus a probe (generous on a loaded machine).
  for (const [stage, lag] of [['transcript_ready', 300], ['doc_ready', 500], ['feed_visible', 150]] as const) {
    const v = m[`waitfor_duration{stage:${stage}}`]!.values;
    assert.ok(v['min']! >= lag - 1, `${stage}: min ${v['min']} < ${lag}`);
    assert.ok(v['med']! <= lag + 20 + 60, `${stage}: median ${v['med']} too late for ${lag}`);
  }
  assert.equal(m['waitfor_failed']!.values['rate'], 0);
  assert.equal(m['http_req_failed']!.values['rate'], 0, '404s of the not-yet-visible reads were expected');
  assert.ok(m['waitfor_polls']!.values['count']! >= 9 * 3 * 5);
});

test('waitFor: a timeout and a throwing probe are counted as failed waits with their outcome, and the run goes on', async () => {
  const script = writeScript(`
    import http from 'volley/http';
    import { check, waitFor } from 'volley';
    export const options = { vus: 1, iterations: 2, thresholds: {
      'waitfor_failed{outcome:timeout}': ['rate==1'], 'waitfor_failed{outcome:probe_error}': ['rate==1'],
      'waitfor_duration{outcome:timeout}': ['min>=250', 'max<1500'], checks: ['rate==1'] } };
    const B = __ENV.BASE_URL;
    export default async function () {
      const j = await http.post(B + '/slow', '{}');
      const r = await waitFor('never_ready', async () => (await http.get(B + j.json('statusUrl'))).json('status') === 'ready', { every: 50, backoff: 2, timeout: '250ms' });
      const e = await waitFor('broken_probe', () => { throw new Error('probe failed'); });
      check(null, { 'timed out': () => !r.ok && r.outcome === 'timeout' && r.polls >= 3, 'probe error kept': () => e.outcome === 'probe_error' && e.error.message === 'probe failed' });
    }`);
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${target.url}`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
});

test('waitFor: a bad option is a script error naming the stage and the value', async () => {
  const script = writeScript(`
    import { waitFor } from 'volley';
    export const options = { vus: 1, iterations: 1 };
    export default async function () { await waitFor('ready', () => true, { every: 'soon' }); }`);
  const r = await runVolley(['run', script, '--quiet']);
  assert.match(r.stderr + r.stdout, /waitFor: every 'soon' is not a duration/);
});
