// Plan 001 "Performance & Load Testing", §1.1 User-facing SLIs: App shell render TTFB P95 ≤ 500 ms
// (server render of pages) and Dashboard first content FCP P95 ≤ 1.3 s (with warm cache), measured
// by browser VUs (real Chromium, volley/browser; web vitals from the web-vitals package in the page)
// while HTTP VUs put the API and the app shell under load (§2's k6 side).
// Each browser iteration loads the dashboard twice in one context: a cold visit, then a warm one
// (its script comes from the browser cache); the FCP SLO is on the warm visit's group.
// Full scale (SCALE=1): 10 min, 3 browser VUs beside 50 HTTP VUs.
// seed-scale: 0.005
//   npx volley run examples/seeds/001-1.1-app-shell-ttfb-fcp.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { browser } from 'volley/browser';
import { check, group, sleep } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    browser: {
      executor: 'constant-vus',
      exec: 'visit',
      vus: count(3),
      duration: dur(600),
      options: { browser: { type: 'chromium' } },
    },
    load: { executor: 'constant-vus', exec: 'load', vus: count(50), duration: dur(600) },
  },
  thresholds: {
    browser_web_vital_ttfb: ['p(95)<=500'],
    'browser_web_vital_fcp{group:::warm cache}': ['p(95)<=1300'],
    'http_req_waiting{name:app shell}': ['p(95)<=500'],
    'http_req_failed{scenario:load}': ['rate<0.01'],
  },
};

export async function visit(): Promise<void> {
  const page = await browser.newPage();
  try {
    await group('cold', async () => {
      await page.goto(`${BASE}/app/dashboard`);
      await page.locator('body[data-ready]').waitFor();
    });
    await group('warm cache', async () => {
      await page.goto(`${BASE}/app/dashboard`);
      await page.locator('body[data-ready]').waitFor();
    });
    check(await page.title(), { 'app shell rendered': (t) => t === 'Experiments dashboard' });
  } finally {
    await page.close();
  }
  await sleep(1);
}

export async function load(): Promise<void> {
  const shell = await http.get(`${BASE}/app/dashboard`, { tags: { name: 'app shell' } });
  check(shell, { 'app shell 200': (r) => r.status === 200 });
  await http.get(`${BASE}/api/experiments`, { tags: { name: 'GET /api/experiments' } });
  await sleep(1);
}
