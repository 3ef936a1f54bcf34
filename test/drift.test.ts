/**
 * Soak drift end to end: a loopback server that slows down a little more every second is flagged
 * (summary, text and HTML report); the same run against a steady one is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVolley, startTestServer, writeScript } from './helpers.js';

/** Answers /api after `base` ms, plus `perSecond` ms for every second since its first request. */
async function server(base: number, perSecond: number) {
  let first = 0;
  return startTestServer((req, res) => {
    if (!req.url?.startsWith('/api')) return false;
    const now = Date.now();
    first ||= now;
    setTimeout(() => res.end('{"ok":true}'), base + (perSecond * (now - first)) / 1000);
    return true;
  });
}

const SCRIPT = `
import http from 'volley/http';
export const options = { scenarios: { soak: { executor: 'constant-arrival-rate', rate: 20, duration: '14s', preAllocatedVUs: 10, maxVUs: 40 } } };
export default async function () { await http.get(__ENV.BASE_URL + '/api'); }
`;

test('a target that slows down over the run is flagged as drifting; a steady one is not', async () => {
  // A steep slope (+20 ms a second, 10 → 290 ms): a loaded machine's stalls of tens of ms in a few
  // seconds must not hide it (at +8 ms/s two noisy seconds made the trend insignificant).
  const slowing = await server(10, 20);
  const steady = await server(30, 0);
  const dir = mkdtempSync(join(tmpdir(), 'volley-drift-'));
  try {
    const script = writeScript(SCRIPT);
    const [a, b] = await Promise.all(
      [slowing, steady].map((s, i) => runVolley(['run', script, '-e', `BASE_URL=${s.url}`, '--summary-export', join(dir, `${i}.json`), '--report', join(dir, `${i}.html`)])),
    );
    assert.equal(a!.code, 0, a!.stderr);
    assert.equal(b!.code, 0, b!.stderr);
    const drift = (i: number) => JSON.parse(readFileSync(join(dir, `${i}.json`), 'utf8')).volley.drift as Array<{ series: string; drift: string; percentPerHour: number; text: string }>;
    const p95 = (i: number) => drift(i).find((d) => d.series === 'http_req_duration.p95')!;
    assert.equal(p95(0).drift, 'up', p95(0).text);
    assert.ok(p95(0).percentPerHour > 1000, p95(0).text);
    assert.equal(p95(1).drift, 'none', p95(1).text);
    assert.match(a!.stdout, /█ DRIFT\n\n\s+⚠ p95 latency grew [\d,.]+ % over 1\d s \(\+[\d,]+ %\/h\), significant/);
    assert.doesNotMatch(b!.stdout, /█ DRIFT/, 'a short steady run has nothing to say about drift');
    const html = readFileSync(join(dir, '0.html'), 'utf8');
    assert.match(html, /<tr data-drift="http_req_duration.p95" data-verdict="up"/);
  } finally {
    await slowing.close();
    await steady.close();
  }
});
