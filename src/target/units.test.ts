import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMs, parseDurationMs, parseSizeBytes } from './units.js';

test('durations: units, chains, numbers as ms; bare numeric strings and negatives rejected', () => {
  assert.equal(parseDurationMs('300ms'), 300);
  assert.equal(parseDurationMs('1.5s'), 1500);
  assert.equal(parseDurationMs('1m30s'), 90_000);
  assert.equal(parseDurationMs('250us'), 0.25);
  assert.equal(parseDurationMs(42), 42);
  assert.equal(parseDurationMs('300'), undefined);
  assert.equal(parseDurationMs('-1s'), undefined);
  assert.equal(parseDurationMs(-1), undefined);
  assert.equal(parseDurationMs('fast'), undefined);
  assert.equal(parseDurationMs(''), undefined);
  assert.equal(parseDurationMs(null), undefined);
});

test('sizes: binary units, case-insensitive, numbers as bytes', () => {
  assert.equal(parseSizeBytes('1kb'), 1024);
  assert.equal(parseSizeBytes('10MB'), 10 * 1024 * 1024);
  assert.equal(parseSizeBytes('1.5 KiB'), 1536);
  assert.equal(parseSizeBytes('512'), 512);
  assert.equal(parseSizeBytes(2048), 2048);
  assert.equal(parseSizeBytes('1xb'), undefined);
  assert.equal(parseSizeBytes('-1kb'), undefined);
});

test('formatMs', () => {
  assert.equal(formatMs(0.5), '500µs');
  assert.equal(formatMs(12.34), '12.3ms');
  assert.equal(formatMs(1500), '1.5s');
  assert.equal(formatMs(90_000), '1.5m');
});
