import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rfc3339Formatter } from './time-format.js';

describe('Rfc3339Formatter', () => {
  it('prints UTC with up to µs, trailing zeros trimmed (Go RFC3339Nano)', () => {
    const f = new Rfc3339Formatter();
    const t = Date.UTC(2025, 0, 15, 9, 30, 0);
    assert.equal(f.format(t), '2025-01-15T09:30:00Z');
    assert.equal(f.format(t + 123), '2025-01-15T09:30:00.123Z');
    assert.equal(f.format(t + 123.4), '2025-01-15T09:30:00.1234Z');
    assert.equal(f.format(t + 0.001), '2025-01-15T09:30:00.000001Z');
    assert.equal(f.format(t + 999.9999), '2025-01-15T09:30:01Z'); // rounds into the next second
    assert.equal(f.format(t + 61_000.5), '2025-01-15T09:31:01.0005Z');
    assert.equal(f.formatSeconds(t + 1999), '2025-01-15T09:30:01Z');
  });
});
