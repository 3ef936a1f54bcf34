import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDrift, driftOf } from './drift.js';

/** A seeded LCG: noise that is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const col = { series: 'x', label: 'p95 latency', unit: 'ms' as const };

test('a steady noisy series has no drift; a slowly growing one has, with its slope in the confidence interval', () => {
  const r = rng(7);
  const t = Array.from({ length: 3600 }, (_, i) => 1e12 + i * 1000);
  const steady = t.map(() => 100 + (r() - 0.5) * 40);
  const f = driftOf(t, steady, col)!;
  assert.equal(f.drift, 'none', f.text);
  assert.match(f.text, /^p95 latency: no drift/);
  // +20 ms over the hour on a 100 ms level, under ±20 ms of noise and a few 10× spikes.
  const growing = t.map((_, i) => 100 + (20 * i) / 3600 + (r() - 0.5) * 40 + (i % 500 === 0 ? 900 : 0));
  const g = driftOf(t, growing, col)!;
  assert.equal(g.drift, 'up', g.text);
  // A 95 % interval around the estimate, a few ms/h wide.
  assert.ok(g.slopeLowPerHour < g.slopePerHour && g.slopePerHour < g.slopeHighPerHour, `${g.slopeLowPerHour}..${g.slopeHighPerHour}`);
  assert.ok(g.slopeLowPerHour > 10 && g.slopeHighPerHour < 30, `${g.slopeLowPerHour}..${g.slopeHighPerHour}`);
  assert.ok(Math.abs(g.slopePerHour - 20) < 5, String(g.slopePerHour));
  assert.match(g.text, /^p95 latency grew 1\d %\/h \(\+1\d % over 60 min\), significant \(p < 0\.001\)$/);
});

test('a significant but tiny trend is not drift; too few points say nothing; falling memory is drift down', () => {
  const t = Array.from({ length: 120 }, (_, i) => i * 1000);
  const tiny = driftOf(t, t.map((_, i) => 1000 + i * 0.01), col)!;
  assert.ok(tiny.pValue < 0.01);
  assert.equal(tiny.drift, 'none');
  assert.equal(driftOf(t.slice(0, 5), [1, 2, 3, 4, 5], col), undefined);
  const nulls = t.map((_, i) => (i % 2 === 0 ? null : 1e8 - i * 1e5));
  const down = driftOf(t, nulls, { series: 'monitor_rss', label: 'rss', unit: 'bytes' })!;
  assert.equal(down.drift, 'down');
  assert.equal(analyzeDrift({ intervalMs: 1000, t, series: { 'http_req_duration.p95': t.map(() => 5), 'monitor_process_resident_memory_bytes': t.map((_, i) => 5e7 + i * 1e6) } }).map((d) => [d.label, d.drift]).join(' '), 'p95 latency,none process_resident_memory_bytes,up');
});
