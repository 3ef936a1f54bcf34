import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotFixture, standardLoad } from './testing/monitoring-fixture.js';
import { seriesViews, viewBaseName } from './monitoring-views.js';

function classified(f: SnapshotFixture): Array<[string, string, string]> {
  const snap = f.snapshot(Date.now());
  const views = seriesViews(snap);
  return snap.series.map((s, i) => [views[i]!, s.name, JSON.stringify(s.tags)]);
}

describe('seriesViews', () => {
  it('tells totals, sub-metrics and each breakdown apart in a real snapshot', () => {
    const f = new SnapshotFixture();
    standardLoad(f);
    const rows = classified(f);
    const find = (name: string, tags: Record<string, string>): string | undefined => rows.find(([, n, t]) => n === name && t === JSON.stringify(tags))?.[0];
    assert.equal(find('http_reqs', {}), 'total');
    assert.equal(find('vus', {}), 'total');
    assert.equal(find('http_req_duration', { expected_response: 'true' }), 'submetric');
    assert.equal(find('http_reqs', { name: 'http://127.0.0.1/a', method: 'GET' }), 'route');
    assert.equal(find('http_req_failed', { name: 'http://127.0.0.1/b', method: 'POST' }), 'route');
    assert.equal(find('http_reqs', { scenario: 'browse' }), 'scenario');
    assert.equal(find('iteration_duration', { scenario: 'buy' }), 'scenario');
    assert.equal(find('checks', { group: '::browse', check: 'status is 200' }), 'check');
    // A check in the root group has no group tag: still a check row.
    assert.equal(find('checks', { check: 'fast' }), 'check');
    assert.equal(find('http_req_failed', { status: '500', error_code: '1500' }), 'error');
    assert.equal(find('http_req_failed', { status: '200' }), 'error');
    // Every series is classified.
    assert.ok(rows.every(([v]) => v !== undefined));
  });

  it('a sub-metric with the same tags as a breakdown row: the first is the sub-metric, the second the row', () => {
    const f = new SnapshotFixture({ 'http_reqs{scenario:browse}': ['count>0'] });
    standardLoad(f);
    const rows = classified(f).filter(([, n, t]) => n === 'http_reqs' && t === JSON.stringify({ scenario: 'browse' }));
    assert.deepEqual(
      rows.map(([v]) => v),
      ['submetric', 'scenario'],
    );
  });

  it('a sub-metric whose tags look like part of a breakdown row is still a sub-metric', () => {
    const f = new SnapshotFixture({ 'http_req_duration{name:http://127.0.0.1/a}': ['p(95)<1000'] });
    standardLoad(f);
    const rows = classified(f).filter(([, n, t]) => n === 'http_req_duration' && t === JSON.stringify({ name: 'http://127.0.0.1/a' }));
    assert.deepEqual(
      rows.map(([v]) => v),
      ['submetric'],
    );
  });
});

describe('viewBaseName', () => {
  it('keeps the metric name for totals and prefixes the others', () => {
    assert.equal(viewBaseName('total', 'http_reqs'), 'http_reqs');
    assert.equal(viewBaseName('route', 'http_reqs'), 'by_route_http_reqs');
    assert.equal(viewBaseName('check', 'checks'), 'by_check_checks');
    assert.equal(viewBaseName('submetric', 'http_req_duration'), 'submetric_http_req_duration');
  });
});
