/**
 * k6 scripts run as written (test/k6/*.js, written in the style of k6's own examples/): each runs
 * against the built-in target with the request and check counts its k6 semantics give, and so does
 * its port by `volley convert k6`. What cannot be made asynchronous, and remote modules Volley does
 * not have, are errors (exit 107) that name the file and line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../src/target/index.js';
import { ROOT, runVolley } from './helpers.js';

const DIR = join(ROOT, 'test', 'k6');
let target: RunningTarget;
let tmp: string;
before(async () => {
  target = await startTarget({ port: 0 });
  tmp = mkdtempSync(join(tmpdir(), 'volley-k6-'));
});
after(async () => {
  await target.close();
});

interface Counts {
  reqs: number;
  passes?: number;
  fails?: number;
}
/** What each script does, counted from its options and code as k6 would run it. */
const EXPECTED: Record<string, Counts> = {
  'http-get.js': { reqs: 10 },
  'checks-thresholds.js': { reqs: 12, passes: 12, fails: 12 },
  'groups-batch.js': { reqs: 16, passes: 8, fails: 0 },
  'custom-metrics.js': { reqs: 6 },
  'scenarios-crud.js': { reqs: 29, passes: 24, fails: 0 },
  'handle-summary.js': { reqs: 2 },
  'websocket.js': { reqs: 4, passes: 8, fails: 0 },
  'sse.js': { reqs: 2, passes: 4, fails: 0 },
  // Two sockets per iteration, each closed by its own timer after 150 ms: the iteration waits for them.
  'websockets.js': { reqs: 4, passes: 8, fails: 0 },
  // Per iteration: two session requests (the second describe stops at its failed expect); checks
  // "expected status to equal 200", "expected users to equal 2" and "parsed a row" pass, "…418" fails.
  'jslibs.js': { reqs: 4, passes: 6, fails: 2 },
};

async function counts(script: string, name: string): Promise<Counts & { stdout: string }> {
  const exp = join(tmp, `${name}.json`);
  const r = await runVolley(['run', script, '--quiet', '-e', `BASE_URL=${target.url}`, '--summary-export', exp], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, `${script}\n${r.stderr}\n${r.stdout}`);
  const m = (JSON.parse(readFileSync(exp, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> }).metrics;
  return { reqs: m.http_reqs!.values.count!, passes: m.checks?.values.passes, fails: m.checks?.values.fails, stdout: r.stdout };
}

describe('k6 scripts as written', () => {
  for (const [file, want] of Object.entries(EXPECTED)) {
    test(`${file} runs unchanged, and its volley convert k6 port gives the same counts`, async () => {
      const asWritten = await counts(join(DIR, file), file);
      assert.equal(asWritten.reqs, want.reqs, 'http_reqs');
      if (want.passes !== undefined) assert.deepEqual([asWritten.passes, asWritten.fails], [want.passes, want.fails], 'checks passes, fails');
      if (file === 'handle-summary.js') assert.match(asWritten.stdout, /^custom summary/);

      const port = join(tmp, file.replace(/\.js$/, '.ts'));
      const c = await runVolley(['convert', 'k6', join(DIR, file), '-o', port]);
      assert.equal(c.code, 0, c.stderr);
      const text = readFileSync(port, 'utf8');
      assert.doesNotMatch(text, /from 'k6|jslib\.k6\.io/);
      const ported = await counts(port, `${file}.port`);
      assert.deepEqual([ported.reqs, ported.passes, ported.fails], [asWritten.reqs, asWritten.passes, asWritten.fails]);
    });
  }

  test('a call that cannot be awaited is an error naming file, line, construct and fix', async () => {
    const f = join(tmp, 'each.js');
    writeFileSync(f, "import http from 'k6/http';\nexport default function () {\n  ['/a', '/b'].forEach((p) => http.get(p));\n}\n");
    const r = await runVolley(['run', f]);
    assert.equal(r.code, 107);
    assert.match(r.stderr, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:24: a callback passed to \\['/a', '/b'\\]\\.forEach\\(\\) calls http\\.get\\(\\)`));
    assert.match(r.stderr, /for\.\.\.of/);
  });

  test('an error thrown in a k6 script points at the line the user wrote', async () => {
    const f = join(tmp, 'throw.js');
    writeFileSync(f, "import http from 'k6/http';\nexport const options = { iterations: 1 };\n\nfunction go() {\n  const r = http.get(`${__ENV.BASE_URL}/health`);\n  if (r.status === 200) throw new Error('boom');\n}\nexport default function () { go(); }\n");
    const r = await runVolley(['run', f, '-e', `BASE_URL=${target.url}`]);
    assert.match(r.stdout + r.stderr, /boom \(at .*throw\.js:6:\d+\)/);
  });

  test('a remote module Volley does not have locally is an error listing those it has', async () => {
    const f = join(tmp, 'remote.js');
    writeFileSync(f, "import http from 'k6/http';\nimport { AWSConfig } from 'https://jslib.k6.io/aws/0.12.3/s3.js';\nexport default function () {}\n");
    const r = await runVolley(['run', f]);
    assert.equal(r.code, 107);
    assert.match(r.stderr, /aws.*fetches nothing at run time.*k6-utils, k6-summary, papaparse, httpx, k6chaijs/s);
  });

  test('k6/websockets: an event handler that throws on a socket the function left open is the iteration\'s error', async () => {
    const f = join(tmp, 'ws-throws.js');
    writeFileSync(f, `import { WebSocket } from 'k6/websockets';
export const options = { vus: 1, iterations: 2 };
export default function () {
  const s = new WebSocket('${target.url.replace(/^http/, 'ws')}/ws/echo');
  s.onopen = () => s.send('x');
  s.onmessage = () => { throw new Error('boom in onmessage'); };
}
`);
    const r = await runVolley(['run', f], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 × script error: boom in onmessage \(at .*ws-throws\.js:6:\d+\)/);
  });

  test('k6 modules Volley has no equivalent for are named as such', async () => {
    const f = join(tmp, 'ws.js');
    writeFileSync(f, "import grpc from 'k6/net/grpc';\nexport default function () {}\n");
    const r = await runVolley(['run', f]);
    assert.equal(r.code, 107);
    assert.match(r.stderr, /"k6\/net\/grpc": gRPC is not supported yet/);
  });
});
