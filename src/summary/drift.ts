/** Drift (soak) analysis of a run's time series: the statistics live in metrics/drift.ts (thresholds use them too). */
export { type DriftFinding, analyzeDrift, driftColumns, driftOf, describeDrift } from '../metrics/drift.js';
