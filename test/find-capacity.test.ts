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

interface StepJson {
  rate: number;
  ok: boolean;
  verdict: 'held' | 'broke' | 'uncertain';
  extended: boolean;
  p95Ms: number;
  stoppedEarly: boolean;
  durationMs: number;
  slos: Array<{ metric: string; expr: string; value: number | null; lower: number | null; upper: number | null; n: number; method: string; verdict: string }>;
}

test('find-capacity finds the configured knee of a target route within one step, with a 95 % interval per step, and stops broken steps early', async () => {
  const target = await startTarget({ profile: 'none', routes: [{ path: '/work', latency: '100ms', concurrency: { max: 4, queue: 1000 } }] as never });
  try {
    const script = writeScript(SCRIPT);
    // 3 s steps from 30/s: at least 90 requests a step, enough for p(95) to have an upper bound (72).
    const r = await runVolley(
      ['find-capacity', script, '-e', `BASE_URL=${target.url}`, '--slo', 'http_req_duration:p(95)<400', '--start-rate', '30', '--step-duration', '3s', '--precision', '0.3', '--cooldown', '500ms', '--max-steps', '8', '--json', '--quiet'],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const f = JSON.parse(r.stdout);
    assert.equal(f.stoppedBecause, 'found', f.explanation);
    // The knee is 40/s: the rate found held, the next one probed broke, and 40 lies between them
    // or within one step (on a loaded machine the target's timers run late, so a bit below 40).
    assert.ok(f.capacity >= 20 && f.capacity <= 50, `capacity ${f.capacity}/s`);
    assert.ok(f.breaksAt > f.capacity && f.breaksAt <= 60, `breaks at ${f.breaksAt}/s`);
    assert.deepEqual(f.slos, { http_req_duration: ['p(95)<400'] });
    const steps = f.steps as StepJson[];
    // Every step has the SLO's interval from the step's own histogram: coherent, and deciding the verdict.
    for (const s of steps) {
      assert.equal(s.slos.length, 1, JSON.stringify(s));
      const x = s.slos[0]!;
      assert.equal(x.method, 'order statistics');
      assert.ok(x.n > 0 && x.value !== null && Math.abs(x.value - s.p95Ms) < 1e-9, JSON.stringify(s));
      assert.ok(x.lower === null || x.lower <= x.value!, JSON.stringify(x));
      assert.ok(x.upper === null || x.value! <= x.upper, JSON.stringify(x));
      if (s.verdict === 'held') assert.ok(x.upper !== null && x.upper < 400, `held only with the whole interval under 400: ${JSON.stringify(x)}`);
      if (s.verdict === 'broke') assert.ok(x.lower !== null && x.lower >= 400, `broke only with the whole interval over 400: ${JSON.stringify(x)}`);
      if (s.verdict === 'uncertain') assert.ok((x.lower ?? 0) < 400 && (x.upper ?? Infinity) >= 400, JSON.stringify(x));
      assert.equal(s.ok, s.verdict === 'held');
    }
    const over = steps.find((s) => s.rate === 60 && s.verdict === 'broke');
    assert.ok(over && over.p95Ms > 400, JSON.stringify(steps));
    assert.ok(over.stoppedEarly && over.durationMs < 3000 + 1000, 'the overloaded step was stopped once its SLO clearly broke');
    const last = new Map(steps.map((s) => [s.rate, s]));
    assert.ok([...last.values()].every((s) => s.ok === s.rate <= f.capacity), 'every rate up to the capacity held (its last step), every one above did not');
    assert.deepEqual(f.range.holds, f.capacity);
    assert.equal(f.range.confidence, 0.95);
    assert.ok(f.range.breaks === null || f.range.breaks >= f.breaksAt);
    assert.match(f.headline, /^Capacity: \d+(\.\d+)?\/s meeting http_req_duration p\(95\)<400 \(95 % confident every SLO holds at /);
  } finally {
    await target.close();
  }
});

test('find-capacity: steps too short to decide give "uncertain", not a verdict, and say how long a step would decide', async () => {
  const target = await startTarget({ profile: 'none', routes: [{ path: '/work', latency: '5ms' }] as never });
  try {
    const script = writeScript(SCRIPT);
    const dir = mkdtempSync(join(tmpdir(), 'volley-find-'));
    // 5 requests: p(95) < 500 clearly holds by its measured value, yet 5 values cannot bound p(95) above.
    const r = await runVolley(['find-capacity', script, '-e', `BASE_URL=${target.url}`, '--slo', 'http_req_duration:p(95)<500', '--start-rate', '5', '--step-duration', '1s', '--cooldown', '0', '--uncertain', 'broke', '--quiet', '--out', join(dir, 'f.json')]);
    assert.equal(r.code, 99, r.stderr + r.stdout);
    const f = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'));
    assert.equal(f.steps.length, 1, '--uncertain broke: no re-run');
    const s = f.steps[0] as StepJson;
    assert.equal(s.verdict, 'uncertain');
    assert.ok(s.p95Ms < 500 && s.slos[0]!.upper === null && s.slos[0]!.n <= 6, JSON.stringify(s));
    assert.equal(f.capacity, null);
    assert.equal(f.stoppedBecause, 'below-start');
    assert.equal(f.saturation, null);
    assert.match(r.stdout, /^Capacity: not shown at 5\/s — http_req_duration p\(95\)<500 could not be decided at the first step/);
    assert.match(r.stdout, /hint: at 5\/s, http_req_duration p\(95\) was [\d.]+ ms \[[\d.]+, ∞\] over \d values \(95 % interval\), straddling p\(95\)<500: --step-duration 30s would narrow p\(95\)'s interval to about /);
    assert.match(r.stdout, /\s5\s.*p\(95\) [\d.]+ ms \[[\d.]+, ∞\]\s+uncertain\n/);
  } finally {
    await target.close();
  }
});

test('find-capacity: the text report has the capacity with its SLO and the step table; a bad SLO is named', async () => {
  const target = await startTarget({ profile: 'none', routes: [{ path: '/work', latency: '5ms' }] as never });
  try {
    const script = writeScript(SCRIPT);
    const dir = mkdtempSync(join(tmpdir(), 'volley-find-'));
    // 100 and 200 requests a step: enough to show p(95) < 500 with 95 % confidence.
    const r = await runVolley(['find-capacity', script, '-e', `BASE_URL=${target.url}`, '--slo', 'http_req_duration:p(95)<500', '--start-rate', '50', '--max-rate', '100', '--step-duration', '2s', '--cooldown', '0', '--quiet', '--out', join(dir, 'f.json'), '--report', join(dir, 'f.html')]);
    assert.equal(r.code, 0, r.stderr);
    // The finding feeds a capacity plan, and its report has the Capacity section.
    const c = await runVolley(['capacity', '--measured', join(dir, 'f.json'), '--traffic', 'rps=1000', '--headroom', '0%', '--json']);
    assert.equal(c.code, 0, c.stderr);
    const plan = JSON.parse(c.stdout);
    assert.equal(plan.measured.rps, 100);
    assert.equal(plan.instances, 10);
    assert.match(plan.measured.source, /the highest rate meeting http_req_duration p\(95\)<500 \(volley find-capacity\)/);
    assert.match(plan.warnings.join(' '), /nothing broke up to the search's maximum rate/);
    const html = readFileSync(join(dir, 'f.html'), 'utf8');
    assert.match(html, /<section class="panel" id="capacity">/);
    assert.match(html, /<tr data-rate="100" data-ok="true" data-verdict="held">.*<td class="mono">p\(95\) [\d.]+ ms \[[\d.]+, [\d.]+\]<\/td>/);
    const rep = await runVolley(['report', join(dir, 'f.json'), '-o', join(dir, 'again.html')]);
    assert.equal(rep.code, 0, rep.stderr);
    assert.equal(readFileSync(join(dir, 'again.html'), 'utf8'), html, 'volley report renders a saved finding as the same page');
    assert.match(r.stdout, /^Capacity: at least 100\/s meeting http_req_duration p\(95\)<500 \(nothing broke up to --max-rate; 95 % confident every SLO holds at 100\/s\)/);
    assert.match(r.stdout, /rate\/s\s+achieved req\/s\s+p95 ms\s+errors\s+dropped\s+in flight\s+time\s+SLO \[95 % CI\]\s+verdict\n\s+50\s+\d+\.\d\s+\d+\.\d\s+0\.00 %\s+0\s+\d+\.\d\s+\d\.\ds\s+p\(95\) [\d.]+ ms \[[\d.]+, [\d.]+\]\s+held\n\s+100\s/);
    const bad = await runVolley(['find-capacity', script, '--slo', 'http_req_duration:p95<300']);
    assert.equal(bad.code, 104);
    assert.match(bad.stderr, /--slo "http_req_duration:p95<300": "p95<300" is not a threshold expression; did you mean "p\(95\)<300"\?/);
  } finally {
    await target.close();
  }
});
