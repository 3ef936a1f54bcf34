/** Shared helpers for end-to-end tests. */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** Repository root (tests run from dist/test/, two levels below). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
