import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVolleyError } from '../errors/index.js';
import { DEMO_PROFILE } from './demo-profile.js';
import { loadTargetConfig, validateTargetConfig } from './load-config.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The error message of validating `cfg` (fails the test when it is valid). */
function problems(cfg: unknown): string {
  try {
    validateTargetConfig(cfg, 'target.yaml');
  } catch (e) {
    assert.ok(isVolleyError(e));
    assert.equal(e.code, 'E_TARGET_CONFIG');
    assert.equal(e.exitCode, 104);
    return e.message;
  }
  assert.fail('expected a validation error');
}

test('errors name the file and the field path', () => {
  assert.equal(
    problems({ routes: [{ path: '/a' }, { path: '/b', latency: { lognormal: { p50: '20ms', p99: '300' } } }] }),
    'target.yaml: routes[1].latency.lognormal.p99: expected a duration like "300ms", got "300"',
  );
});

test('unknown keys, with a suggestion for typos', () => {
  assert.match(problems({ routes: [{ path: '/a', latncy: '5ms' }] }), /^target\.yaml: routes\[0\]\.latncy: unknown key \(did you mean "latency"\?\)$/m);
  assert.match(problems({ stall: [] }), /^target\.yaml: stall: unknown key \(did you mean "stalls"\?\)$/m);
  assert.match(problems({ routes: [{ path: '/a', latency: { logNormal: { p50: 1, p99: 2 } } }] }), /routes\[0\]\.latency\.logNormal: unknown key \(did you mean "lognormal"\?\)/);
});

test('bad distributions', () => {
  assert.match(problems({ routes: [{ path: '/a', latency: { lognormal: { p50: '300ms', p99: '20ms' } } }] }), /routes\[0\]\.latency\.lognormal\.p99: must be greater than p50/);
  assert.match(problems({ routes: [{ path: '/a', latency: { uniform: ['50ms', '10ms'] } }] }), /routes\[0\]\.latency\.uniform: max must not be below min/);
  assert.match(problems({ routes: [{ path: '/a', latency: { uniform: '10ms' } }] }), /routes\[0\]\.latency\.uniform: expected \[min, max\]/);
  assert.match(problems({ routes: [{ path: '/a', latency: {} }] }), /routes\[0\]\.latency: expected one of fixed, uniform, normal, lognormal, percentiles/);
  assert.match(problems({ routes: [{ path: '/a', latency: { fixed: '1ms', uniform: ['1ms', '2ms'] } }] }), /expected exactly one model, got fixed and uniform/);
  assert.match(problems({ routes: [{ path: '/a', latency: { percentiles: { p50: '20ms', p90: '10ms' } } }] }), /routes\[0\]\.latency\.percentiles: values must not decrease/);
  assert.match(problems({ routes: [{ path: '/a', latency: { normal: { mean: '10ms' } } }] }), /routes\[0\]\.latency\.normal\.stddev: required/);
  assert.match(problems({ routes: [{ path: '/a', latency: '-5ms' }] }), /routes\[0\]\.latency\.fixed: expected a duration/);
  assert.match(
    problems({ routes: [{ path: '/v1/chat', kind: 'llm-chat', llm: { tokensPerSecond: { fixed: 0 } } }] }),
    /routes\[0\]\.llm\.tokensPerSecond\.fixed: must be greater than 0/,
  );
});

test('negative rates, bad fractions, bad statuses, bad sizes', () => {
  assert.match(problems({ routes: [{ path: '/a', rateLimit: { rate: -1 } }] }), /routes\[0\]\.rateLimit\.rate: must be greater than 0/);
  assert.match(problems({ rateLimit: { rate: 5, per: '0s' } }), /rateLimit\.per: must be greater than 0/);
  assert.match(problems({ routes: [{ path: '/a', errors: { rate: 1.5 } }] }), /routes\[0\]\.errors\.rate: must be between 0 and 1/);
  assert.match(problems({ routes: [{ path: '/a', errors: { rate: 0.6, hang: 0.6 } }] }), /routes\[0\]\.errors: rate \+ reset \+ hang \+ slow\.rate must not exceed 1/);
  assert.match(problems({ routes: [{ path: '/a', status: 999 }] }), /routes\[0\]\.status: expected an HTTP status code \(100-599\)/);
  assert.match(problems({ routes: [{ path: '/a', body: { json: { size: '1xb' } } }] }), /routes\[0\]\.body\.json\.size: expected a size like "1kb"/);
  assert.match(problems({ concurrency: { max: 0 } }), /concurrency\.max: must be at least 1/);
  assert.match(problems({ routes: [{ path: '/a', method: 'FETCH' }] }), /routes\[0\]\.method: expected one of GET, HEAD/);
  assert.match(problems({ routes: 'nope' }), /^target\.yaml: routes: expected a list of routes/);
});

