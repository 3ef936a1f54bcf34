/**
 * kind: jobs — an asynchronous pipeline whose stages complete after drawn delays, and an eventually
 * consistent read (404 until visible). The timings are checked against the configured delays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { E_TARGET_CONFIG, validateTargetConfig, startTarget } from '../src/target/index.js';
import { hit } from '../src/target/testing/timed-client.js';

test('jobs: submit → 202, stages complete on schedule, status shows the stage reached', async () => {
  const t = await startTarget({
    routes: [{ kind: 'jobs', path: '/api/jobs', jobs: { stages: [{ name: 'transcribe', after: '150ms' }, { name: 'docify', after: '150ms' }] } }],
  });
  try {
    const sub = await hit(`${t.url}/api/jobs`, { method: 'POST', body: '{}' });
    assert.equal(sub.status, 202);
    const job = JSON.parse(sub.body);
    assert.deepEqual(job.stages, ['transcribe', 'docify']);
    assert.equal(job.statusUrl, `/api/jobs/${job.jobId}`);
    const first = JSON.parse((await hit(`${t.url}${job.statusUrl}`)).body);
    assert.deepEqual([first.status, first.stage, first.completed], ['pending', 'transcribe', {}]);
    await delay(200);
    const mid = JSON.parse((await hit(`${t.url}${job.statusUrl}`)).body);
    assert.deepEqual([mid.status, mid.stage, Object.keys(mid.completed)], ['pending', 'docify', ['transcribe']]);
    await delay(150);
    const done = JSON.parse((await hit(`${t.url}${job.statusUrl}`)).body);
    assert.deepEqual([done.status, Object.keys(done.completed)], ['ready', ['transcribe', 'docify']]);
    const gap = Date.parse(done.completed.docify) - Date.parse(done.completed.transcribe);
    assert.ok(Math.abs(gap - 150) <= 2, `stage gap ${gap} ms`);
    assert.equal((await hit(`${t.url}/api/jobs/job_nope`)).status, 404);
  } finally {
    await t.close();
  }
});

test('jobs: pending not-found answers 404 until visible; failRate 1 fails every job; maxJobs bounds memory', async () => {
  const t = await startTarget({
    routes: [
      { kind: 'jobs', path: '/feed', jobs: { stages: [{ name: 'visible', after: '120ms' }], pending: 'not-found', maxJobs: 2 } },
      { kind: 'jobs', path: '/broken', jobs: { stages: [{ name: 'a', after: '10ms' }], failRate: 1 } },
    ],
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(JSON.parse((await hit(`${t.url}/feed`, { method: 'POST' })).body).statusUrl);
    assert.equal((await hit(`${t.url}${ids[2]}`)).status, 404);
    await delay(160);
    assert.equal((await hit(`${t.url}${ids[2]}`)).status, 200);
    assert.equal((await hit(`${t.url}${ids[0]}`)).status, 404, 'the oldest job was forgotten (maxJobs 2)');
    const b = JSON.parse((await hit(`${t.url}/broken`, { method: 'POST' })).body);
    await delay(30);
    assert.equal(JSON.parse((await hit(`${t.url}${b.statusUrl}`)).body).status, 'failed');
  } finally {
    await t.close();
  }
});

test('jobs: bad config names the field', () => {
  const bad = (jobs: unknown, re: RegExp) =>
    assert.throws(
      () => validateTargetConfig({ routes: [{ kind: 'jobs', path: '/j', jobs }] }),
      (e: { code?: string; message: string }) => e.code === E_TARGET_CONFIG && re.test(e.message),
    );
  bad({ stages: [] }, /jobs\.stages.*at least one stage/);
  bad({ stages: [{ name: 'a', after: '1s' }], pending: 'maybe' }, /jobs\.pending.*status or not-found/);
  bad({ stages: [{ name: 'a b', after: '1s' }] }, /stages\[0\]\.name: a stage name is a word/);
  assert.throws(() => validateTargetConfig({ routes: [{ kind: 'static', path: '/j', jobs: {} }] }), /only for kind jobs/);
});
