// Memory per VU: every VU makes one keep-alive request, then sleeps 1 s, so at 10,000 VUs the process
// holds 10,000 idle coroutines and 10,000 open connections for most of the run.
import http from 'volley/http';
import { sleep } from 'volley';

const URL = __ENV.URL;

export default async function () {
  await http.get(URL);
  await sleep(1);
}
