import { ExitCode, VolleyError } from '../errors/index.js';
import { sleep } from '../vu/api.js';
import { currentVu, vuStorage, type VuContext, type VuResource } from '../vu/context.js';

/**
 * `volley/workflow`: Locust's user model in TypeScript. A *user* is a class of behaviour (weighted
 * tasks, a wait time, onStart/onStop, per-user state); `workflow([...users])` turns users into the
 * function a scenario runs, so users run inside any closed-model executor (or `executor: 'users'`,
 * Locust's user count and spawn rate). Each iteration of a VU is one task followed by its wait, as
 * one turn of Locust's user loop; every sample a task records carries the tags `user` and `task`.
 *
 *   const Creator = user({ name: 'creator', weight: 3, waitTime: between(1, 5), tasks: [
 *     task('upload_and_finalize', uploadAndFinalize, 2),
 *     task('ask_assistant', askAssistant),
 *   ] });
 *   export default workflow([Creator, Viewer]);
 *
 * Semantics follow Locust (docs/workflows.md): `between`, `constant`, `constantPacing`,
 * `constantThroughput`; weighted random task sets, sequential sets, nested sets left with
 * `u.interrupt()`, Markov sets with weighted transitions; user classes by weight or `fixedCount`,
 * assigned by VU id (`__VU`) so that the mix is exact at every user count, not only on average.
 */

/** Seconds to wait after a task, given how long the task took (ms). */
export type WaitTime = (taskMs: number) => number;

/** What a task receives: the user's state and a few facts. */
export interface UserContext<S> {
  /** Per-user state, made by the user's `state()` (an empty object by default). */
  state: S;
  /** The user class's name. */
  readonly user: string;
  /** The VU id (`__VU`). */
  readonly vu: number;
  /** Leaves the task set this task runs in (Locust's `self.interrupt()`); the root set is never left. */
  interrupt(): void;
}

export type TaskFn<S> = (u: UserContext<S>) => unknown;

/** A task: a function, or a nested task set, with a weight (for random and Markov sets' entry). */
export interface Task<S> {
  readonly name: string;
  readonly weight: number;
  readonly run: TaskFn<S> | TaskSet<S>;
}

/** How a task set chooses its next task. */
export type TaskSet<S> =
  | { readonly kind: 'random'; readonly tasks: readonly Task<S>[]; readonly waitTime?: WaitTime | undefined }
  | { readonly kind: 'sequence'; readonly tasks: readonly Task<S>[]; readonly waitTime?: WaitTime | undefined }
  | { readonly kind: 'markov'; readonly tasks: readonly Task<S>[]; readonly next: ReadonlyMap<string, WeightedPick<string>>; readonly start: string; readonly waitTime?: WaitTime | undefined };

/** A user class. */
export interface UserDef<S> {
  readonly name: string;
  /** Share of the users (by weight); ignored when fixedCount is set. Default 1. */
  readonly weight: number;
  /** Exactly this many users of this class (the first VU ids), as Locust's fixed_count. */
  readonly fixedCount: number | undefined;
  readonly waitTime: WaitTime;
  readonly root: TaskSet<S>;
  readonly state: () => S;
  readonly onStart: TaskFn<S> | undefined;
  readonly onStop: TaskFn<S> | undefined;
}

function scriptError(code: string, message: string, hint: string): VolleyError {
  return new VolleyError(code, message, { hint, exitCode: ExitCode.ScriptException });
}

function checkSeconds(what: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw scriptError('E_WORKFLOW_WAIT', `${what}: ${String(v)} is not a number of seconds ≥ 0`, 'wait times are in seconds, e.g. between(1, 5)');
}

/** Locust's `between(min, max)`: a uniform random wait, in seconds. */
export function between(min: number, max: number): WaitTime {
  checkSeconds('between(min)', min);
  checkSeconds('between(max)', max);
  if (max < min) throw scriptError('E_WORKFLOW_WAIT', `between(${min}, ${max}): max is less than min`, 'write between(min, max)');
  return () => min + Math.random() * (max - min);
}

