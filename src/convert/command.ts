import { ExitCode, VolleyError } from '../errors/index.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { artilleryScript } from '../script/artillery.js';
import { convertK6 } from './k6.js';

/** The formats `volley convert` reads. */
export const CONVERT_FORMATS: readonly string[] = ['k6', 'artillery'];

/** `volley convert <from> <file> -o <out>`: writes the test and says where. */
export async function convertCommand(from: string, file: string, output: string): Promise<number> {
  let written: string[];
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
    default:
      throw new VolleyError('E_CONVERT_FORMAT', `volley convert cannot read "${from}" files yet`, {
        hint: `supported: ${CONVERT_FORMATS.join(', ')}`,
        exitCode: ExitCode.InvalidConfig,
      });
  }
  for (const w of written) process.stderr.write(`volley convert: wrote ${w}\n`);
  return 0;
}
