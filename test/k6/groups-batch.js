// Groups (nested) and http.batch, in the style of k6's examples/group.js and http_batch.js.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = { vus: 1, iterations: 4, thresholds: { 'http_req_duration{group:::front::assets}': ['p(95)<2000'] } };

export default function () {
  group('front', function () {
    const home = http.get(`${__ENV.BASE_URL}/health`);
    check(home, { 'home ok': (r) => r.status === 200 });
    group('assets', () => {
      const responses = http.batch([
        ['GET', `${__ENV.BASE_URL}/fast`],
        ['GET', `${__ENV.BASE_URL}/fast?b=1`],
        { method: 'GET', url: `${__ENV.BASE_URL}/health` },
      ]);
      check(responses[0], { 'batch ok': (r) => r.status === 200 });
    });
  });
}
