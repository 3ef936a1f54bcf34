/**
 * The built-in target service (`volley target`): a realistic HTTP API with configurable latency,
 * errors, limits, stalls and streaming, which records its own service times as ground truth.
 * See docs/target.md. Imports nothing from Volley but `errors/`.
 */
export { startTarget, E_TARGET_PORT, type TargetOptions, type RunningTarget, type RouteInfo } from './server.js';
export { loadTargetConfig, validateTargetConfig, E_TARGET_CONFIG } from './load-config.js';
export { runTargetCommand, describeTarget, type TargetCommandOptions } from './cli.js';
export type { TargetConfig, RouteConfig, NormalizedConfig, RouteKind } from './config.js';
export type { TargetStats, RouteStatsSnapshot, RouteCounters, ServiceTimeMs } from './stats.js';
export type { DistributionSpec } from './latency.js';
export { DEMO_PROFILE } from './demo-profile.js';
