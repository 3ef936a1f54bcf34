// Plan 000 "LLM Experimentation & Attribution Platform", §1 "Test rollback and experiment branching
// workflows for performance impact" and §2 KPI Rollback Execution Time < 5 seconds (time to roll an
// experiment back to its previous version), with the API p95 < 500 ms and < 0.1 % errors while it
// happens. Each user branches an experiment (a new version through the experiments API), then rolls
// it back: the rollback is an asynchronous job, and `waitFor` measures from the request to the
// job's `ready` (`waitfor_duration{stage:rollback}`); readers keep querying results meanwhile.
// Full scale (SCALE=1): 50 users branching and rolling back, 200 reading, for 10 minutes.
//   npx volley run examples/seeds/000-2-rollback.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, sleep, waitFor } from 'volley';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    rollbacks: { executor: 'constant-vus', vus: count(50), duration: dur(600), exec: 'branchAndRollback' },
    readers: { executor: 'constant-vus', vus: count(200), duration: dur(600), exec: 'readResults' },
  },
  thresholds: {
    'waitfor_duration{stage:rollback}': ['p(95)<5000'],
    waitfor_failed: ['rate<0.001'],
    'http_req_duration{scenario:readers}': ['p(95)<500'],
    http_req_failed: ['rate<0.001'],
  },
};

const json = { headers: { 'content-type': 'application/json' } };

export async function branchAndRollback() {
  // Branch: a new version of an experiment.
  const branch = await http.post(`${BASE}/api/experiments`, JSON.stringify({ key: `branch-${__VU}-${__ITER}`, status: 'running', variants: ['control', 'treatment'], traffic: 0.1 }), {
    ...json,
    tags: { name: 'POST /api/experiments' },
  });
  check(branch, { 'branch created': (r) => r.status === 201 });
  // Roll it back: the job drains the traffic split, then restores the previous version.
  const started = Date.now();
  const job = await http.post(`${BASE}/api/rollbacks`, JSON.stringify({ experiment: branch.json('id') }), { ...json, tags: { name: 'POST /api/rollbacks' } });
  check(job, { 'rollback accepted': (r) => r.status === 202 });
  const statusUrl = `${BASE}${job.json('statusUrl') as string}`;
  const done = await waitFor(
    'rollback',
    async () => {
      const s = await http.get(statusUrl, { tags: { name: 'GET /api/rollbacks/:id' } });
      if (s.json('status') === 'failed') throw new Error('rollback failed');
      return s.json('status') === 'ready';
    },
    { since: started, every: '200ms', timeout: '30s' },
  );
  check(done, { 'rolled back within 5 s': (d) => d.ok && d.durationMs < 5000 });
  await sleep(1);
}

export async function readResults() {
  const res = await http.get(`${BASE}/api/results/exp-${__ITER % 10}`, { tags: { name: 'GET /api/results/:id' }, responseCallback: http.expectedStatuses(200, 503) });
  check(res, { 'results answered': (r) => r.status === 200 || r.status === 503 });
  await sleep(1);
}
