/**
 * `volley aggregate` with real runners: two processes running the two halves of one test push to
 * it each second; a threshold that holds on each runner but fails on the whole test (4 VUs in all,
 * 2 each: 'value<3') stops both through abortOnFail, the live dashboard shows the merged VUs, and
 * `volley merge` of their summaries agrees. Bad flags are config errors (104).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAggregate } from '../src/cli/aggregate/command.js';
import { runVolley, writeScript } from './helpers.js';

const SCRIPT = `
  import { sleep } from 'volley';
  export const options = {
    scenarios: { s: { executor: 'constant-vus', vus: 4, duration: '40s', gracefulStop: '0s' } },
    thresholds: { vus: [{ threshold: 'value<3', abortOnFail: true }], iterations: ['count>0'] },
  };
  export default async function () { await sleep(0.05); }`;

test('two runners pushing to volley aggregate: a threshold failing on the merge stops both; the dashboard shows the whole test', async () => {
  const agg = await startAggregate({ listen: '127.0.0.1:0', runners: 2, quiet: true, dashboard: { port: 0 } });
  const dir = mkdtempSync(join(tmpdir(), 'volley-aggregate-'));
  try {
    // The dashboard's event stream, read until the aggregate closes it.
    const events = (async () => {
      const res = await fetch(new URL('events', agg.dashboardUrl!), { headers: { accept: 'text/event-stream' } });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({ event: m[1]!, data: JSON.parse(m[2]!) as Record<string, unknown> }));
    })();
    const script = writeScript(SCRIPT);
    const t0 = Date.now();
    const runner = (seg: string, out: string) => runVolley(['run', script, '--quiet', '--execution-segment', seg, '--aggregate', agg.url, '--summary-export', join(dir, out)], { timeoutMs: 60_000 });
    const [a, b] = await Promise.all([runner('0:1/2', 'p1.json'), runner('1/2:1', 'p2.json')]);
    const took = Date.now() - t0;
    for (const r of [a, b]) {
      assert.equal(r.code, 0, `a runner's verdict is volley merge's (exit 0): ${r.stderr}`);
      assert.match(r.stderr, /test aborted: threshold "value<3" on vus failed across 2 runners/);
    }
    assert.ok(took < 25_000, `stopped early, not at the end of the 40 s test (${took} ms)`);
    const finished = await Promise.race([agg.finished, new Promise((r) => setTimeout(r, 20_000, 'still waiting after 20 s'))]);
    assert.equal(finished, 99, 'the aggregate ends once both runners finished, with the merge failing');

    const ev = await events;
    assert.ok(ev.some((e) => e.event === 'start'), ev.map((e) => e.event).join(', '));
    const vus = ev.filter((e) => e.event === 'update').map((e) => (e.data.live as { vus: number } | undefined)?.vus ?? 0);
    assert.ok(vus.includes(4), `the dashboard shows both runners' VUs (4): ${vus.join(', ')}`);

    const m = await runVolley(['merge', join(dir, 'p1.json'), join(dir, 'p2.json'), '-o', join(dir, 'merged.json'), '--quiet'], { timeoutMs: 30_000 });
    assert.equal(m.code, 99, `volley merge agrees: ${m.stderr}`);
  } finally {
    agg.stop();
  }
});

test('an aggregate that cannot be reached is a warning: the run goes on and passes', async () => {
  const script = writeScript(`
    export const options = { vus: 1, duration: '2s' };
    export default async function () { await new Promise((r) => setTimeout(r, 50)); }`);
  // Port 9 (discard) on loopback: nothing listens there in the test machine.
  const r = await runVolley(['run', script, '--quiet', '--aggregate', 'http://127.0.0.1:9'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stderr.match(/cannot push to volley aggregate/g) ?? []).length, 1, `said once: ${r.stderr}`);
});

test('bad aggregate flags are config errors naming the value (exit 104)', async () => {
  const script = writeScript(`export default function () {}`);
  const bad = await runVolley(['run', script, '--quiet', '--aggregate', 'localhost:6565'], { timeoutMs: 30_000 });
  assert.equal(bad.code, 104, bad.stderr);
  assert.match(bad.stderr, /--aggregate "localhost:6565" is not an http\(s\) URL/);
  const open = await runVolley(['aggregate', '--listen', '0.0.0.0:0'], { timeoutMs: 30_000 });
  assert.equal(open.code, 104, open.stderr);
  assert.match(open.stderr, /without a token/);
  const listen = await runVolley(['aggregate', '--listen', 'nowhere'], { timeoutMs: 30_000 });
  assert.equal(listen.code, 104, listen.stderr);
  assert.match(listen.stderr, /--listen "nowhere" is not host:port/);
});

test('a malformed push is refused (400) and the aggregate goes on; a push without the token gets 401 naming --aggregate-token', async () => {
  const agg = await startAggregate({ listen: '127.0.0.1:0', quiet: true });
  const tokened = await startAggregate({ listen: '127.0.0.1:0', quiet: true, token: 'x'.repeat(32) });
  try {
    const post = (url: string, body: unknown) => fetch(`${url}/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const base = {
      v: 1, runner: 'r', seq: 0, segment: '0:1', scriptHash: 'h', failWithoutSamples: true, thresholds: {}, series: [], breakdowns: [], row: null, aggregates: [], done: false,
      meta: { script: 's', startTimeMs: Date.now(), plannedMs: 1000, scenarios: {}, version: 'v' },
      live: { elapsedMs: 0, plannedMs: 1000, vus: 0, vusMax: 0, iterations: 0, rps: null, p95: null, errorRate: null, scenarios: [null], failedThresholds: 0, eventLoopDelayP99Ms: 0, cpuPercent: 0 },
    };
    const bad = await post(agg.url, base);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /live.scenarios/);
    const junk = await post(agg.url, { ...base, live: { ...base.live, scenarios: [] }, aggregates: [{ metric: 'm', part: 'total', key: '', type: 'trend', contains: 'time', trend: { count: 1, sum: 1, min: 1, max: 1, hdr: 'not base64 hdr' } }] });
    assert.equal(junk.status, 409, await junk.text());
    await new Promise((r) => setTimeout(r, 1200)); // a tick passes
    const status = await fetch(`${agg.url}/v1/status`);
    assert.equal(status.status, 200, 'still up');
    const denied = await post(tokened.url, { ...base, live: { ...base.live, scenarios: [] } });
    assert.equal(denied.status, 401);
    assert.match(await denied.text(), /--aggregate-token/);
  } finally {
    agg.stop();
    tokened.stop();
  }
});
