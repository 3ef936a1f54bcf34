import type { Command } from 'commander';
import { buildProgram } from './main.js';
import type { ExitCode } from '../errors/index.js';

/** What each exit code means, for docs/cli.md: keyed by every ExitCode, so a new code cannot go undocumented. */
export const EXIT_CODE_MEANINGS: Record<ExitCode, string> = {
  0: 'the test ran and every threshold passed',
  1: 'another failure, named in the message: a file volley report or merge cannot write, kubectl failing…',
  98: 'a --max-regression budget was exceeded by a significant regression (run history)',
  99: 'some threshold failed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'a wait timed out (volley k8s --apply: the Job did not finish within --timeout)',
  103: 'internal error (a bug: please report it)',
  104: 'invalid options, flags or configuration',
  105: 'stopped from outside (Ctrl-C, SIGTERM)',
  107: 'script error: syntax, exception at init, in setup or teardown',
  108: 'the script aborted the test (exec.test.abort)',
};

/**
 * Renders the CLI reference (docs/cli.md) from the command definitions themselves, so the docs
 * cannot drift from the flags. `npm run docs:cli` writes it; a test checks it is current.
 */
export function renderCliReference(): string {
  const program = buildProgram({ code: 0 });
  const out: string[] = [
    '# CLI reference',
    '',
    '<!-- Generated from src/cli/main.ts by `npm run docs:cli`. Do not edit by hand. -->',
    '',
    program.description(),
    '',
  ];
  // Subcommands (`volley sql init`) follow their parent, with its name in front.
  const all = (program.commands as Command[]).flatMap((c) => [{ cmd: c, name: c.name() }, ...(c.commands as Command[]).map((sub) => ({ cmd: sub, name: `${c.name()} ${sub.name()}` }))]);
  for (const { cmd, name } of all) {
    const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    out.push(`## \`volley ${name}${args ? ` ${args}` : ''}\``, '', cmd.description(), '');
    if (cmd.options.length > 0) {
      out.push('| option | description | default |', '| --- | --- | --- |');
      for (const o of cmd.options) {
        const def = o.defaultValue === undefined || typeof o.defaultValue === 'boolean' ? '' : `\`${String(o.defaultValue)}\``;
        out.push(`| \`${o.flags}\` | ${o.description.replace(/\|/g, '\\|')} | ${def} |`);
      }
      out.push('');
    }
  }
  out.push('## Exit codes', '', '| code | meaning |', '| --- | --- |');
  for (const [c, m] of Object.entries(EXIT_CODE_MEANINGS).sort(([a], [b]) => Number(a) - Number(b))) out.push(`| ${c} | ${m} |`);
  return `${out.join('\n')}\n`;
}
