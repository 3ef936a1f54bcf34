/**
 * `sse_open` end to end: 3 VUs on two worker threads, each holding a ~1 s stream from `volley
 * target`, show 3 streams open in the per-second series, summed over the workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

test('sse_open: 3 VUs each holding a 1 s stream are 3 streams open, summed over 2 workers', async () => {
  const t = await startTarget({ profile: 'none', routes: [{ kind: 'sse', path: '/sse', sse: { events: 10, interval: '100ms' } } as never] });
  const dir = mkdtempSync(join(tmpdir(), 'volley-sse-open-'));
  try {
    const script = writeScript(`
      import sse from 'volley/sse';
      export const options = { vus: 3, duration: '3s' };
      export default async function () { await sse.open(__ENV.BASE_URL + '/sse'); }`);
    const out = join(dir, 's.json');
    const r = await runVolley(['run', script, '--quiet', '--workers', '2', '-e', `BASE_URL=${t.url}`, '--summary-export', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const col: (number | null)[] = s.volley.timeSeries.series.sse_open;
    assert.ok(col, Object.keys(s.volley.timeSeries.series).join(', '));
    for (const i of [1]) assert.ok(col[i]! >= 2 && col[i]! <= 3, `second ${i}: ${col[i]} open (${col.join(', ')})`);
    assert.equal(Math.max(...col.map((v) => v ?? 0)), 3, col.join(', '));
    assert.equal(col.at(-1), 0, col.join(', '));
    assert.deepEqual(s.metrics.sse_open.values, { value: 0, min: 0, max: 3 });
  } finally {
    await t.close();
  }
});
