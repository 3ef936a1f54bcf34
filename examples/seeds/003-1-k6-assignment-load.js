// Plan 003 §1 "Experiment Assignment Load Test": the plan's k6 script, run by Volley as written,
// except the host: the plan's 'https://api/v1/assignments/get_variant' is BASE_URL's
// /api/assignments/:user route of the target.
// The suite shortens its 16 minutes and 5000 VUs with --stages, as a k6 user would:
// seed-args: --stages 1s:5,2s:10,1s:0
import http from 'k6/http';

export let options = {
  stages: [
    { duration: '2m', target: 1000 },   // Ramp up
    { duration: '5m', target: 1000 },   // Steady state
    { duration: '2m', target: 5000 },   // Peak load
    { duration: '5m', target: 5000 },   // Sustained peak
    { duration: '2m', target: 0 },      // Ramp down
  ],
  thresholds: {
    http_req_duration: ['p(95)<500', 'p(99)<1000'],
    http_req_failed: ['rate<0.01'],
  },
};

export default function() {
  http.get(`${__ENV.BASE_URL}/api/assignments/get_variant`);
}
