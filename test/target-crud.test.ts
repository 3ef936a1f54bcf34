/**
 * Stateful endpoints: the in-memory CRUD resource (a workflow creates something and uses its id) and
 * multi-part uploads that stream 10 MB parts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { startTarget } from '../src/target/index.js';
import { hit } from '../src/target/testing/timed-client.js';

test('CRUD: create, read, list, replace, patch, delete; 404, 409, 400; state reset', async () => {
  const t = await startTarget({ routes: [{ kind: 'crud', path: '/api/orders', crud: { idPrefix: 'ord_', seed: [{ id: 'ord_1', item: 'book' }], maxItems: 3 } }] });
  const json = { 'content-type': 'application/json' };
  const u = (p = '') => `${t.url}/api/orders${p}`;
  try {
    const created = await hit(u(), { method: 'POST', headers: json, body: JSON.stringify({ item: 'pen', qty: 2 }) });
    assert.equal(created.status, 201);
    const item = JSON.parse(created.body);
    assert.equal(item.id, 'ord_2');
    assert.equal(item.qty, 2);
    assert.equal(created.headers['location'], '/api/orders/ord_2');
    assert.ok(item.createdAt && item.updatedAt);

    assert.deepEqual(JSON.parse((await hit(u('/ord_2'))).body), item);
    const list = JSON.parse((await hit(u('?limit=1&offset=1'))).body);
    assert.equal(list.total, 2);
    assert.deepEqual(list.items.map((i: { id: string }) => i.id), ['ord_2']);

    const replaced = JSON.parse((await hit(u('/ord_2'), { method: 'PUT', headers: json, body: JSON.stringify({ item: 'ink' }) })).body);
    assert.equal(replaced.item, 'ink');
    assert.equal(replaced.qty, undefined);
    assert.equal(replaced.createdAt, item.createdAt);
    const patched = JSON.parse((await hit(u('/ord_2'), { method: 'PATCH', headers: json, body: JSON.stringify({ qty: 5, id: 'hijack' }) })).body);
    assert.deepEqual([patched.id, patched.item, patched.qty], ['ord_2', 'ink', 5]);

    assert.equal((await hit(u('/ord_2'), { method: 'DELETE' })).status, 204);
    assert.equal((await hit(u('/ord_2'))).status, 404);
    assert.equal((await hit(u('/ord_2'), { method: 'PATCH', body: '{}' })).status, 404);

    assert.equal((await hit(u(), { method: 'POST', body: JSON.stringify({ id: 'ord_1' }) })).status, 409);
    assert.equal((await hit(u(), { method: 'POST', body: '{"item":' })).status, 400);
    assert.equal((await hit(u(), { method: 'POST', body: '[1,2]' })).status, 400);
    assert.equal((await hit(u(), { method: 'POST', body: '' })).status, 400);
    assert.equal((await hit(u(), { method: 'POST', body: '{"id":"x"}' })).status, 201);
    assert.equal((await hit(u(), { method: 'POST', body: '{"id":"y"}' })).status, 201);
    assert.equal((await hit(u(), { method: 'POST', body: '{"id":"z"}' })).status, 507); // maxItems 3
    assert.equal((await hit(`${t.url}/api/orders/a%2Fb`)).status, 404);

    // Each expanded route has its own ground-truth stats.
    const st = t.stats().routes;
    assert.equal(st['POST /api/orders']!.statuses['201'], 3);
    assert.equal(st['GET /api/orders/:id']!.statuses['404'], 2);

    const reset = await hit(`${t.url}/__volley/reset?state=1`, { method: 'POST' });
    assert.deepEqual(JSON.parse(reset.body), { reset: true, state: true });
    assert.deepEqual(JSON.parse((await hit(u())).body).items.map((i: { id: string }) => i.id), ['ord_1']);
    assert.equal(t.stats().totals.count, 1);
  } finally {
    await t.close();
  }
});

test('uploads: init, 10 MB parts streamed, finalize; missing parts, oversized parts, throttling', async () => {
  const t = await startTarget({
    routes: [
      { kind: 'uploads', path: '/up', uploads: { maxPartSize: '16mb' } },
      { kind: 'uploads', path: '/small', uploads: { maxPartSize: '1mb' } },
      { kind: 'uploads', path: '/busy', uploads: { throttle: { rate: 1, status: 503, retryAfter: '2s' } } },
    ],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    const init = await hit(`${t.url}/up`, { method: 'POST', agent, body: JSON.stringify({ filename: 'video.mp4' }) });
    assert.equal(init.status, 201);
    const { uploadId, partUrl, finalizeUrl } = JSON.parse(init.body);
    const part = Buffer.alloc(10 * 1024 * 1024, 7);
    const rssBefore = process.memoryUsage().rss;
    const parts = await Promise.all([1, 2, 3].map((n) => hit(`${t.url}${partUrl.replace('{part}', n)}`, { method: 'PUT', agent, body: part })));
    for (const [i, p] of parts.entries()) {
      assert.equal(p.status, 200, p.body);
      assert.deepEqual(JSON.parse(p.body).part, i + 1);
      assert.equal(JSON.parse(p.body).bytes, part.length);
    }
    // Streamed, not buffered: 30 MB went through; memory grows far less than that.
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    assert.ok(grownMb < 25, `rss grew ${grownMb.toFixed(1)} MB while receiving 30 MB`);

    const status = JSON.parse((await hit(`${t.url}/up/${uploadId}`, { agent })).body);
    assert.deepEqual([status.parts, status.bytes, status.finalized], [3, 3 * part.length, false]);
    const done = await hit(`${t.url}${finalizeUrl}`, { method: 'POST', agent });
    assert.deepEqual(JSON.parse(done.body), { uploadId, parts: 3, bytes: 3 * part.length, finalized: true });
    assert.equal((await hit(`${t.url}${partUrl.replace('{part}', 4)}`, { method: 'PUT', agent, body: 'x' })).status, 409);

    // A gap in part numbers.
    const gap = JSON.parse((await hit(`${t.url}/up`, { method: 'POST', agent })).body);
    await hit(`${t.url}/up/${gap.uploadId}/parts/2`, { method: 'PUT', agent, body: 'abc' });
    const bad = await hit(`${t.url}/up/${gap.uploadId}/finalize`, { method: 'POST', agent });
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).error.message, /missing part 1/);
    assert.equal((await hit(`${t.url}/up/${gap.uploadId}/parts/0`, { method: 'PUT', agent, body: 'a' })).status, 400);
    assert.equal((await hit(`${t.url}/up/nope/parts/1`, { method: 'PUT', agent, body: 'a' })).status, 404);

    // Oversized: refused with 413 from Content-Length, before reading the body.
    const small = JSON.parse((await hit(`${t.url}/small`, { method: 'POST' })).body);
    const big = await hit(`${t.url}/small/${small.uploadId}/parts/1`, { method: 'PUT', body: Buffer.alloc(2 * 1024 * 1024) });
    assert.equal(big.status, 413);
    // Oversized without Content-Length (chunked request body): detected while streaming.
    const { request } = await import('node:http');
    const chunkedStatus = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.url}/small/${small.uploadId}/parts/1`, { method: 'PUT', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve(-1) : reject(e)));
      for (let i = 0; i < 4; i++) req.write(Buffer.alloc(512 * 1024));
      req.end();
    });
    assert.ok(chunkedStatus === 413 || chunkedStatus === -1, String(chunkedStatus));

    // Direct one-shot upload of a multipart body.
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(100_000)]), 'a.bin');
    const encoded = new Response(form);
    const direct = await hit(`${t.url}/up/direct`, { method: 'POST', headers: { 'content-type': encoded.headers.get('content-type')! }, body: Buffer.from(await encoded.arrayBuffer()) });
    assert.equal(direct.status, 201);
    assert.ok(JSON.parse(direct.body).bytes > 100_000);
    assert.match(JSON.parse(direct.body).contentType, /^multipart\/form-data; boundary=/);

    // Throttled parts: 503 + Retry-After, before the body is read.
    const busy = JSON.parse((await hit(`${t.url}/busy`, { method: 'POST' })).body);
    const th = await hit(`${t.url}/busy/${busy.uploadId}/parts/1`, { method: 'PUT', body: Buffer.alloc(1024) });
    assert.equal(th.status, 503);
    assert.equal(th.headers['retry-after'], '2');
  } finally {
    agent.destroy();
    await t.close();
  }
});
