// Bench case (b), scripted GET: the request, then a status check and a JSON field check, written the
// way a k6 user writes them (inline check object, res.json()). The target answers {"id":1,"name":"volley"}.
import http from 'volley/http';
import { check } from 'volley';

const URL = __ENV.URL;

export default async function () {
  const res = await http.get(URL);
  check(res, {
    'status is 200': (r) => r.status === 200,
    'name is volley': (r) => r.json().name === 'volley',
  });
}
