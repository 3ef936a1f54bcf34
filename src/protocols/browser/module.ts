/**
 * `volley/browser`: k6 browser's module (`import { browser } from 'k6/browser'`) on playwright-core
 * and Debian's Chromium. Pages are Playwright pages (k6 browser's API follows Playwright's); the
 * run records web vitals and the page's requests under k6 browser's metric names (metrics.ts).
 *
 *   import { browser } from 'volley/browser';
 *   export const options = { scenarios: { ui: { executor: 'shared-iterations', options: { browser: { type: 'chromium' } } } } };
 *   export default async function () {
 *     const page = await browser.newPage();
 *     try { await page.goto('http://127.0.0.1:8080/'); } finally { await page.close(); }
 *   }
 *
 * See docs/browser.md.
 */
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { browserState, existingBrowserState } from './vu-state.js';
import { maybeCurrentVu } from '../../vu/context.js';

export type { BrowserContext, BrowserContextOptions, Page, Locator, Response, Request, ElementHandle } from 'playwright-core';

export interface VolleyBrowser {
  /** A new page in the VU's browser context (opened if the VU has none; with `options`, a new one). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A new browser context for the VU; one at a time (close the previous one first), as k6. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** The VU's current context, or null. */
  context(): BrowserContext | null;
  /** Closes the VU's current context and its pages. */
  closeContext(): Promise<void>;
  /** True while the worker's Chromium is up for this VU. */
  isConnected(): boolean;
  /** Chromium's version ('' before the VU's first page). */
  version(): string;
}

export const browser: VolleyBrowser = {
  newPage(options) {
    return browserState('browser.newPage()').newPage(options);
  },
  newContext(options) {
    return browserState('browser.newContext()').newContext(options);
  },
  context() {
    const vu = maybeCurrentVu();
    return vu === undefined ? null : (existingBrowserState(vu)?.current ?? null);
  },
  async closeContext() {
    const vu = maybeCurrentVu();
    if (vu !== undefined) await existingBrowserState(vu)?.closeContext();
  },
  isConnected() {
    const vu = maybeCurrentVu();
    return vu === undefined ? false : (existingBrowserState(vu)?.connected ?? false);
  },
  version() {
    const vu = maybeCurrentVu();
    return vu === undefined ? '' : (existingBrowserState(vu)?.version ?? '');
  },
};

export default { browser };
