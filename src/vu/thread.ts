import { MetricRegistry } from '../metrics/registry.js';
import { defineCoreMetrics, type CoreMetrics } from './metrics.js';

/**
 * Per-thread singletons. Every thread (main and each worker) loads the user's script once, and
 * custom metrics (`new Trend('x')`) declared at init time register here. The registry defines the
 * built-ins first, so their ids are the same in every thread.
 */
export const threadRegistry = new MetricRegistry();
export const threadBuiltins: CoreMetrics = defineCoreMetrics(threadRegistry);

/** Base `__ENV` for the init context (process env + `-e`); VUs see their scenario's env instead. */
export const threadEnv: { current: Record<string, string> } = { current: {} };