/** Locust's `constant(seconds)`. */
export function constant(seconds: number): WaitTime {
  checkSeconds('constant()', seconds);
  return () => seconds;
}

/** Locust's `constant_pacing(seconds)`: a task starts every `seconds` (the wait makes up the rest; none when the task took longer). */
export function constantPacing(seconds: number): WaitTime {
  checkSeconds('constantPacing()', seconds);
  return (taskMs) => Math.max(0, seconds - taskMs / 1000);
}

/** Locust's `constant_throughput(n)`: at most n tasks per second per user (pacing 1/n). */
export function constantThroughput(tasksPerSecond: number): WaitTime {
  if (!(tasksPerSecond > 0) || !Number.isFinite(tasksPerSecond)) throw scriptError('E_WORKFLOW_WAIT', `constantThroughput(${String(tasksPerSecond)}): must be more than 0 tasks per second`, 'e.g. constantThroughput(0.5) for one task every 2 s');
  return constantPacing(1 / tasksPerSecond);
}

const NAME = /^[\w.:/-]{1,128}$/;

function checkWeight(where: string, w: number): void {
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw scriptError('E_WORKFLOW_WEIGHT', `${where}: weight ${String(w)} must be a number ≥ 0`, 'weights are relative: task(name, fn, 2) runs twice as often as weight 1');
}

/** A task (Locust's `@task(weight)`): a function of the user context, or a nested task set. */
export function task<S = Record<string, unknown>>(name: string, run: TaskFn<S> | TaskSet<S>, weight = 1): Task<S> {
  if (typeof name !== 'string' || !NAME.test(name)) throw scriptError('E_WORKFLOW_TASK', `task name '${String(name)}' is not valid`, 'name tasks with letters, digits, _ . : / - (at most 128)');
  checkWeight(`task('${name}')`, weight);
  if (typeof run !== 'function' && !(run && typeof run === 'object' && 'kind' in run)) {
    throw scriptError('E_WORKFLOW_TASK', `task('${name}'): expected a function or a task set`, 'task(name, async (u) => { … }, weight)');
  }
  return { name, weight, run };
}

function checkTasks<S>(where: string, tasks: readonly Task<S>[]): void {
  if (!Array.isArray(tasks) || tasks.length === 0) throw scriptError('E_WORKFLOW_TASK', `${where}: needs at least one task`, 'tasks: [task(name, fn, weight), …]');
  if (tasks.every((t) => t.weight === 0)) throw scriptError('E_WORKFLOW_WEIGHT', `${where}: every task has weight 0`, 'give at least one task a weight above 0');
}

/** Locust's TaskSet: picks its next task at random by weight. */
export function taskSet<S = Record<string, unknown>>(tasks: readonly Task<S>[], opts: { waitTime?: WaitTime } = {}): TaskSet<S> {
  checkTasks('taskSet', tasks);
  return { kind: 'random', tasks, waitTime: opts.waitTime };
}

/** Locust's SequentialTaskSet: runs its tasks in order, then again from the first. */
export function sequence<S = Record<string, unknown>>(tasks: readonly Task<S>[], opts: { waitTime?: WaitTime } = {}): TaskSet<S> {
  checkTasks('sequence', tasks);
  return { kind: 'sequence', tasks, waitTime: opts.waitTime };
}

/**
 * Locust's MarkovTaskSet: from each task, the next one is drawn by the weights of its transitions.
 *   markov({ start: 'browse', tasks: [task('browse', b), task('view', v)], next: { browse: { browse: 1, view: 3 }, view: { browse: 1 } } })
 */
