/**
 * `sse_open` after a hard stop: streams of VUs stopped while their iteration was elsewhere (not
 * awaiting sse.open) end a little after the stop (the request's close); the worker must count them
 * ended before its final flush, or the run ends with streams "open" that are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

test('sse_open: streams of VUs stopped mid-iteration are ended (0) at the end of the run', async () => {
  const t = await startTarget({ profile: 'none', routes: [{ kind: 'sse', path: '/sse', sse: { events: 1000, interval: '100ms' } } as never] });
  const dir = mkdtempSync(join(tmpdir(), 'volley-sse-open-stop-'));
  try {
    const script = writeScript(`
      import sse from 'volley/sse';
      import { sleep } from 'volley';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 3, duration: '2s', gracefulStop: '0s' } } };
      export default async function () {
        sse.open(__ENV.BASE_URL + '/sse').catch(() => {});
        await sleep(30);
      }`);
    const out = join(dir, 's.json');
    const r = await runVolley(['run', script, '--quiet', '--workers', '1', '-e', `BASE_URL=${t.url}`, '--summary-export', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const col: (number | null)[] = s.volley.timeSeries.series.sse_open;
    assert.ok(col, Object.keys(s.volley.timeSeries.series).join(', '));
    assert.equal(Math.max(...col.map((v) => v ?? 0)), 3, col.join(', '));
    assert.equal(col.at(-1), 0, col.join(', '));
    assert.equal(s.metrics.sse_open.values.value, 0);
  } finally {
    await t.close();
  }
});
