import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanizeBytes, humanizeCount, humanizeDuration, humanizePercent, humanizeValue } from './format.js';

describe('summary number formatting (k6 rules)', () => {
  it('durations pick their unit and truncate to 2 decimals', () => {
    assert.equal(humanizeDuration(0), '0s');
    assert.equal(humanizeDuration(0.0004), '400ns');
    assert.equal(humanizeDuration(0.812), '812µs');
    assert.equal(humanizeDuration(41.0789), '41.07ms');
    assert.equal(humanizeDuration(612.3), '612.3ms');
    assert.equal(humanizeDuration(1802.11), '1.8s');
    assert.equal(humanizeDuration(90_500), '1m30s'); // over a minute: whole seconds, truncated
    assert.equal(humanizeDuration(3_723_000), '1h2m3s');
    assert.equal(humanizeDuration(62.37, 'ms'), '62.37ms');
    assert.equal(humanizeDuration(62.37, 's'), '0.06s');
    assert.equal(humanizeDuration(0.5, 'us'), '500.00µs');
  });

  it('bytes in decimal units', () => {
    assert.equal(humanizeBytes(9), '9 B');
    assert.equal(humanizeBytes(352_733), '353 kB');
    assert.equal(humanizeBytes(2_104_332), '2.1 MB');
    assert.equal(humanizeBytes(48_213_775), '48 MB');
  });

  it('percentages truncate, counts get separators, values follow the metric kind', () => {
    assert.equal(humanizePercent(0.99999), '99.99%');
    assert.equal(humanizePercent(0.993), '99.30%');
    assert.equal(humanizeCount(1234567), '1,234,567');
    assert.equal(humanizeValue(0.5, { type: 'rate', contains: 'default' }), '50.00%');
    assert.equal(humanizeValue(2048, { type: 'counter', contains: 'data' }), '2.0 kB');
    assert.equal(humanizeValue(1.23456789, { type: 'gauge', contains: 'default' }), '1.234568');
  });
});
