// Checks and thresholds, in the style of k6's examples/thresholds_readme_example.js.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  vus: 3,
  iterations: 12,
  thresholds: {
    http_req_duration: ['p(95)<2000'],
    checks: ['rate>0.4'],
  },
};

export default function () {
  const res = http.get(`${__ENV.BASE_URL}/health`);
  check(res, {
    'status is 200': (r) => r.status === 200,
    'is a teapot': (r) => r.status === 418,
  });
  sleep(0.01);
}
