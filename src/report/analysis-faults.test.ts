import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recoveryFinding } from './analysis-faults.js';
import { craft } from './testing/test-support.js';

test('recovery after faults is a finding with its numbers; critical when its threshold failed; none without faults', () => {
  const d = craft();
  assert.equal(recoveryFinding(d), undefined);
  d.metrics['recovery_time'] = { type: 'trend', contains: 'time', values: { avg: 1500, max: 2000, count: 2 } };
  d.metrics['faults_injected'] = { type: 'counter', contains: 'default', values: { count: 120, rate: 2 } };
  const f = recoveryFinding(d)!;
  assert.equal(f.severity, 'info');
  assert.match(f.title, /After 2 fault windows or spikes, the system took up to 2(\.0+)?s/);
  assert.match(f.detail, /120 injections/);
  d.metrics['recovery_time'].thresholds = { 'max<1000': { ok: false } };
  assert.equal(recoveryFinding(d)!.severity, 'critical');
});
