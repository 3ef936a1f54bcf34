import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeOpen } from './open.js';

describe('open()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'volley-open-'));
  writeFileSync(join(dir, 'data.txt'), 'héllo');
  writeFileSync(join(dir, 'bin.dat'), Buffer.from([0, 1, 2, 255]));
  const open = makeOpen(dir);

  it('reads text and binary files relative to the script directory', () => {
    assert.equal(open('data.txt'), 'héllo');
    assert.equal(open('./data.txt'), 'héllo');
    assert.equal(open(join(dir, 'data.txt')), 'héllo');
    const b = open('bin.dat', 'b');
    assert.ok(b instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(b)], [0, 1, 2, 255]);
  });

  it('names the resolved path when a file is missing', () => {
    assert.throws(() => open('missing.json'), (e: { code?: string; message?: string }) => e.code === 'E_OPEN_FILE' && e.message!.includes(join(dir, 'missing.json')));
    assert.throws(() => open('data.txt', 'x' as 'b'), { code: 'E_OPEN_MODE' });
  });
});
