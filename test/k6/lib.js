// A local module of helpers that make requests (they become async, and so do their callers).
import http from 'k6/http';
import { check } from 'k6';

const params = { headers: { 'Content-Type': 'application/json' } };

export function createExperiment(base, name) {
  const res = http.post(`${base}/api/experiments`, JSON.stringify({ name }), params);
  check(res, { 'created': (r) => r.status === 201 });
  return res.json('id');
}

export function renameAndDelete(base, id) {
  const url = `${base}/api/experiments/${id}`;
  check(http.put(url, JSON.stringify({ name: 'renamed' }), params), { 'renamed': (r) => r.status === 200 });
  check(http.get(url).json(), { 'read back': (b) => b.name === 'renamed' });
  check(http.del(url), { 'deleted': (r) => r.status === 200 || r.status === 204 });
}
