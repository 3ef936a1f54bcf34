/** Durations are a leaf helper (src/util/duration.ts), shared with the VU runtime. */
export { parseDurationMs, formatDuration } from '../util/duration.js';
