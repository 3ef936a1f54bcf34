import { existsSync } from 'node:fs';
import { ExitCode, VolleyError } from '../errors/index.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { artilleryScript } from '../script/artillery.js';
import { parse as parseYaml } from 'yaml';
import { convertK6 } from './k6.js';
import { readHar } from './har.js';
import { readOpenApi } from './openapi.js';
import { readPostman } from './postman.js';
import { renderTest, type TestSpec } from './requests.js';

/** The formats `volley convert` reads. */
export const CONVERT_FORMATS: readonly string[] = ['k6', 'artillery', 'har', 'openapi', 'postman'];

/** `volley convert <from> <file> -o <out>`: writes the test and says where. */
export async function convertCommand(from: string, file: string, output: string): Promise<number> {
  let written: string[];
  // One answer for a missing input whatever the format (exit 104, naming the file).
  if (CONVERT_FORMATS.includes(from) && !existsSync(file)) {
    throw new VolleyError('E_CONVERT_INPUT', `cannot read ${resolve(file)}: no such file`, { hint: `give the path of the ${from === 'k6' ? 'k6 script' : from === 'artillery' ? 'Artillery YAML file' : 'file to convert'}`, exitCode: ExitCode.InvalidConfig });
  }
  await mkdir(dirname(resolve(output)), { recursive: true });
  switch (from) {
    case 'k6':
      written = await convertK6(file, output);
      break;
    case 'artillery': {
      const out = resolve(output);
      await writeFile(out, await artilleryScript(resolve(file), dirname(out)));
      written = [out];
      break;
    }
    case 'har':
    case 'openapi':
    case 'postman': {
      const out = resolve(output);
      await writeFile(out, renderTest(await readDocument(from, file)));
      written = [out];
      break;
    }
    default:
      throw new VolleyError('E_CONVERT_FORMAT', `volley convert cannot read "${from}" files yet`, {
        hint: `supported: ${CONVERT_FORMATS.join(', ')}`,
        exitCode: ExitCode.InvalidConfig,
      });
  }
  for (const w of written) process.stderr.write(`volley convert: wrote ${w}\n`);
  return 0;
}

const READERS: Record<string, (doc: unknown, source: string) => TestSpec> = { har: readHar, openapi: readOpenApi, postman: readPostman };

async function readDocument(from: string, file: string): Promise<TestSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new VolleyError('E_CONVERT_INPUT', `cannot read ${file}`, { hint: 'give the path of the file to convert', exitCode: ExitCode.InvalidConfig });
  }
  try {
    return READERS[from]!(/\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text), file);
  } catch (e) {
    throw new VolleyError('E_CONVERT_INPUT', `cannot convert ${file}: ${(e as Error).message}`, { hint: `check that it is a ${from} file`, exitCode: ExitCode.InvalidConfig });
  }
}
