/**
 * `ws_open` end to end: 3 VUs on two worker threads, each holding a ~1 s session on `volley
 * target`'s echo socket, show 3 sessions open in the per-second series, summed over the workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../src/target/index.js';
import { runVolley, writeScript } from './helpers.js';

test('ws_open: 3 VUs each holding a 1 s session are 3 sessions open, summed over 2 workers', async () => {
  const t = await startTarget({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'volley-ws-open-'));
  try {
    const script = writeScript(`
      import ws from 'volley/ws';
      export const options = { vus: 3, duration: '3s' };
      export default async function () {
        await ws.connect(__ENV.WS_URL, {}, (socket) => { socket.on('open', () => socket.setTimeout(() => socket.close(), 1000)); });
      }`);
    const out = join(dir, 's.json');
    const r = await runVolley(['run', script, '--quiet', '--workers', '2', '-e', `WS_URL=${t.url.replace(/^http/, 'ws')}/ws/echo`, '--summary-export', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    const col: (number | null)[] = s.volley.timeSeries.series.ws_open;
    assert.ok(col, Object.keys(s.volley.timeSeries.series).join(', '));
    assert.ok(col[1]! >= 2 && col[1]! <= 3, `second 1: ${col[1]} open (${col.join(', ')})`);
    assert.equal(Math.max(...col.map((v) => v ?? 0)), 3, col.join(', '));
    assert.equal(col.at(-1), 0, col.join(', '));
    assert.deepEqual(s.metrics.ws_open.values, { value: 0, min: 0, max: 3 });
  } finally {
    await t.close();
  }
});
