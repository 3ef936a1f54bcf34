// Plan 001 §5.1 Record→Finalize→Transcribe→Docify→Embed (the plan's Locustfile, ported line by line
// with volley/workflow): creators upload a recording in chunks and finalize it (@task(2)) or ask the
// assistant (@task(1)), wait_time = between(1, 5); 300 concurrent creators. KPIs: P95 Finalize→Transcript Ready ≤ 6 min, P95 Transcript Ready→Doc Ready ≤
// 2 min, job_fail_rate < 0.5 %. The pipeline's latency is measured with waitFor, from the finalize
// call to the moment the job's status shows the stage done.
// Full scale (SCALE=1): 300 creators for 30 minutes, 20 chunks of 10 MB each. The suite runs it at:
// seed-scale: 0.01
//   npx volley run examples/seeds/001-5.1-pipeline.ts -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.1
import http from 'volley/http';
import { check, waitFor } from 'volley';
import { Rate } from 'volley/metrics';
import { between, task, user, workflow } from 'volley/workflow';
import type { Options } from 'volley';
import { BASE, count, dur } from './lib/scale.js';

export const options: Options = {
  scenarios: {
    // locust --users 300 --spawn-rate 5 --run-time 30m
    creators: { executor: 'users', users: count(300), spawnRate: count(5), duration: dur(1800) },
  },
  thresholds: {
    'waitfor_duration{stage:transcript_ready}': ['p(95)<=360000'],
    'waitfor_duration{stage:doc_ready}': ['p(95)<=120000'],
    job_fail_rate: ['rate<0.005'],
    // Plan 001 §1.1 "successful chunk upload rate ≥ 99.5 %": what the creator gets, after the client's
    // retries of a throttled part (http_req_failed{name:PUT…} keeps every throttled attempt).
    'http_req_final_failed{name:PUT /api/uploads/:id/parts/:n}': ['rate<0.005'],
    'checks{check:part stored}': ['rate>=0.995'],
  },
};

const jobFailed = new Rate('job_fail_rate');
const CHUNKS = count(20);
const CHUNK = new Uint8Array(count(10_000_000, 64 * 1024));
const json = { 'content-type': 'application/json' };

async function uploadAndFinalize(): Promise<void> {
  const init = await http.post(`${BASE}/api/uploads`, JSON.stringify({ size: CHUNKS * CHUNK.length }), { headers: json, tags: { name: 'POST /api/uploads' } });
  const id = init.json('uploadId') as string;
  for (let i = 1; i <= CHUNKS; i++) {
    const url = `${BASE}/api/uploads/${id}/parts/${i}`;
    // The target throttles 2 % of parts (503 + Retry-After: 1): retried up to twice, as storage SDKs do.
    const part = await http.put(url, CHUNK, { tags: { name: 'PUT /api/uploads/:id/parts/:n' }, retry: { attempts: 3 } });
    check(part, { 'part stored': (r) => r.status === 200 });
  }
  await http.post(`${BASE}/api/uploads/${id}/finalize`, null, { tags: { name: 'POST /api/uploads/:id/finalize' } });
  // Finalize starts the pipeline: transcribe → docify → embed.
  const finalizedAt = Date.now();
  const job = await http.post(`${BASE}/api/recordings/jobs`, JSON.stringify({ uploadId: id }), { headers: json, tags: { name: 'POST /api/recordings/jobs' } });
  const statusUrl = `${BASE}${job.json('statusUrl') as string}`;
  let status = 'pending';
  const stageDone = (stage: string) => async () => {
    const r = await http.get(statusUrl, { tags: { name: 'GET /api/recordings/jobs/:id' } });
    status = r.json('status') as string;
    return status === 'failed' || r.json(`completed.${stage}`) !== undefined;
  };
  const poll = { every: '500ms', backoff: 1.5, maxEvery: '15s' };
  const transcript = await waitFor('transcript_ready', stageDone('transcribe'), { ...poll, since: finalizedAt, timeout: '10m' });
  if (transcript.ok && status !== 'failed') await waitFor('doc_ready', stageDone('docify'), { ...poll, timeout: '5m' });
  jobFailed.add(status === 'failed' || !transcript.ok);
}

async function askAssistant(): Promise<void> {
  const r = await http.post(`${BASE}/api/assistant/query`, JSON.stringify({ query: 'summarize onboarding' }), {
    headers: { ...json, 'x-api-key': `creator-${__VU}` },
    tags: { name: 'POST /api/assistant/query' },
    responseCallback: http.expectedStatuses(200, 429),
  });
  check(r, { 'assistant answered or rate limited': (x) => x.status === 200 || x.status === 429 });
}

// class Creator(HttpUser): wait_time = between(1, 5); @task(2) upload_and_finalize; @task(1) ask_assistant
const Creator = user({
  name: 'creator',
  waitTime: between(1, 5),
  tasks: [task('upload_and_finalize', uploadAndFinalize, 2), task('ask_assistant', askAssistant, 1)],
});

export default workflow(Creator);
