// Two scenarios with exec functions, jslib k6-utils, and helpers imported from ./lib.js.
import { sleep } from 'k6';
import http from 'k6/http';
import exec from 'k6/execution';
import { randomItem, randomString } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';
import { createExperiment, renameAndDelete } from './lib.js';

export const options = {
  scenarios: {
    writers: { executor: 'per-vu-iterations', vus: 2, iterations: 3, exec: 'writer' },
    readers: { executor: 'shared-iterations', vus: 2, iterations: 5, exec: 'reader' },
  },
  thresholds: { checks: ['rate==1'], 'http_reqs{scenario:readers}': ['count==5'] },
};

function cycle(base) {
  const id = createExperiment(base, `exp-${randomString(6)}`);
  renameAndDelete(base, id);
}

export function writer() {
  cycle(__ENV.BASE_URL);
  sleep(0.01);
}

export function reader() {
  const user = randomItem(['u1', 'u2', 'u3']);
  const res = http.get(`${__ENV.BASE_URL}/api/assignments/${user}`, { tags: { name: 'assignment', scenario_name: exec.scenario.name } });
  if (res.status !== 200) throw new Error(`assignment failed: ${res.status}`);
}
