/**
 * `volley/browser`: k6 browser's module, on playwright-core and Debian's Chromium.
 *
 *   import { browser } from 'volley/browser';
 *   const page = await browser.newPage();
 *
 * See docs/browser.md.
 */
export { default } from '../protocols/browser/module.js';
export * from '../protocols/browser/module.js';
