import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rangeWords, uncertaintyHints } from './find-capacity.js';
import type { StepOutcome } from '../capacity/search.js';
import type { SloInterval } from '../capacity/confidence.js';

const slo = (over: Partial<SloInterval>): SloInterval => ({ metric: 'http_req_duration', expr: 'p(95)<200', value: 190, lower: 170, upper: 230, n: 300, method: 'order statistics', unit: 'ms', verdict: 'uncertain', ...over });
const step = (rate: number, verdict: StepOutcome['verdict'], slos: SloInterval[], extended = false): StepOutcome => ({
  rate, achievedRps: rate, p95Ms: 100, errorRate: 0, dropped: 0, inFlight: 1, ok: verdict === 'held', verdict, slos, broken: [], extended, stoppedEarly: false, generatorLimited: false, durationMs: 10_000,
});

test('the capacity range in words: confident hold, undecided rates counted as broke, confident break', () => {
  assert.equal(
    rangeWords({ capacity: 80, breaksAt: 100, uncertainty: 20, range: { confidence: 0.95, holds: 80, breaks: 100, uncertain: [], policy: 'extend' } }),
    '95 % confident every SLO holds at 80/s; breaks at 100/s with 95 % confidence; between: not resolved, ± 20/s',
  );
  assert.equal(
    rangeWords({ capacity: 80, breaksAt: 90, uncertainty: 10, range: { confidence: 0.95, holds: 80, breaks: 100, uncertain: [90], policy: 'extend' } }),
    '95 % confident every SLO holds at 80/s; 90/s not resolved (the intervals straddled the SLO), counted as broke; breaks at 100/s with 95 % confidence',
  );
  assert.equal(
    rangeWords({ capacity: 80, breaksAt: 90, uncertainty: 10, range: { confidence: 0.95, holds: 80, breaks: null, uncertain: [90], policy: 'broke' } }),
    '95 % confident every SLO holds at 80/s; 90/s not resolved (the intervals straddled the SLO), counted as broke; no rate shown to break with 95 % confidence',
  );
});

test('hints: the longer step that would decide an undecided SLO, a value on its limit, and re-runs that decided', () => {
  const decidable = slo({ longer: { stepMs: 60_000, lower: 180, upper: 197 } });
  const onLimit = slo({ metric: 'http_req_failed', expr: 'rate<0.01', value: 0.01, lower: 0.005, upper: 0.018, n: 1000, method: 'wilson', unit: 'ratio' });
  const hints = uncertaintyHints({ steps: [step(80, 'held', [], false), step(90, 'uncertain', [decidable]), step(90, 'uncertain', [decidable, onLimit], true)] }, 10_000, 4);
  assert.deepEqual(hints, [
    "at 90/s, http_req_duration p(95) was 190 ms [170, 230] over 300 values (95 % interval), straddling p(95)<200: --step-duration 1m would narrow p(95)'s interval to about 190 ms [180, 197] and decide it",
    'at 90/s, http_req_failed rate was 1 % [0.5, 1.8] over 1,000 values (95 % interval), straddling rate<0.01: the value sits on the limit; even --step-duration 10m would not decide it, so read it as the edge of the capacity',
  ]);
  const rerun = uncertaintyHints({ steps: [step(40, 'uncertain', [decidable]), step(40, 'held', [], true)] }, 5000, 4);
  assert.deepEqual(rerun, ["1 step was too short to decide (an SLO's interval straddled its limit) and re-run 4× as long: --step-duration 20s would have decided it at once"]);
});
