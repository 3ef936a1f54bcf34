/**
 * `volley/workflow`: Locust-style user workflows — user classes with weighted tasks, wait times,
 * onStart/onStop, sequential, nested and Markov task sets. See docs/workflows.md.
 *
 *   import { user, task, between, workflow } from 'volley/workflow';
 */
export {
  user,
  task,
  taskSet,
  sequence,
  markov,
  workflow,
  between,
  constant,
  constantPacing,
  constantThroughput,
  loadShape,
  type UserContext,
  type UserDef,
  type Task,
  type TaskSet,
  type TaskFn,
  type WaitTime,
  type ShapeTick,
} from '../modules/workflow.js';
