/**
 * Child process for the run-store tests: saves `count` synthetic runs into the store given as
 * argv[2], printing "saved ID" after each commit. Used to save concurrently and to be killed
 * (kill -9) in the middle of a save.
 */
import { openStore } from '../src/history/open.js';
import { syntheticSummary } from '../src/history/testing/synthetic.js';

const [spec = '', countArg = '1', seedArg = '1', secondsArg = '30'] = process.argv.slice(2);
const store = await openStore(spec);
const seed = Number(seedArg);
for (let i = 0; i < Number(countArg); i++) {
  const s = syntheticSummary({ seconds: Number(secondsArg), seed: seed * 1000 + i, script: 'api.ts' });
  const id = await store.save(s, {
    test: 'api.ts',
    scriptHash: 'h',
    optionsHash: 'o',
    git: undefined,
    labels: { writer: String(seed), n: String(i) },
    version: '0.1.0',
    machine: s.volley.machine,
  });
  process.stdout.write(`saved ${id}\n`);
}
await store.close();
