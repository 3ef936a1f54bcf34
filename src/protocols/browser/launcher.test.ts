import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkMemory, DEFAULT_EXECUTABLE, launchSettings, MIN_FREE_BYTES } from './launcher.js';
import { urlTag } from './vu-state.js';
import { BROWSER_REQUEST, S_DURATION, S_FAILED, S_RECEIVED, S_SENT, VITAL_GROUPS } from './metrics.js';
import { slotOf } from '../../metrics/group.js';

describe('browser launch settings (k6 browser environment variables)', () => {
  it('defaults: Debian Chromium, headless, 30 s timeout; --no-sandbox only as root', () => {
    const s = launchSettings({});
    assert.equal(s.executablePath, DEFAULT_EXECUTABLE);
    assert.equal(s.headless, true);
    assert.equal(s.timeoutMs, 30_000);
    assert.equal(s.args.includes('--no-sandbox'), process.getuid?.() === 0);
  });
  it('K6_BROWSER_HEADLESS, K6_BROWSER_ARGS, K6_BROWSER_TIMEOUT, K6_BROWSER_EXECUTABLE_PATH', () => {
    const s = launchSettings({ K6_BROWSER_HEADLESS: 'false', K6_BROWSER_ARGS: 'disable-gpu, --lang=fr', K6_BROWSER_TIMEOUT: '1500ms', K6_BROWSER_EXECUTABLE_PATH: '/opt/c' });
    assert.equal(s.headless, false);
    assert.deepEqual(s.args.filter((a) => a !== '--no-sandbox' && a !== '--disable-dev-shm-usage'), ['--disable-gpu', '--lang=fr']);
    assert.equal(s.timeoutMs, 1500);
    assert.equal(s.executablePath, '/opt/c');
    assert.equal(launchSettings({ K6_BROWSER_TIMEOUT: '2m' }).timeoutMs, 120_000);
  });
});

describe('browser memory guard', () => {
  it('refuses a new context below the free-memory floor, with what to change', () => {
    assert.doesNotThrow(() => checkMemory(MIN_FREE_BYTES));
    assert.throws(() => checkMemory(100 * 1048576), (e: Error & { code?: string; hint?: string }) => e.code === 'E_BROWSER_MEMORY' && /100 MB free/.test(e.message) && /fewer browser VUs/.test(e.hint ?? ''));
  });
});

describe('browser metrics', () => {
  it('the url tag is origin and path: one tag set per page, not per query', () => {
    assert.equal(urlTag('http://h:1/app/dash?user=42#top'), 'http://h:1/app/dash');
    assert.equal(urlTag('http://h:1/a'), 'http://h:1/a');
  });
  it('slot numbers match the request group; one group per vital with k6 browser names', () => {
    assert.deepEqual(
      [S_DURATION, S_FAILED, S_RECEIVED, S_SENT],
      ['browser_http_req_duration', 'browser_http_req_failed', 'browser_data_received', 'browser_data_sent'].map((m) => slotOf(BROWSER_REQUEST, m)),
    );
    assert.deepEqual(Object.values(VITAL_GROUPS).map((g) => g.metrics[0]!.name), ['lcp', 'fcp', 'ttfb', 'cls', 'inp', 'fid'].map((v) => `browser_web_vital_${v}`));
  });
});
