// Memory per user (bench/user-memory.mjs): USERS sleeping users, no network. KIND=workflow: Locust-style
// workflow users (`executor: 'users'`, a task that does nothing, then a 1 s wait); KIND=vu: plain VUs
// (`constant-vus`, sleep(1)). Reports the heap in use at the end of the ramp through a gauge.
import { sleep } from 'volley';
import { Gauge } from 'volley/metrics';
import { constant, task, user, workflow } from 'volley/workflow';

const USERS = Number(__ENV.USERS);
const KIND = __ENV.KIND;
const heap = new Gauge('bench_heap_used');
export const options = {
  scenarios: {
    main: KIND === 'workflow'
      ? { executor: 'users', users: USERS, spawnRate: USERS, duration: __ENV.DURATION }
      : { executor: 'constant-vus', vus: USERS, duration: __ENV.DURATION },
  },
};
const Sleeper = user({ name: 'sleeper', waitTime: constant(1), tasks: [task('idle', async () => {}, 1)] });
const run = workflow(Sleeper);
let last = 0;
async function sample() {
  // One VU samples the heap once a second (after a GC when exposed), the others only sleep.
  if (__VU === 1 && Date.now() - last > 1000) {
    last = Date.now();
    globalThis.gc?.();
    heap.add(process.memoryUsage().heapUsed);
  }
}
export default KIND === 'workflow'
  ? async () => { await sample(); await run(); }
  : async () => { await sample(); await sleep(1); };
