import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHttpFault, tokenizeFault } from './http-faults.js';

const parse = (line: string) => parseHttpFault(tokenizeFault(line), '--fault #1', 'fault1');

// docs/faults.md: `--fault 'reset rate=0.01'`, a kind named by itself with no value.
test('a fault kind written alone (reset, hang, truncate) is the kind, as docs/faults.md writes it', () => {
  for (const [line, kind] of [['reset rate=0.01', 'reset'], ['hang', 'hang'], ['truncate path=/api/*', 'truncate'], ['reset when=after', 'reset']] as const) {
    const r = parse(line);
    assert.deepEqual(r.problems, [], line);
    assert.equal(r.fault?.kind, kind, line);
  }
  assert.equal(parse('reset rate=0.01').fault?.rate, 0.01);
});

test('an unknown bare word is still refused, naming it', () => {
  assert.match(parse('resett rate=0.01').problems.join('\n'), /--fault #1\.resett: unknown field/);
});

test('the kind written alone wins over another kind\'s field given with it', () => {
  assert.equal(parse('hang latency=100ms').fault?.kind, 'hang');
  assert.equal(parse('latency=100ms').fault?.kind, 'latency');
});
