import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTarget } from './cli.js';
import { startTarget } from './server.js';

test('the banner lists the WebSocket echo route every target serves (docs/streams.md sends users there)', async () => {
  const t = await startTarget({ port: 0, host: '127.0.0.1' });
  try {
    assert.match(describeTarget(t), /^ {2}GET +\/ws\/echo {2}\[websocket\]$/m);
  } finally {
    await t.close();
  }
});
