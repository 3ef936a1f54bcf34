// A k6 script in the style of k6's examples/http_get.js.
import http from 'k6/http';

export const options = { vus: 2, iterations: 10 };

export default function () {
  http.get(`${__ENV.BASE_URL}/fast`);
}
