/**
 * Artillery YAML runs as written (test/artillery/flows.yml, in the style of Artillery's examples/):
 * as many arrivals as its phases give, each playing one scenario; payload, processor hooks,
 * captures, expectations (checks) and loops; `ensure` as thresholds (exit 99); the converted test
 * runs the same; other engines are refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { ROOT, runVolley } from './helpers.js';

const YML = join(ROOT, 'test', 'artillery', 'flows.yml');
let target: RunningTarget;
let tmp: string;
before(async () => {
  target = await startTarget({ port: 0 });
  tmp = mkdtempSync(join(tmpdir(), 'volley-art-'));
});
after(async () => {
  await target.close();
});

async function run(script: string, extra: string[] = []) {
  const exp = join(tmp, `${Math.random().toString(36).slice(2)}.json`);
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${target.url}`, '--summary-export', exp, ...extra], { timeoutMs: 60_000 });
  let m: Record<string, { values: Record<string, number> }> = {};
  try {
    m = (JSON.parse(readFileSync(exp, 'utf8')) as { metrics: typeof m }).metrics;
  } catch {
    // no export: the assertions on r say why
  }
  return { ...r, m };
}

describe('Artillery YAML as written', () => {
  test('phases give the arrivals, flows run with payload, processor, capture, expect and loop', async () => {
    const r = await run(YML);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    // 2 s at 5/s, a 1 s pause, then 4 arrivals over 2 s.
    assert.equal(r.m.iterations!.values.count, 14);
    // crud: POST, GET, 2 loop GETs; health: 1 GET; crud + health = 14, so reqs = 4 crud + (14 - crud).
    const reqs = r.m.http_reqs!.values.count!;
    const crud = (reqs - 14) / 3;
    assert.ok(Number.isInteger(crud) && crud >= 0 && crud <= 14, `http_reqs ${reqs}`);
    assert.deepEqual([r.m.checks?.values.passes ?? 0, r.m.checks?.values.fails ?? 0], [3 * crud, 0]);
    if (crud > 0) {
      assert.match(r.stdout + r.stderr, /remembered yes/);
      assert.match(r.stdout + r.stderr, /created (alice|bob)-[a-z0-9]+/);
    }
  });

  test('before/after sections run once around the phases (captured variables shared), parallel steps run at once', async () => {
    const r = await run(join(ROOT, 'test', 'artillery', 'hooks.yml'));
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    assert.equal(r.m.iterations!.values.count, 3);
    // before: 1 POST; 3 users × (1 GET of the shared id + 2 streams); after: 1 DELETE.
    assert.equal(r.m.http_reqs!.values.count, 11);
    assert.deepEqual([r.m.checks?.values.passes, r.m.checks?.values.fails], [5, 0]);
    // Each stream takes ~1 s (10 events 100 ms apart): two in sequence would take 2 s.
    assert.ok(r.m.iteration_duration!.values.max! < 1800, `iteration_duration ${JSON.stringify(r.m.iteration_duration!.values)}`);
  });

  test('volley convert artillery writes a test that runs the same', async () => {
    const out = join(tmp, 'conv', 'flows.ts');
    const c = await runVolley(['convert', 'artillery', YML, '-o', out]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(readFileSync(out, 'utf8'), /import \{ artillery \} from 'volley\/artillery';/);
    const r = await run(out);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    assert.equal(r.m.iterations!.values.count, 14);
    assert.equal((r.m.http_reqs!.values.count! - 14) % 3, 0);
  });

  test('ensure becomes thresholds: a missed one exits 99', async () => {
    const f = join(tmp, 'ensure.yml');
    writeFileSync(f, `config:\n  target: "{{ $processEnvironment.BASE_URL }}"\n  phases:\n    - duration: 1\n      arrivalCount: 3\n  ensure:\n    p95: 0.001\nscenarios:\n  - flow:\n      - get:\n          url: /health\n`);
    const r = await run(f);
    assert.equal(r.code, 99, `${r.stderr}\n${r.stdout}`);
    assert.equal(r.m.http_reqs!.values.count, 3);
  });

  test('engines other than HTTP are refused with a clear message, exit 107', async () => {
    const f = join(tmp, 'ws.yml');
    writeFileSync(f, `config:\n  target: ws://127.0.0.1:1\n  phases:\n    - duration: 1\n      arrivalRate: 1\nscenarios:\n  - name: chat\n    engine: ws\n    flow:\n      - send: hello\n`);
    const r = await runVolley(['run', f]);
    assert.equal(r.code, 107);
    assert.match(r.stderr, /scenario "chat" uses Artillery's ws engine, which Volley does not support yet/);
  });
});
