// Plan 001 §4.2 "Upload Throughput & Error Handling": 99.5 % successful part uploads, resume on
// 429/503, mean throughput ≥ 5 Mbps per client. The target's /api/uploads answers 2 % of parts
// with 503 + Retry-After: 1 (its "test bucket path that simulates throttling"); http.chunkedUpload
// retries each part with backoff (honouring Retry-After) and goes on from where it was.
// Full scale (SCALE=1): 300 creators, 20 parts of 10 MB each.
//   npx volley run examples/seeds/001-4.2-uploads-resume.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check } from 'volley';
import type { Options } from 'volley';
import { BASE, SCALE, count, dur } from './lib/scale.js';

const partBytes = Math.max(64 * 1024, Math.round(10 * 1024 * 1024 * SCALE));

export const options: Options = {
  scenarios: {
    creators: { executor: 'per-vu-iterations', vus: count(300), iterations: 1, maxDuration: dur(1800) },
  },
  thresholds: {
    upload_part_success: ['rate>=0.995'],
    // 5 Mbps = 625,000 bytes/s, per upload (retries and their waits included).
    upload_throughput: ['avg>=625000'],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  const init = await http.post(`${BASE}/api/uploads`, null, { tags: { name: 'POST /api/uploads' } });
  const { uploadId } = init.json() as { uploadId: string };
  const up = await http.chunkedUpload({
    parts: 20,
    partSize: partBytes,
    url: (n) => `${BASE}/api/uploads/${uploadId}/parts/${n}`,
    retry: { attempts: 5, baseMs: 200, maxMs: 5000 },
  });
  check(up, { 'every part uploaded': (u) => u.partsOk === u.parts });
  const fin = await http.post(`${BASE}/api/uploads/${uploadId}/finalize`, null, { tags: { name: 'POST /api/uploads/:id/finalize' } });
  check(fin, { 'finalized': (r) => r.status === 200 });
}
