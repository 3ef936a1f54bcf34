import { ExitCode, VolleyError, suggest } from '../errors/index.js';
import { CsvOutput, parseCsvArg } from './csv.js';
import { JsonOutput } from './json.js';
import type { Output, OutputContext, OutputFactory } from './types.js';

/**
 * Output name → factory (the name before `=` in `--out name=arg`). Other outputs register here
 * with `registerOutput`.
 */
const factories = new Map<string, OutputFactory>([
  ['json', (arg, ctx) => new JsonOutput(requireFile('json', arg), ctx)],
  [
    'csv',
    (arg, ctx) => {
      const config = parseCsvArg(requireFile('csv', arg));
      requireFile('csv', config.fileName);
      return new CsvOutput(config, ctx);
    },
  ],
]);

/** Adds (or replaces) an output type. */
export function registerOutput(name: string, factory: OutputFactory): void {
  factories.set(name, factory);
}

/** The registered output names. */
export function outputNames(): string[] {
  return [...factories.keys()];
}

/**
 * Creates the output for one `--out` value: `'json=samples.ndjson'`, `'json=samples.ndjson.gz'`,
 * `'csv=samples.csv'`, `'csv=fileName=samples.csv,timeFormat=rfc3339'`. Nothing is opened until
 * `start()`. Throws a VolleyError (E_OUTPUT, exit code 104) for an unknown output name (with the
 * closest known one) or a missing file name.
 */
export function createOutput(spec: string, ctx: OutputContext): Output {
  const eq = spec.indexOf('=');
  const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const arg = eq < 0 ? '' : spec.slice(eq + 1).trim();
  const factory = factories.get(name);
  if (!factory) {
    const close = suggest(name, factories.keys());
    throw new VolleyError('E_OUTPUT', `unknown output ${JSON.stringify(name)} in --out ${spec}${close ? `; did you mean ${JSON.stringify(close)}?` : ''}`, {
      hint: `outputs: ${outputNames().join(', ')} (e.g. --out json=samples.ndjson)`,
      exitCode: ExitCode.InvalidConfig,
    });
  }
  return factory(arg, ctx);
}

function requireFile(name: string, arg: string): string {
  if (arg === '') {
    throw new VolleyError('E_OUTPUT', `output ${name} needs a file name: --out ${name}=FILE`, {
      hint: `e.g. --out ${name}=samples.${name === 'json' ? 'ndjson' : name} (add .gz to compress)`,
      exitCode: ExitCode.InvalidConfig,
    });
  }
  return arg;
}
