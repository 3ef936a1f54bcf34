import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SnapshotFixture, standardLoad } from '../testing/monitoring-fixture.js';
import { DEFAULT_TREND_STATS } from '../monitoring-options.js';
import { seriesViews } from '../monitoring-views.js';
import { K6_TAGS_BREAKDOWN } from './k6-tags.js';
import { createRemoteWriteOutput } from './remote-write-output.js';
import { promSeries } from './series.js';
import { context } from '../testing/helpers.js';

const naming = { prefix: 'k6_', trendStats: DEFAULT_TREND_STATS, labels: {} };

test('k6Tags: the k6 tag rows under k6 names replace the untagged totals; they sum to the totals', () => {
  const f = new SnapshotFixture(undefined, [K6_TAGS_BREAKDOWN]);
  standardLoad(f);
  const snap = f.snapshot(Date.now());
  const plain = promSeries(snap, seriesViews(snap), naming);
  const tagged = promSeries(snap, seriesViews(snap), { ...naming, k6Tags: true });
  const reqs = tagged.filter((s) => s.name === 'k6_http_reqs_total');
  // /a GET 200 (10), /b POST 201 (4), /b POST 500 (1): one series per k6 tag set.
  assert.deepEqual(
    reqs.map((s) => [Object.fromEntries(s.labels), s.value]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    [
      [{ expected_response: 'false', method: 'POST', name: 'http://127.0.0.1/b', scenario: 'buy', status: '500' }, 1],
      [{ expected_response: 'true', method: 'GET', name: 'http://127.0.0.1/a', scenario: 'browse', status: '200' }, 10],
      [{ expected_response: 'true', method: 'POST', name: 'http://127.0.0.1/b', scenario: 'buy', status: '201' }, 4],
    ],
  );
  assert.equal(reqs.reduce((a, s) => a + s.value, 0), plain.find((s) => s.name === 'k6_http_reqs_total' && s.labels.length === 0)!.value);
  assert.equal(tagged.filter((s) => s.name === 'k6_http_reqs_total' && s.labels.length === 0).length, 0, 'no untagged total beside the rows');
  assert.equal(tagged.filter((s) => s.name === 'k6_http_req_duration_p99').length, 3);
  // Metrics outside the tag set keep their total; without k6Tags the rows keep a name of their own.
  assert.ok(tagged.some((s) => s.name === 'k6_vus'));
  assert.ok(plain.some((s) => s.name === 'k6_by_k6_http_reqs_total'));
});

test('prometheus-rw k6Tags=true asks the run for the k6 tag table; a bad value is refused', () => {
  const o = createRemoteWriteOutput('http://127.0.0.1:9/api/v1/write,k6Tags=true', context('/tmp'));
  assert.deepEqual(o.breakdowns, [K6_TAGS_BREAKDOWN]);
  assert.equal(createRemoteWriteOutput('http://127.0.0.1:9/api/v1/write', context('/tmp')).breakdowns, undefined);
  assert.throws(() => createRemoteWriteOutput('http://127.0.0.1:9/api/v1/write,k6Tags=yes', context('/tmp')), /k6Tags=yes is not true or false/);
});
