/**
 * uPlot's script and stylesheet, read from the `uplot` package (node_modules) the first time a
 * report is rendered, then kept: the report inlines them so it opens without network access.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ExitCode, VolleyError } from '../errors/index.js';

let cached: { js: string; css: string } | undefined;

/** The minified uPlot IIFE (defines `uPlot`) and its CSS. Throws E_REPORT_ASSETS when the package is missing. */
export function uplotAssets(): { js: string; css: string } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    cached = { js, css };
    return cached;
  } catch (cause) {
    throw new VolleyError('E_REPORT_ASSETS', 'cannot read the chart library (the "uplot" package) to inline it in the HTML report', {
      hint: 'reinstall Volley\'s dependencies (npm ci): the "uplot" package is missing',
      exitCode: ExitCode.GenericError,
      cause,
    });
  }
}
