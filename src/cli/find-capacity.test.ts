import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headlineOf, rangeWords, sloIntervals, uncertaintyHints, type CapacityFinding } from './find-capacity.js';
import { Aggregator } from '../metrics/aggregator.js';
import { MetricRegistry } from '../metrics/registry.js';
import { MetricStore } from '../metrics/store.js';
import { NO_SAMPLE } from '../metrics/group.js';
import { metricCatalog } from '../protocols/index.js';
import { HTTP_EXCHANGE } from '../protocols/http/metrics.js';
import type { ThresholdEval } from '../metrics/thresholds/index.js';
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

test('a time-budget SLO is judged as its threshold evaluated it (breached seconds), not as a whole-step percentile', () => {
  const catalog = metricCatalog();
  const registry = new MetricRegistry();
  for (const m of catalog.metrics) registry.declare(m);
  const store = new MetricStore(registry, [], { breakdowns: catalog.breakdowns });
  const aggregator = new Aggregator(() => 10_000, catalog.breakdowns);
  const tags = store.tagSets.of({ scenario: 'default', name: '/x', method: 'GET', status: '200' });
  // 200 requests of 100 ms: the whole step's p95 interval lies well under 200 ms.
  for (let i = 0; i < 200; i++) store.record(HTTP_EXCHANGE, tags, Float64Array.from([1, 100, 0, 0, 0, 0.1, 99, 0.5, 0, NO_SAMPLE, 100, 300]));
  aggregator.merge(store.drain().map((e) => ({ ...e, type: registry.get(e.metric)!.type, contains: registry.get(e.metric)!.contains })));
  const budget = 'p(95)<200 per 1s budget 1h over 1d';
  const thresholds = [
    { metric: 'http_req_duration', expr: 'p(95)<200', ok: true, value: 100 },
    // One breached second of ten against an allowance of 0.4 s: the budget failed.
    { metric: 'http_req_duration', expr: budget, ok: false, value: 350 },
  ] as unknown as ThresholdEval[];
  const [plain, timeBudget] = sloIntervals({ aggregator, thresholds }, { http_req_duration: ['p(95)<200', budget] }, 10_000);
  assert.equal(plain!.verdict, 'held');
  assert.equal(plain!.method, 'order statistics');
  assert.equal(timeBudget!.verdict, 'broke');
  assert.equal(timeBudget!.method, 'observed');
  assert.equal(timeBudget!.value, 350);
});

test('a search that found nothing breaking says why it stopped: the maximum rate, the generator, or the step budget', () => {
  const base = { capacity: 160, breaksAt: null, slos: { http_req_duration: ['p(95)<200'] }, settings: { startRate: 10 }, steps: [] } as unknown as Omit<CapacityFinding, 'headline'>;
  assert.match(headlineOf({ ...base, stoppedBecause: 'max-rate' }), /at least 160\/s .*\(nothing broke up to --max-rate;/);
  assert.match(headlineOf({ ...base, stoppedBecause: 'generator' }), /at least 160\/s .*\(nothing broke before the load generator itself saturated: the system may sustain more;/);
  assert.match(headlineOf({ ...base, stoppedBecause: 'max-steps' }), /\(nothing broke within --max-steps steps: the system may sustain more;/);
});
