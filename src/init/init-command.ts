import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { configError, suggest } from '../errors/index.js';
import { readme, TEMPLATES, testScript, workflow, type TemplateName } from './templates.js';

export interface InitOptions {
  /** Folder for the tests (relative to cwd). Default `load-tests`. */
  dir?: string | undefined;
  /** Comma-separated template names. Default `smoke,load`. */
  template?: string | undefined;
  /** The endpoint the tests call, e.g. /health. Default `/`. */
  path?: string | undefined;
  /** Command that starts the service in CI (the workflow runs it in the background). */
  start?: string | undefined;
  /** Overwrite existing files. */
  force?: boolean | undefined;
  /** Project root (where .github/ goes). Default the current directory. */
  cwd?: string | undefined;
}

/** The files `volley init` would write, path → content. */
export function initFiles(o: InitOptions): Map<string, string> {
  const names = parseTemplates(o.template ?? 'smoke,load');
  const dir = o.dir ?? 'load-tests';
  const path = o.path ?? '/';
  if (!path.startsWith('/')) throw configError('E_INIT_PATH', `--path '${path}' must start with /`, 'e.g. --path /api/health');
  const files = new Map<string, string>();
  for (const n of names) files.set(join(dir, `${n}.test.ts`), testScript(n, path, dir));
  files.set(join(dir, 'README.md'), readme(names));
  files.set(join('.github', 'workflows', 'load-tests.yml'), workflow(dir.split('\\').join('/'), names, o.start));
  return files;
}

function parseTemplates(list: string): TemplateName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw configError('E_INIT_TEMPLATE', '--template is empty', `choose from ${TEMPLATES.join(', ')}`);
  for (const n of names) {
    if (!(TEMPLATES as readonly string[]).includes(n)) {
      const close = suggest(n, TEMPLATES);
      throw configError('E_INIT_TEMPLATE', `--template: unknown test type '${n}'${close ? `; did you mean '${close}'?` : ''}`, `choose from ${TEMPLATES.join(', ')} (comma-separated)`);
    }
  }
  return [...new Set(names)] as TemplateName[];
}

/** `volley init`: writes the tests, a README and a GitHub Actions workflow; refuses to overwrite without --force. */
export async function initCommand(o: InitOptions): Promise<number> {
  const cwd = resolve(o.cwd ?? process.cwd());
  const files = initFiles(o);
  const existing = [...files.keys()].filter((f) => existsSync(join(cwd, f)));
  if (existing.length > 0 && !o.force) {
    throw configError('E_INIT_EXISTS', `volley init would overwrite ${existing.join(', ')}`, 'move them away, choose another folder (volley init DIR), or pass --force');
  }
  for (const [f, content] of files) {
    const abs = join(cwd, f);
    await mkdir(resolve(abs, '..'), { recursive: true });
    await writeFile(abs, content);
    process.stdout.write(`  wrote ${relative(cwd, abs)}\n`);
  }
  const first = [...files.keys()][0]!;
  process.stdout.write(`\nNext: npx volley run ${first} -e BASE_URL=http://127.0.0.1:8080 -e SCALE=0.01\n`);
  return 0;
}
