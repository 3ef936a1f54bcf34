// Writes docs/cli.md from the CLI definitions (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { renderCliReference } from '../dist/src/cli/cli-docs.js';
writeFileSync(new URL('../docs/cli.md', import.meta.url), renderCliReference());
console.log('docs/cli.md written');
