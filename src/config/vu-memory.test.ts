import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions } from './resolve.js';
import { checkVuMemory } from './vu-memory.js';

const GiB = 1024 ** 3;
const scenariosOf = (scriptOptions: Record<string, unknown>) => resolveOptions({ scriptOptions, scriptPath: 't.ts', processEnv: {}, cli: {}, exportedFunctions: ['default'] }).scenarios;

test('VU counts that cannot fit in memory are refused with the option and value (exit 104)', () => {
  assert.throws(
    () => checkVuMemory(scenariosOf({ vus: 1e9, duration: '1s' }), 16 * GiB),
    (e: { code: string; exitCode: number; message: string; hint: string }) =>
      e.code === 'E_TOO_MANY_VUS' && e.exitCode === 104 && /^vus: 1000000000 VUs cannot fit/.test(e.message) && /--no-vu-memory-check/.test(e.hint),
  );
  assert.throws(
    () => checkVuMemory(scenariosOf({ scenarios: { api: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 1, maxVUs: 5e6 } } }), 16 * GiB),
    /scenarios\.api\.maxVUs: 5000000 VUs/,
  );
});

test('VU counts that fit, even large ones, pass', () => {
  checkVuMemory(scenariosOf({ vus: 100_000, duration: '1s' }), 16 * GiB);
  checkVuMemory(scenariosOf({ vus: 10, duration: '1s' }), 1 * GiB);
});
