/** The default port (the same as k6's web dashboard). */
export const DEFAULT_DASHBOARD_PORT = 5665;
/** The default host: loopback only. */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';
