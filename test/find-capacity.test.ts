/**
 * volley find-capacity against a `volley target` route of known capacity: 4 slots × 100 ms of
 * service = 40 requests/s (Little's law). Past it the FIFO queue grows without bound and p95 climbs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget } from '../src/target/index.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVolley, writeScript } from './helpers.js';

const SCRIPT = `
import http from 'volley/http';
export default async function () { await http.get(__ENV.BASE_URL + '/work'); }
`;

test('find-capacity finds the configured knee of a target route within one step, and stops broken steps early', async () => {
  const target = await startTarget({ profile: 'none', routes: [{ path: '/work', latency: '100ms', concurrency: { max: 4, queue: 1000 } }] as never });
  try {
    const script = writeScript(SCRIPT);
    const r = await runVolley(
      ['find-capacity', script, '-e', `BASE_URL=${target.url}`, '--slo', 'http_req_duration:p(95)<400', '--start-rate', '20', '--step-duration', '2s', '--precision', '0.3', '--cooldown', '500ms', '--max-steps', '8', '--json', '--quiet'],
      { timeoutMs: 90_000 },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const f = JSON.parse(r.stdout);
    assert.equal(f.stoppedBecause, 'found', f.explanation);
    // The knee is 40/s: the rate found held, the next one probed broke, and 40 lies between them
    // or within one step (on a loaded machine the target's timers run late, so a bit below 40).
    assert.ok(f.capacity >= 20 && f.capacity <= 50, `capacity ${f.capacity}/s`);
    assert.ok(f.breaksAt > f.capacity && f.breaksAt <= 80, `breaks at ${f.breaksAt}/s`);
    assert.deepEqual(f.slos, { http_req_duration: ['p(95)<400'] });
    const over = f.steps.find((s: { rate: number }) => s.rate === 80);
    assert.ok(over && !over.ok && over.p95Ms > 400, JSON.stringify(over));
    assert.ok(over.stoppedEarly && over.durationMs < 2000 + 1000, 'the overloaded step was stopped once its SLO clearly broke');
    assert.ok(f.steps.every((s: { ok: boolean; rate: number }) => s.ok === s.rate <= f.capacity), 'every rate up to the capacity held, every one above broke');
  } finally {
    await target.close();
  }
});

test('find-capacity: the text report has the capacity with its SLO and the step table; a bad SLO is named', async () => {
  const target = await startTarget({ profile: 'none', routes: [{ path: '/work', latency: '5ms' }] as never });
  try {
    const script = writeScript(SCRIPT);
    const dir = mkdtempSync(join(tmpdir(), 'volley-find-'));
    const r = await runVolley(['find-capacity', script, '-e', `BASE_URL=${target.url}`, '--slo', 'http_req_duration:p(95)<500', '--start-rate', '5', '--max-rate', '10', '--step-duration', '1s', '--cooldown', '0', '--quiet', '--out', join(dir, 'f.json'), '--report', join(dir, 'f.html')]);
    assert.equal(r.code, 0, r.stderr);
    // The finding feeds a capacity plan, and its report has the Capacity section.
    const c = await runVolley(['capacity', '--measured', join(dir, 'f.json'), '--traffic', 'rps=100', '--headroom', '0%', '--json']);
    assert.equal(c.code, 0, c.stderr);
    const plan = JSON.parse(c.stdout);
    assert.equal(plan.measured.rps, 10);
    assert.equal(plan.instances, 10);
    assert.match(plan.measured.source, /the highest rate meeting http_req_duration p\(95\)<500 \(volley find-capacity\)/);
    assert.match(plan.warnings.join(' '), /nothing broke up to the search's maximum rate/);
    const html = readFileSync(join(dir, 'f.html'), 'utf8');
    assert.match(html, /<section class="panel" id="capacity">/);
    assert.match(html, /<tr data-rate="10" data-ok="true"/);
    const rep = await runVolley(['report', join(dir, 'f.json'), '-o', join(dir, 'again.html')]);
    assert.equal(rep.code, 0, rep.stderr);
    assert.equal(readFileSync(join(dir, 'again.html'), 'utf8'), html, 'volley report renders a saved finding as the same page');
    assert.match(r.stdout, /^Capacity: at least 10\/s meeting http_req_duration p\(95\)<500 \(nothing broke up to --max-rate\)/);
    assert.match(r.stdout, /rate\/s\s+achieved req\/s\s+p95 ms\s+errors\s+dropped\s+in flight\s+time\s+verdict\n\s+5\s+\d+\.\d\s+\d+\.\d\s+0\.00 %\s+0\s+\d+\.\d\s+\d\.\ds\s+held\n\s+10\s/);
    const bad = await runVolley(['find-capacity', script, '--slo', 'http_req_duration:p95<300']);
    assert.equal(bad.code, 104);
    assert.match(bad.stderr, /--slo "http_req_duration:p95<300": "p95<300" is not a threshold expression; did you mean "p\(95\)<300"\?/);
  } finally {
    await target.close();
  }
});
