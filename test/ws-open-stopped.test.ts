/**
 * `ws_open` after a hard stop: sessions terminated when their VU is stopped close a little later
 * (the socket's close event); the worker must count them closed before its final flush, or the
 * run ends with sessions "open" that are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

test('ws_open: sessions of VUs stopped mid-iteration are closed (0) at the end of the run', async () => {
  const t = await startTarget({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'volley-ws-open-stop-'));
  try {
    const script = writeScript(`
      import ws from 'volley/ws';
      import { sleep } from 'volley';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 3, duration: '2s', gracefulStop: '0s' } } };
      export default async function () {
        ws.connect(__ENV.WS_URL, {}, () => {}).catch(() => {});
        await sleep(30);
      }`);
    const out = join(dir, 's.json');
    const r = await runVolley(['run', script, '--quiet', '--workers', '1', '-e', `WS_URL=${t.url.replace(/^http/, 'ws')}/ws/echo`, '--summary-export', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const col: (number | null)[] = s.volley.timeSeries.series.ws_open;
    assert.ok(col, Object.keys(s.volley.timeSeries.series).join(', '));
    assert.equal(Math.max(...col.map((v) => v ?? 0)), 3, col.join(', '));
    assert.equal(col.at(-1), 0, col.join(', '));
    assert.equal(s.metrics.ws_open.values.value, 0);
  } finally {
    await t.close();
  }
});
