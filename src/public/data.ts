/** `volley/data`: k6/data's `SharedArray`. */
export { SharedArray } from '../modules/data.js';
export { default } from '../modules/data.js';
