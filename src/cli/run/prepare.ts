import { totalmem } from 'node:os';
import { dirname } from 'node:path';
import { checkVuMemory } from '../../config/vu-memory.js';
import { resolveOptionsWithWarnings, type CliOptionFlags } from '../../config/resolve.js';
import type { ResolvedOptions } from '../../config/types.js';
import { checkThresholdMetricsExist, validateThresholds } from '../../metrics/thresholds/index.js';
import { bundleScript, type Bundle } from '../../script/bundle.js';
import { installGlobals } from '../../script/globals.js';
import { importScript } from '../../script/load.js';
import type { MetricCatalog } from '../../metrics/catalog.js';
import { metricCatalog, PROTOCOLS } from '../../protocols/index.js';
import { threadRegistry } from '../../vu/thread.js';
import { FAULT_DECLARATIONS, hasFaults } from './faults.js';
import { RECOVERY_DECLARATIONS, recoveryWindows } from './recovery.js';

export interface PreparedRun {
  bundle: Bundle;
  options: ResolvedOptions;
  warnings: string[];
  /** Names of the functions the script exports ('default', 'setup', 'handleSummary', ...). */
  exports: string[];
  /** What the VU runtime and the registered protocols record. */
  catalog: MetricCatalog;
}

/**
 * Everything before a run starts, in the main thread: bundle the script, run its init context
 * here to read `options` (and declare its custom metrics), resolve the options with the flags
 * and the environment, and check the thresholds against the metrics the script declares.
 * Every user error surfaces here, before a worker is started. The caller disposes the bundle.
 */
export async function prepareRun(scriptPath: string, flags: CliOptionFlags): Promise<PreparedRun> {
  const bundle = await bundleScript(scriptPath);
  let catalog = metricCatalog();
  // Every declared metric exists before the script runs: thresholds may name any of them, and a
  // custom metric cannot take a built-in's name with another type.
  for (const m of catalog.metrics) threadRegistry.declare(m);
  try {
    process.setSourceMapsEnabled(true);
    const baseEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) baseEnv[k] = v;
    installGlobals({ ...baseEnv, ...flags.env }, dirname(scriptPath));
    const mod = await importScript(bundle.url, scriptPath);
    const { options, warnings } = resolveOptionsWithWarnings({
      scriptOptions: mod.options,
      scriptPath,
      processEnv: process.env,
      cli: flags,
      exportedFunctions: Object.keys(mod.functions),
    });
    if (!options.noVUMemoryCheck) checkVuMemory(options.scenarios, totalmem());
    // With proxies or faults, the main thread also records faults_injected; after a fault window
    // or a spike, recovery_time.
    const mainThread = [...(hasFaults(options) ? [FAULT_DECLARATIONS] : []), ...(recoveryWindows(options).length > 0 ? [RECOVERY_DECLARATIONS] : [])];
    if (mainThread.length > 0) {
      catalog = metricCatalog(PROTOCOLS, mainThread);
      for (const d of mainThread) for (const m of d.metrics) threadRegistry.declare(m);
    }
    // Monitors (options.monitors) record gauges named monitor_<series>: thresholds may name them.
    if (options.monitors.length > 0) {
      for (const key of Object.keys(options.thresholds)) {
        const name = key.split('{', 1)[0]!.trim();
        if (name.startsWith('monitor_') && !threadRegistry.get(name)) threadRegistry.declare({ name, type: 'gauge', contains: /_bytes$/.test(name) ? 'data' : 'default' });
      }
    }
    if (!options.noThresholds) {
      const typeOf = (name: string) => threadRegistry.get(name)?.type;
      validateThresholds(options.thresholds, typeOf);
      checkThresholdMetricsExist(options.thresholds, typeOf, threadRegistry.all().map((m) => m.name));
    }
    return { bundle, options, warnings, exports: Object.keys(mod.functions), catalog };
  } catch (e) {
    await bundle.dispose();
    throw e;
  }
}
