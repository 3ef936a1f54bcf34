/**
 * `volley proxy` from the command line: it starts, proxies with its --fault, serves the control API,
 * and refuses bad input with exit code 104 naming the flag.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startTarget } from '../src/target/index.js';
import { hit } from '../src/target/testing/timed-client.js';
import { BIN, runVolley } from './helpers.js';

test('volley proxy proxies with its faults and serves the Toxiproxy API until SIGTERM', async () => {
  const target = await startTarget({ port: 0 });
  const child = spawn(process.execPath, [BIN, 'proxy', '--listen', '127.0.0.1:0', '--upstream', target.url, '--fault', "status=418 path=/api/flags body='teapot'", '--api', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ctrl-C')) resolve(out);
      });
      child.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
    });
    const listen = /main: (\S+) →/.exec(banner)![1]!;
    const api = /on (http:\/\/\S+)/.exec(banner)![1]!;
    const r = await hit(`http://${listen}/api/flags`);
    assert.equal(r.status, 418);
    assert.equal(r.body, 'teapot');
    assert.equal((await hit(`http://${listen}/api/experiments`)).status, 200);
    const proxies = JSON.parse((await hit(`${api}/proxies`)).body) as Record<string, { faults: { injected: number }[] }>;
    assert.equal(proxies.main!.faults[0]!.injected, 1);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await target.close();
  }
});

test('bad flags exit 104 and name the flag', async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as { port: number }).port;
  const target = await startTarget({ port: 0 });
  try {
    const cases: Array<[string[], RegExp]> = [
      [['--upstream', target.url, '--fault', 'explode=1'], /--fault #1\.explode: unknown field[\s\S]*--fault #1\.kind: missing/],
      [['--upstream', target.url, '--fault', 'status=503 rate=7'], /--fault #1\.rate: must be a probability in \[0, 1\], got "7"/],
      [['--upstream', 'http://127.0.0.1:1'], /--upstream http:\/\/127\.0\.0\.1:1: unreachable \(ECONNREFUSED\)/],
      [['--upstream', target.url, '--listen', `127.0.0.1:${port}`, '--api', 'off'], /--listen 127\.0\.0\.1:\d+: listen tcp 127\.0\.0\.1:\d+: address already in use/],
      [['--upstream', target.url, '--toxic', 'latency toxicity=3'], /--toxic #1 "latency toxicity=3": bad request body: toxicity must be a number in \[0, 1\]/],
    ];
    for (const [args, re] of cases) {
      const r = await runVolley(['proxy', '--listen', '127.0.0.1:0', '--api', 'off', ...args], { timeoutMs: 20_000 });
      assert.equal(r.code, 104, `${args.join(' ')}\n${r.stderr}`);
      assert.match(r.stderr, re);
    }
  } finally {
    busy.close();
    await target.close();
  }
});
