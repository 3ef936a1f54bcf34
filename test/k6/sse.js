// A k6 script for the xk6-sse extension (its README's example shape): sse.open blocks until the stream is over.
import http from 'k6/http';
import sse from 'k6/x/sse';
import { check } from 'k6';

export const options = { vus: 1, iterations: 2 };

export default function () {
  http.get(`${__ENV.BASE_URL}/fast`);
  let seen = 0;
  const res = sse.open(`${__ENV.BASE_URL}/api/stream`, { method: 'GET', headers: { Authorization: 'Bearer x' }, tags: { my_k6s_tag: 'hello sse' } }, function (client) {
    client.on('event', function (event) {
      seen++;
      if (seen === 3) client.close();
    });
    client.on('error', function (e) {
      console.log('An unexpected error occurred: ', e.error);
    });
  });
  check(res, { 'status is 200': (r) => r && r.status === 200, 'three events': () => seen === 3 });
}