export function markov<S = Record<string, unknown>>(def: { start?: string; tasks: readonly Task<S>[]; next: Record<string, Record<string, number>>; waitTime?: WaitTime }): TaskSet<S> {
  checkTasks('markov', def.tasks);
  const names = new Set(def.tasks.map((t) => t.name));
  const next = new Map<string, WeightedPick<string>>();
  for (const t of def.tasks) {
    const edges = def.next?.[t.name];
    if (!edges || Object.keys(edges).length === 0) throw scriptError('E_WORKFLOW_MARKOV', `markov: task '${t.name}' has no transitions`, `add next: { ${t.name}: { otherTask: weight } }`);
    for (const [to, w] of Object.entries(edges)) {
      if (!names.has(to)) throw scriptError('E_WORKFLOW_MARKOV', `markov: transition ${t.name} → '${to}' names no task`, `tasks are ${[...names].join(', ')}`);
      checkWeight(`markov transition ${t.name} → ${to}`, w);
    }
    next.set(t.name, new WeightedPick(Object.entries(edges), `markov transitions from '${t.name}'`));
  }
  for (const from of Object.keys(def.next ?? {})) if (!names.has(from)) throw scriptError('E_WORKFLOW_MARKOV', `markov: next.${from} names no task`, `tasks are ${[...names].join(', ')}`);
  const start = def.start ?? def.tasks[0]!.name;
  if (!names.has(start)) throw scriptError('E_WORKFLOW_MARKOV', `markov: start '${start}' names no task`, `tasks are ${[...names].join(', ')}`);
  return { kind: 'markov', tasks: def.tasks, next, start, waitTime: def.waitTime };
}

/** A user class (Locust's User): tasks, wait time, per-user state, onStart/onStop. */
export function user<S = Record<string, unknown>>(def: {
  name: string;
  tasks: readonly Task<S>[] | TaskSet<S>;
  waitTime?: WaitTime;
  weight?: number;
  fixedCount?: number;
  state?: () => S;
  onStart?: TaskFn<S>;
  onStop?: TaskFn<S>;
}): UserDef<S> {
  if (typeof def?.name !== 'string' || !NAME.test(def.name)) throw scriptError('E_WORKFLOW_USER', `user name '${String(def?.name)}' is not valid`, 'user({ name: "creator", tasks: [...] })');
  const weight = def.weight ?? 1;
  checkWeight(`user('${def.name}')`, weight);
  if (def.fixedCount !== undefined && !(Number.isInteger(def.fixedCount) && def.fixedCount >= 0)) {
    throw scriptError('E_WORKFLOW_USER', `user('${def.name}'): fixedCount ${String(def.fixedCount)} must be a whole number ≥ 0`, 'fixedCount: 1 runs exactly one user of this class');
  }
  const root = Array.isArray(def.tasks) ? taskSet(def.tasks as readonly Task<S>[]) : (def.tasks as TaskSet<S>);
  return {
    name: def.name,
    weight,
    fixedCount: def.fixedCount,
    waitTime: def.waitTime ?? constant(0),
    root,
    state: def.state ?? (() => ({}) as S),
    onStart: def.onStart,
    onStop: def.onStop,
  };
}

