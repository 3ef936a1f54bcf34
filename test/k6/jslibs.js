// k6's remote jslib modules as k6 users import them by URL: papaparse, httpx, k6chaijs and k6-utils.
import { check } from 'k6';
import papaparse from 'https://jslib.k6.io/papaparse/5.1.1/index.js';
import { Httpx } from 'https://jslib.k6.io/httpx/0.1.0/index.js';
import { describe, expect } from 'https://jslib.k6.io/k6chaijs/4.3.4.3/index.js';
import { randomItem } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';

const users = papaparse.parse('name,id\nann,1\nbob,2\n', { header: true, skipEmptyLines: true }).data;
const session = new Httpx({ baseURL: __ENV.BASE_URL, headers: { 'x-user': 'k6' }, timeout: 20000 });

export const options = { iterations: 2 };

export default function () {
  describe('fast endpoint', () => {
    const res = session.get('/fast');
    expect(res.status, 'status').to.equal(200);
    expect(users.length, 'users').to.equal(2);
  });
  describe('a failed expectation ends the block', () => {
    const res = session.get('/fast');
    expect(res.status, 'status').to.equal(418);
    session.get('/fast'); // not reached
  });
  check(randomItem(users), { 'parsed a row': (u) => u.name === 'ann' || u.name === 'bob' });
}