test('schedules, paths, kinds and templates', () => {
  assert.match(problems({ stalls: [{ every: '1s', for: '2s' }] }), /stalls\[0\]\.for: must be shorter than `every`/);
  assert.match(problems({ stalls: [{ for: '2s' }] }), /stalls\[0\]\.at: a window without `every` needs `at`/);
  assert.match(problems({ routes: [{ path: 'api' }] }), /routes\[0\]\.path: must start with "\/"/);
  assert.match(problems({ routes: [{ path: '/a', sse: {} }] }), /routes\[0\]\.sse: only for kind sse \(this route's kind is static\)/);
  assert.match(problems({ routes: [{ path: '/a', kind: 'crud', method: 'GET' }] }), /routes\[0\]\.method: a crud route declares all its methods itself/);
  assert.match(problems({ routes: [{ path: '/a', kind: 'soap' }] }), /routes\[0\]\.kind: expected one of static, echo/);
  assert.match(problems({ routes: [{ path: '/a/:id', body: { text: '{{params.ID}}' } }] }), /routes\[0\]\.body\.text: \{\{params\.ID\}\}: path \/a\/:id has no :ID/);
  assert.match(problems({ routes: [{ path: '/a', body: { text: '{{parms.id}}' } }] }), /routes\[0\]\.body\.text: unknown template variable/);
  assert.match(problems({ routes: [{ path: '/a/:id' }, { path: '/a/:x' }] }), /routes\[1\]: same method and path as routes\[0\]/);
  assert.match(problems({ routes: [{ path: '/a', headers: { 'bad header': 'x' } }] }), /routes\[0\]\.headers\.bad header: not a valid header name/);
});

test('every problem is reported at once', () => {
  const m = problems({ routes: [{ path: 'x', status: 'ok', latency: { fixed: 'soon' } }], concurrency: { max: -1 } });
  assert.equal(m.split('\n').length, 4, m);
});

test('normalisation: defaults, ms and bytes; parsing is idempotent', () => {
  const c = validateTargetConfig({ routes: [{ path: '/a', latency: '1.5s', body: { json: { size: '2kb' } } }], stalls: [{ every: '30s', for: '2s' }] });
  assert.deepEqual(c.routes[0]!.latency, { fixed: 1500 });
  assert.deepEqual(c.routes[0]!.body, { json: { size: 2048 } });
  assert.equal(c.routes[0]!.status, 200);
  assert.equal(c.routes[0]!.kind, 'static');
  assert.deepEqual(c.stalls, [{ every: 30_000, for: 2000 }]);
  assert.equal(c.server.maxHeaderSize, 16 * 1024);
  assert.deepEqual(validateTargetConfig(c), c);
  const demo = validateTargetConfig(DEMO_PROFILE);
  assert.deepEqual(validateTargetConfig(demo), demo);
});

test('loadTargetConfig reads YAML and JSON; errors name the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'volley-target-'));
  try {
    const y = join(dir, 'target.yaml');
    await writeFile(y, 'routes:\n  - path: /a\n    latency: { fixed: 5ms }\n');
    assert.deepEqual((await loadTargetConfig(y)).routes?.[0]?.latency, { fixed: 5 });
    const j = join(dir, 'target.json');
    await writeFile(j, JSON.stringify({ routes: [{ path: '/b', status: 204 }] }));
    assert.equal((await loadTargetConfig(j)).routes?.[0]?.status, 204);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'routes:\n  - path: /a\n    latency: { lognormal: { p50: 20ms, p99: "300" } }\n    errors: { rate: 2 }\n');
    await assert.rejects(loadTargetConfig(bad), (e: Error & { code?: string; exitCode?: number }) => {
      assert.equal(e.code, 'E_TARGET_CONFIG');
      assert.equal(e.exitCode, 104);
      assert.match(e.message, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: routes\\[0\\]\\.latency\\.lognormal\\.p99: expected a duration like "300ms", got "300"`, 'm'));
      assert.match(e.message, /bad\.yaml: routes\[0\]\.errors\.rate: must be between 0 and 1/);
      return true;
    });
    const syntax = join(dir, 'syntax.yaml');
    await writeFile(syntax, 'routes: [ { path: /a\n');
    await assert.rejects(loadTargetConfig(syntax), /syntax\.yaml: not valid YAML\/JSON/);
    const list = join(dir, 'list.yaml');
    await writeFile(list, '- a\n- b\n');
    await assert.rejects(loadTargetConfig(list), /list\.yaml: expected a mapping/);
    await assert.rejects(loadTargetConfig(join(dir, 'missing.yaml')), /missing\.yaml: cannot read the target config \(no such file\)/);
    const empty = join(dir, 'empty.yaml');
    await writeFile(empty, '');
    assert.deepEqual((await loadTargetConfig(empty)).routes, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('examples/target.yaml is valid', async () => {
  const c = await loadTargetConfig(join(ROOT, 'examples', 'target.yaml'));
  assert.ok((c.routes?.length ?? 0) >= 10);
});
