import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrendSink } from './sinks.js';

// The HDR histogram has 1 µs resolution and 3 significant digits: a unitless web vital (CLS 0.000427)
// lands in bucket 0, and 100 ms in a bucket whose reported value is 100.03 ms. The summary showed
// `min=0.000427 med=0` and `med=100.03ms max=100ms`: no statistic may leave [min, max].
test('a trend\'s median and percentiles stay within its exact min and max', () => {
  const cls = new TrendSink();
  cls.add(0.000427);
  assert.equal(cls.get('med'), 0.000427);
  assert.equal(cls.percentile(90), 0.000427);
  const fcp = new TrendSink();
  fcp.add(100);
  assert.equal(fcp.get('med'), 100);
  assert.equal(fcp.percentile(99), 100);
  const two = new TrendSink();
  two.add(0.0002);
  two.add(0.0009);
  for (const p of [1, 50, 99]) {
    const v = two.percentile(p)!;
    assert.ok(v >= 0.0002 && v <= 0.0009, `p(${p}) = ${v}`);
  }
});
