/**
 * volley capacity: the arithmetic from a traffic model and a measured run (plan 001 §10's seed
 * example against the target), and clear errors for bad models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley } from './helpers.js';

test('plan 001 §10: measure one instance, then plan 1,000 orgs × 1,000 queries/day, peak 10×, 50 % headroom', async () => {
  const target = await startTarget({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'volley-capacity-'));
  try {
    const summary = join(dir, 'one-instance.json');
    const r = await runVolley(['run', 'examples/seeds/001-10-capacity.ts', '--quiet', '-e', `BASE_URL=${target.url}`, '-e', 'SCALE=0.01', '--summary-export', summary]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const c = await runVolley(['capacity', '--measured', summary, '--traffic', 'orgs=1000, per_org_per_day=1000, peak=10x', '--headroom', '50%', '--json', '--markdown', join(dir, 'plan.md')]);
    assert.equal(c.code, 0, c.stderr);
    const p = JSON.parse(c.stdout);
    assert.ok(Math.abs(p.averageRps - 1e6 / 86_400) < 1e-9);
    assert.ok(Math.abs(p.peakRps - 1e7 / 86_400) < 1e-9);
    assert.ok(Math.abs(p.requiredRps - 1.5e7 / 86_400) < 1e-9);
    // The measured rate is the arrival rate the run held (20/s at this scale), within scheduling noise.
    assert.ok(p.measured.rps >= 15 && p.measured.rps <= 25, `measured ${p.measured.rps}`);
    assert.equal(p.instances, Math.ceil(p.requiredRps / p.measured.rps));
    assert.ok(Math.abs(p.inFlight - p.plannedRps * (p.measured.latencyMs / 1000)) < 1e-9, "Little's law");
    // On a loaded machine the generator may be flagged as saturated; the SLOs themselves held.
    assert.deepEqual(p.warnings.filter((w: string) => !/generator was saturated/.test(w)), []);
    assert.match(readFileSync(join(dir, 'plan.md'), 'utf8'), /\| instances \| ⌈174 ÷ \d+(\.\d+)?⌉ \| \*\*\d+\*\* \|/);
    // --report: the measured run's own report, with the plan as a section (and in its contents).
    const html = join(dir, 'plan.html');
    const h = await runVolley(['capacity', '--measured', summary, '--traffic', 'orgs=1000, per_org_per_day=1000, peak=10x', '--report', html]);
    assert.equal(h.code, 0, h.stderr);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<section class="panel" id="capacity-plan"><h2>Capacity plan <span class="count">\d+ instances?, headroom 50 %/);
    assert.match(page, /href="#capacity-plan"/);
    assert.match(page, /id="thresholds"/, 'the run report around it');
    assert.match(page, /⌈174 ÷ \d+(\.\d+)?⌉/);
  } finally {
    await target.close();
  }
});

test('volley capacity: text output shows the arithmetic; a failed measurement is flagged', async () => {
  const c = await runVolley(['capacity', '--capacity-rps', '250', '--latency-ms', '40', '--traffic', 'users=200000, per_user_per_day=50, requests_per_action=3, peak=8x, growth=1.5x', '--headroom', '30%']);
  assert.equal(c.code, 0, c.stderr);
  // 200,000 × 50 × 3 = 30,000,000/day → 347 req/s avg → ×8 = 2,778 → ×1.5 = 4,167 → ×1.3 = 5,417 → ⌈5,417 / 250⌉ = 22.
  assert.match(c.stdout, /requests per day\s+30,000,000\s+= 200,000 users × 50 per_user_per_day × 3 requests_per_action/);
  assert.match(c.stdout, /instances\s+22\s+= ⌈5,417 ÷ 250⌉/);
  assert.match(c.stdout, /in flight at planned peak \(Little: L = λW\)\s+167\s+= 4,167 req\/s × 0\.04 s/);
  const dir = mkdtempSync(join(tmpdir(), 'volley-capacity-'));
  const failed = join(dir, 'failed.json');
  writeFileSync(failed, JSON.stringify({ metrics: { http_reqs: { values: { count: 900, rate: 300 } }, http_req_duration: { values: { avg: 80 }, thresholds: { 'p(95)<300': { ok: false } } } } }));
  const f = await runVolley(['capacity', '--measured', failed, '--traffic', 'rps=1000']);
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stdout, /! the measured run failed thresholds \(http_req_duration: p\(95\)<300\)/);
  assert.match(f.stdout, /one instance sustains\s+300 req\/s\s+= .*the run’s average req\/s/);
});

test('volley capacity --report without a measured run: the plan on its own page', async () => {
  const html = join(mkdtempSync(join(tmpdir(), 'volley-capacity-')), 'plan.html');
  const c = await runVolley(['capacity', '--capacity-rps', '250', '--latency-ms', '40', '--traffic', 'users=1000, per_user_per_day=100', '--report', html]);
  assert.equal(c.code, 0, c.stderr);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<title>Capacity plan · Volley<\/title>/);
  assert.match(page, /id="capacity-plan"/);
  assert.match(page, /one instance sustains/);
});

test('volley capacity: bad models and inputs are named (exit 104)', async () => {
  const bad = async (args: string[], re: RegExp) => {
    const r = await runVolley(['capacity', ...args]);
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, re);
  };
  const given = ['--capacity-rps', '100', '--latency-ms', '20'];
  await bad(['--traffic', 'orgs=10, per_org_per_dya=5', ...given], /unknown key 'per_org_per_dya'; did you mean 'per_org_per_day'\?/);
  await bad(['--traffic', 'orgs=10', ...given], /per_org_per_day is missing/);
  await bad(['--traffic', 'rps=10, users=5, per_user_per_day=1', ...given], /more than one way/);
  await bad(['--traffic', 'rps=10, peak=ten', ...given], /peak=ten: expected a number above 0/);
  await bad(['--traffic', 'rps=10', '--headroom', 'lots', ...given], /--headroom 'lots' is not a percentage/);
  await bad(['--traffic', 'rps=10'], /no measured capacity/);
  await bad(['--traffic', 'rps=10', '--measured', '/nonexistent/x.json'], /--measured \/nonexistent\/x\.json: no such file/);
});

test('volley capacity --measured RUN_ID reads the stored run from the history', async () => {
  const target = await startTarget({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'volley-capacity-'));
  try {
    const store = join(dir, 'history.db');
    const r = await runVolley(['run', 'examples/seeds/001-10-capacity.ts', '--quiet', '--no-summary', '-e', `BASE_URL=${target.url}`, '-e', 'SCALE=0.01', '--save', '--store', store]);
    assert.equal(r.code, 0, r.stderr);
    const c = await runVolley(['capacity', '--measured', '1', '--store', store, '--traffic', 'rps=100', '--json']);
    assert.equal(c.code, 0, c.stderr);
    const p = JSON.parse(c.stdout);
    assert.match(p.measured.source, /^run 1 \(.*001-10-capacity\.ts\): median req\/s over the busiest/);
    assert.ok(p.measured.rps >= 15 && p.measured.rps <= 25, `measured ${p.measured.rps}`);
    const missing = await runVolley(['capacity', '--measured', '7', '--store', store, '--traffic', 'rps=100']);
    assert.equal(missing.code, 104);
    assert.match(missing.stderr, /--measured 7: no run 7 in/);
  } finally {
    await target.close();
  }
});
