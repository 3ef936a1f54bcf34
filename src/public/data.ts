/** `volley/data`: k6/data's `SharedArray`. */
export { SharedArray, dataset, feeder, syntheticPrompts, parseCsv, parseJsonl, parseDataset, type FeedOrder, type SyntheticSpec } from '../modules/data.js';
export { default } from '../modules/data.js';
