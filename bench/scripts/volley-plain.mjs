// Bench case (a), plain GET: the iteration is one request, as a user would write it.
// Run by bench/run.mjs as: volley run -u 64 -d 10s --workers 1 -e URL=http://127.0.0.1:PORT/ volley-plain.mjs
import http from 'volley/http';

const URL = __ENV.URL;

export default async function () {
  await http.get(URL);
}
