// The compiled route types moved to context.ts (a route and its response refer to each other).
// Re-exported until the handlers still importing them from here are moved over.
export type { CompiledErrors, CompiledRoute, CompiledStorms, Handler } from './context.js';
