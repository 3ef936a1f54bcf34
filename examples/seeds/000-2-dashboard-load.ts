// Plan 000 "LLM Experimentation & Attribution Platform", §2 KPIs: Dashboard Load Time < 3 seconds
// ("time to fully render analytics dashboards"), with §3.3's end-to-end browser automation
// (Cypress, Playwright) as browser VUs beside the API load of §3.1 (API p95 < 500 ms).
// A few browser VUs (real Chromium, volley/browser) load the dashboard while HTTP VUs load the API,
// as k6 recommends for hybrid tests. The load time is the page's own `dashboard-ready` mark (time
// from navigation start until the results table is rendered); web vitals come with it.
// Full scale (SCALE=1): 10 min, 2 browser VUs beside 100 API VUs.
// seed-scale: 0.005
//   npx volley run examples/seeds/000-2-dashboard-load.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { browser } from 'volley/browser';
import { check, sleep } from 'volley';
import { Trend } from 'volley/metrics';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

const dashboardLoad = new Trend('dashboard_load_time', true);

export const options: Options = {
  scenarios: {
    dashboard: {
      executor: 'constant-vus',
      exec: 'dashboard',
      vus: count(2),
      duration: dur(600),
      options: { browser: { type: 'chromium' } },
    },
    api: { executor: 'constant-vus', exec: 'api', vus: count(100), duration: dur(600) },
  },
  thresholds: {
    dashboard_load_time: ['p(95)<3000'],
    browser_web_vital_lcp: ['p(95)<3000'],
    'http_req_duration{scenario:api}': ['p(95)<500'],
    'http_req_failed{scenario:api}': ['rate<0.001'],
    'checks{scenario:dashboard}': ['rate==1'],
  },
};

export async function dashboard(): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`${BASE}/app/dashboard`);
    await page.locator('body[data-ready]').waitFor();
    const readyMs = await page.evaluate(() => performance.getEntriesByName('dashboard-ready')[0]?.startTime ?? -1);
    if (readyMs >= 0) dashboardLoad.add(readyMs);
    const rows = await page.locator('#results tbody tr').count();
    check(rows, { 'dashboard rendered every experiment': (n) => n === 3 });
  } finally {
    await page.close();
  }
  await sleep(1);
}

export async function api(): Promise<void> {
  const r = await http.get(`${BASE}/api/experiments`, { tags: { name: 'GET /api/experiments' } });
  check(r, { 'experiments 200': (res) => res.status === 200 });
  await sleep(1);
}