/** Draws keys by weight (cumulative table, one uniform draw). */
export class WeightedPick<K> {
  private readonly keys: K[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(entries: readonly (readonly [K, number])[], what: string) {
    let sum = 0;
    for (const [k, w] of entries) {
      if (w <= 0) continue;
      sum += w;
      this.keys.push(k);
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw scriptError('E_WORKFLOW_WEIGHT', `${what}: every weight is 0`, 'give at least one a weight above 0');
    this.total = sum;
  }

  pick(u = Math.random()): K {
    const x = u * this.total;
    const c = this.cumulative;
    let i = 0;
    while (i < c.length - 1 && c[i]! <= x) i++;
    return this.keys[i]!;
  }
}

/**
 * Which user class VU id `vu` (1-based) plays: fixed counts take the first ids, then weighted classes
 * follow a smooth weighted round-robin, so any prefix of ids holds each class in proportion to its
 * weight (within one user), as Locust's dispatcher spreads users.
 */
export function classForVu<S>(users: readonly UserDef<S>[], vu: number): UserDef<S> {
  let id = vu - 1;
  for (const u of users) {
    if (u.fixedCount === undefined) continue;
    if (id < u.fixedCount) return u;
    id -= u.fixedCount;
  }
  const weighted = users.filter((u) => u.fixedCount === undefined && u.weight > 0);
  if (weighted.length === 0) throw scriptError('E_WORKFLOW_USER', `VU ${vu} has no user class: every class has a fixed count, and they add up to ${vu - 1}`, 'run as many VUs as the fixed counts add up to, or give a class a weight');
  // Smooth weighted round-robin (nginx): deterministic, proportional on every prefix. With whole
  // weights the sequence repeats every sum-of-weights picks, so at most that many steps are run.
  const total = weighted.reduce((s, u) => s + u.weight, 0);
  const whole = weighted.every((u) => Number.isInteger(u.weight));
  const steps = whole ? (id % total) + 1 : Math.min(id, 100_000) + 1;
  const current = new Float64Array(weighted.length);
  let chosen = 0;
  for (let s = 0; s < steps; s++) {
    chosen = 0;
    for (let i = 0; i < weighted.length; i++) {
      current[i]! += weighted[i]!.weight;
      if (current[i]! > current[chosen]!) chosen = i;
    }
    current[chosen]! -= total;
  }
  return weighted[chosen]!;
}

/** A task set in progress on one user: where a sequence or Markov chain stands. */
interface Frame<S> {
  set: TaskSet<S>;
  /** sequence: index of the next task; markov: unused. */
  index: number;
  /** markov: name of the next task. */
  next: string;
  pick: WeightedPick<Task<S>> | null;
}

const USER_SLOT = Symbol('volley.workflow.user');

/** One VU's user: its class, state, and the stack of task sets it is inside. */
class UserRuntime<S> implements VuResource {
  readonly ctx: UserContext<S>;
  readonly stack: Frame<S>[] = [];
  interrupted = false;
  started = false;

  constructor(
    readonly def: UserDef<S>,
    readonly vu: VuContext,
  ) {
    const self = this;
    this.ctx = {
      state: def.state(),
      user: def.name,
      vu: vu.id,
      interrupt() {
        self.interrupted = true;
      },
    };
    this.push(def.root);
  }

  push(set: TaskSet<S>): void {
    const pick = set.kind === 'random' ? new WeightedPick(set.tasks.map((t) => [t, t.weight] as const), 'task set') : null;
    this.stack.push({ set, index: 0, next: set.kind === 'markov' ? set.start : '', pick });
  }

  /** The next task of the innermost set (entering nested sets on the way). */
  nextTask(): { task: Task<S>; frame: Frame<S> } {
    for (;;) {
      const frame = this.stack[this.stack.length - 1]!;
      const set = frame.set;
      let t: Task<S>;
      if (set.kind === 'random') t = frame.pick!.pick();
      else if (set.kind === 'sequence') {
        t = set.tasks[frame.index % set.tasks.length]!;
        frame.index++;
      } else {
        t = set.tasks.find((x) => x.name === frame.next)!;
        frame.next = set.next.get(t.name)!.pick();
      }
      if (typeof t.run === 'function') return { task: t, frame };
      this.push(t.run);
    }
  }

  /** Locust's on_stop when the VU retires normally (not when the test cut it off). */
  close(): void | Promise<void> {
    const onStop = this.def.onStop;
    if (!onStop || !this.started || this.vu.signal.aborted) return;
    return vuStorage.run(this.vu, async () => {
      this.vu.tags = this.vu.recorder.tagSets.with(this.vu.tags, { user: this.def.name, task: 'on_stop' });
      await onStop(this.ctx);
    });
  }
}

/**
 * The function a scenario runs for these users (export it as `default`, or name it in `exec`).
 * Each call runs one task of the VU's user, then its wait time; the user's onStart runs before its
 * first task.
 */
export function workflow(users: UserDef<any> | readonly UserDef<any>[]): () => Promise<void> {
  const list = (Array.isArray(users) ? users : [users]) as readonly UserDef<unknown>[];
  if (list.length === 0) throw scriptError('E_WORKFLOW_USER', 'workflow([]): no user classes', 'workflow([user({ name, tasks })])');
  const seen = new Set<string>();
  for (const u of list) {
    if (!u || typeof u.name !== 'string' || !u.root) throw scriptError('E_WORKFLOW_USER', 'workflow(): expected user classes made with user({ … })', 'workflow([user({ name: "creator", tasks: [...] })])');
    if (seen.has(u.name)) throw scriptError('E_WORKFLOW_USER', `workflow(): two user classes are named '${u.name}'`, 'give each user class its own name');
    seen.add(u.name);
  }
  return async function runUserTask(): Promise<void> {
    const vu = currentVu('a workflow task');
    let rt = vu.slots.get(USER_SLOT) as UserRuntime<unknown> | undefined;
    const baseTags = vu.tags;
    if (rt === undefined) {
      rt = new UserRuntime(classForVu(list, vu.id), vu);
      vu.slots.set(USER_SLOT, rt);
    }
    const rec = vu.recorder;
    const userTags = rec.tagSets.with1(baseTags, 'user', rt.def.name);
    try {
      if (!rt.started) {
        rt.started = true;
        if (rt.def.onStart) {
          vu.tags = rec.tagSets.with1(userTags, 'task', 'on_start');
          await rt.def.onStart(rt.ctx);
        }
      }
      const { task: t, frame } = rt.nextTask();
      vu.tags = rec.tagSets.with1(userTags, 'task', t.name);
      rt.interrupted = false;
      const start = performance.now();
      try {
        await (t.run as TaskFn<unknown>)(rt.ctx);
      } finally {
        const tookMs = performance.now() - start;
        // Leaving a nested set happens after the task, even when it threw (Locust's interrupt).
        if (rt.interrupted && rt.stack.length > 1 && rt.stack[rt.stack.length - 1] === frame) rt.stack.pop();
        rt.interrupted = false;
        vu.tags = userTags;
        const wait = (frame.set.waitTime ?? rt.def.waitTime)(tookMs);
        if (wait > 0) await sleep(wait);
      }
    } finally {
      vu.tags = baseTags;
    }
  };
}

/** Locust's LoadTestShape.tick(): users wanted and spawn rate (users/s) at `seconds` into the test, or null to stop. */
export type ShapeTick = (seconds: number) => readonly [users: number, spawnRate: number] | null | undefined;

/**
 * A custom load shape (Locust's LoadTestShape) as ramping-vus stages: `tick` is called for each
 * second of the test; the user count moves towards its answer at the spawn rate it gives; the
 * shape ends at the first null (or at maxSeconds). Consecutive seconds with the same slope are
 * merged into one stage.
 *
 *   scenarios: { shaped: { executor: 'ramping-vus', stages: loadShape((t) => t < 60 ? [10, 2] : t < 120 ? [50, 10] : null), exec: 'default' } }
 */
export function loadShape(tick: ShapeTick, opts: { maxSeconds?: number } = {}): { duration: string; target: number }[] {
  const maxSeconds = opts.maxSeconds ?? 24 * 3600;
  const stages: { duration: string; target: number }[] = [];
  let users = 0;
  let runStart = 0;
  let runSlope = Number.NaN;
  const flush = (t: number) => {
    if (t > runStart) stages.push({ duration: `${t - runStart}s`, target: users });
    runStart = t;
  };
  let t = 0;
  for (; t < maxSeconds; t++) {
    const r = tick(t);
    if (r === null || r === undefined) break;
    const [want, rate] = r;
    if (!(Number.isInteger(want) && want >= 0) || !(rate > 0)) {
      throw scriptError('E_WORKFLOW_SHAPE', `loadShape: tick(${t}) returned [${String(want)}, ${String(rate)}]`, 'return [users (a whole number ≥ 0), spawn rate (users per second > 0)], or null to stop');
    }
    const step = Math.sign(want - users) * Math.min(Math.abs(want - users), rate);
    if (step !== runSlope) {
      flush(t);
      runSlope = step;
    }
    users += step;
  }
  flush(t);
  if (stages.length === 0) throw scriptError('E_WORKFLOW_SHAPE', 'loadShape: tick(0) stopped the test before it began', 'return [users, spawnRate] for the first seconds');
  return stages;
}
