import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measuredFromData } from './measured.js';

test('a finding with rates left uncertain above its capacity plans from the conservative capacity, and says so', () => {
  const finding = {
    stoppedBecause: 'found',
    capacity: 80,
    breaksAt: 90,
    slos: { http_req_duration: ['p(95)<200'] },
    steps: [
      { rate: 80, achievedRps: 80, inFlight: 4, ok: true },
      { rate: 90, achievedRps: 90, inFlight: 6, ok: false },
    ],
    range: { uncertain: [90] },
  };
  const m = measuredFromData(finding as never, 'f.json', {});
  assert.equal(m.rps, 80);
  assert.equal(m.latencyMs, 50);
  assert.match(m.warnings.join(' '), /could not decide 90\/s \(too few requests per step\): the instance may sustain more/);
  // A finding from before the intervals (no range) reads as before.
  const { range: _r, ...old } = finding;
  assert.deepEqual(measuredFromData(old as never, 'f.json', {}).warnings, []);
});
