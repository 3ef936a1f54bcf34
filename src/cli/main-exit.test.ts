import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from './main.js';
import { ExitCode } from '../errors/index.js';

// Every misused command line exits 104 (invalid configuration), whichever way commander reports it.
test('a missing required option, a flag without its value and an extra argument exit 104', async () => {
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    assert.equal(await main(['report', 'summary.json']), ExitCode.InvalidConfig, 'volley report without -o');
    assert.equal(await main(['merge', 'a.json']), ExitCode.InvalidConfig, 'volley merge without -o');
    assert.equal(await main(['run', 'test.ts', '--out']), ExitCode.InvalidConfig, '--out without a value');
    assert.equal(await main(['version', 'extra']), ExitCode.InvalidConfig, 'an extra argument');
    assert.equal(await main(['--help']), ExitCode.OK);
  } finally {
    process.stderr.write = write;
  }
});
