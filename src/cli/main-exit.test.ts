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

// docs/options.md: `vus` is an integer ≥ 0 (0: a ramping-vus scenario ramps up from zero), as
// VOLLEY_VUS=0 and options.vus take it; the flag took only ≥ 1.
test('--vus 0 is accepted (with --stages, ramping up from zero): the run goes on to load the script', async () => {
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    assert.equal(await main(['run', 'no-such-script.ts', '--vus', '0', '--stages', '1s:1']), ExitCode.ScriptException);
    assert.equal(await main(['run', 'no-such-script.ts', '--vus', '-1']), ExitCode.InvalidConfig);
  } finally {
    process.stderr.write = write;
  }
});
