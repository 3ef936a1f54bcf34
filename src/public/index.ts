/**
 * `volley`: the core script API (k6's global functions, async where k6 blocks).
 *
 *   import { check, group, sleep } from 'volley';
 *   import type { Options } from 'volley';
 */
export { check, group, sleep, fail, randomIntBetween } from '../vu/api.js';
export type { Options, ScenarioOptions, StageOptions, ThresholdOptions } from './options.js';
