import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isVolleyError } from '../errors/index.js';
import { dashboardFlags, dashboardOptionsFromFlags } from './flags.js';

test('off unless asked; any dashboard flag turns it on; flags win over the environment', () => {
  assert.equal(dashboardOptionsFromFlags({}, {}), undefined);
  assert.deepEqual(dashboardOptionsFromFlags({ dashboard: true }, {}), {});
  assert.deepEqual(dashboardOptionsFromFlags({ dashboardOpen: true }, {}), { open: true });
  assert.deepEqual(dashboardOptionsFromFlags({ dashboardPort: '0' }, {}), { port: 0 });
  assert.deepEqual(dashboardOptionsFromFlags({}, { VOLLEY_DASHBOARD: 'true', VOLLEY_DASHBOARD_TOKEN: 'env-secret' }), { token: 'env-secret' });
  assert.deepEqual(
    dashboardOptionsFromFlags({ dashboard: true, dashboardHost: '0.0.0.0', dashboardPort: '6000', dashboardToken: 'flag', dashboardLinger: true }, { VOLLEY_DASHBOARD_TOKEN: 'env', VOLLEY_DASHBOARD_PORT: '7000' }),
    { host: '0.0.0.0', port: 6000, token: 'flag', linger: true },
  );
  assert.equal(dashboardOptionsFromFlags({}, { VOLLEY_DASHBOARD: 'false', VOLLEY_DASHBOARD_PORT: '1' }), undefined);
});

test('a bad port or boolean is a VolleyError naming the flag', () => {
  for (const p of ['abc', '-1', '65536', '1.5', ' ']) {
    assert.throws(() => dashboardOptionsFromFlags({ dashboardPort: p }, {}), (e: unknown) => isVolleyError(e) && e.code === 'E_DASHBOARD_PORT' && e.exitCode === 104 && e.message.includes('--dashboard-port'), p);
  }
  assert.throws(() => dashboardOptionsFromFlags({}, { VOLLEY_DASHBOARD_OPEN: 'maybe' }), (e: unknown) => isVolleyError(e) && e.message.includes('VOLLEY_DASHBOARD_OPEN'));
});

test('every flag has an environment variable and a description', () => {
  assert.deepEqual(
    dashboardFlags.map((f) => f.flags.split(' ')[0]),
    ['--dashboard', '--dashboard-host', '--dashboard-port', '--dashboard-token', '--dashboard-open', '--dashboard-linger'],
  );
  for (const f of dashboardFlags) {
    assert.match(f.env, /^VOLLEY_DASHBOARD/);
    assert.ok(f.description.length > 10);
  }
});
