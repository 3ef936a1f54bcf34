/**
 * The `volley run` flags of the live dashboard, and how they (or their environment variables)
 * become `DashboardOptions`. The CLI defines the flags from `dashboardFlags` and calls
 * `dashboardOptionsFromFlags`; docs/dashboard.md documents the same table.
 */
import { configError } from '../errors/index.js';
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from './defaults.js';
import type { DashboardOptions } from './types.js';

/** One flag: commander's `flags` string, its help line, its environment variable. */
export interface DashboardFlag {
  flags: string;
  description: string;
  env: string;
  /** Default shown in the help (undefined: off / none). */
  defaultValue?: string | number;
}

/** The dashboard's flags, in help order. */
export const dashboardFlags: readonly DashboardFlag[] = [
  { flags: '--dashboard', description: 'serve a live web dashboard of the run (Server-Sent Events, updated every second)', env: 'VOLLEY_DASHBOARD' },
  {
    flags: '--dashboard-host <host>',
    description: 'address the dashboard binds to; anything but loopback requires --dashboard-token',
    env: 'VOLLEY_DASHBOARD_HOST',
    defaultValue: DEFAULT_DASHBOARD_HOST,
  },
  { flags: '--dashboard-port <port>', description: 'dashboard TCP port (0 = any free port)', env: 'VOLLEY_DASHBOARD_PORT', defaultValue: DEFAULT_DASHBOARD_PORT },
  {
    flags: '--dashboard-token <token>',
    description: 'secret every dashboard request must carry (?token= or Authorization: Bearer); prefer the environment variable',
    env: 'VOLLEY_DASHBOARD_TOKEN',
  },
  { flags: '--dashboard-open', description: 'open the dashboard in the system browser', env: 'VOLLEY_DASHBOARD_OPEN' },
  { flags: '--dashboard-linger', description: 'keep the dashboard up after the test until Ctrl-C', env: 'VOLLEY_DASHBOARD_LINGER' },
];

/** The parsed flags as commander hands them over (camelCase). */
export interface DashboardFlagValues {
  dashboard?: boolean;
  dashboardHost?: string;
  dashboardPort?: string | number;
  dashboardToken?: string;
  dashboardOpen?: boolean;
  dashboardLinger?: boolean;
}

function envBool(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw configError('E_DASHBOARD_FLAG', `${name}=${v} is not a boolean`, `set ${name} to true or false`);
}

/**
 * The dashboard options from the flags, falling back to the environment (flags win), or undefined
 * when the dashboard is off. Setting any other dashboard flag (--dashboard-port...) turns it on,
 * so `--dashboard-open` alone does what it says. Throws VolleyError (exit 104) for a bad port.
 */
export function dashboardOptionsFromFlags(flags: DashboardFlagValues, env: Record<string, string | undefined> = process.env): DashboardOptions | undefined {
  const host = flags.dashboardHost ?? (env.VOLLEY_DASHBOARD_HOST || undefined);
  const portRaw = flags.dashboardPort ?? (env.VOLLEY_DASHBOARD_PORT || undefined);
  const token = flags.dashboardToken ?? (env.VOLLEY_DASHBOARD_TOKEN || undefined);
  const open = flags.dashboardOpen ?? envBool(env, 'VOLLEY_DASHBOARD_OPEN');
  const linger = flags.dashboardLinger ?? envBool(env, 'VOLLEY_DASHBOARD_LINGER');
  const on = flags.dashboard ?? envBool(env, 'VOLLEY_DASHBOARD');
  const implied = host !== undefined || portRaw !== undefined || token !== undefined || open === true || linger === true;
  if (on === false || (on === undefined && !implied)) return undefined;
  let port: number | undefined;
  if (portRaw !== undefined) {
    port = typeof portRaw === 'number' ? portRaw : Number(portRaw);
    if (typeof portRaw === 'string' && (portRaw.trim() === '' || !/^\d+$/.test(portRaw.trim()))) port = NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw configError('E_DASHBOARD_PORT', `--dashboard-port must be a TCP port from 0 to 65535, got "${String(portRaw)}"`, 'e.g. --dashboard-port 5665 (the default), or 0 for any free port');
    }
  }
  const opts: DashboardOptions = {};
  if (host !== undefined) opts.host = host;
  if (port !== undefined) opts.port = port;
  if (token !== undefined) opts.token = token;
  if (open !== undefined) opts.open = open;
  if (linger !== undefined) opts.linger = linger;
  return opts;
}
