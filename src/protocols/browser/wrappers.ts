/**
 * Playwright's Page and BrowserContext as a script sees them: the real objects behind a Proxy that
 * changes only what the VU's bookkeeping needs (vu-state.ts), so every other method is Playwright's
 * own (and k6 browser's, which follows Playwright's names):
 * - `page.goto`/`reload`/`waitForNavigation`: a failure (timeout, refused, crash) is counted in
 *   browser_http_req_failed and thrown as one line naming the call;
 * - `page.close`: never throws for a page already gone (closed with its context, or a crash);
 * - `context.newPage`/`pages`/`page.context()`: return wrapped objects; `context.close()` closes
 *   the VU's context (browser.closeContext()).
 */
import type { BrowserContext, Page } from 'playwright-core';

/** What the wrappers need of the VU's browser state (vu-state.ts implements it). */
export interface PageOwner {
  /** The VU's open context (wrapped), or null. */
  readonly current: BrowserContext | null;
  wrapPage(page: Page): Page;
  closeContext(): Promise<void>;
  /** Counts a failed navigation and returns the error the script sees. */
  navigationFailed(page: Page, e: unknown, what: string): Error;
  translate(e: unknown, what: string): Error;
}

const pages = new WeakMap<Page, Page>();

type Overrides = Record<PropertyKey, unknown>;

function proxy<T extends object>(target: T, overrides: Overrides): T {
  return new Proxy(target, {
    get(t, p) {
      if (Object.prototype.hasOwnProperty.call(overrides, p)) return overrides[p];
      const v: unknown = Reflect.get(t, p, t);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

export function wrapPage(page: Page, state: PageOwner): Page {
  const known = pages.get(page);
  if (known !== undefined) return known;
  const navigate =
    <A extends unknown[], R>(what: string, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (e) {
        throw state.navigationFailed(page, e, what);
      }
    };
  const wrapped = proxy(page, {
    goto: navigate('page.goto()', page.goto.bind(page)),
    reload: navigate('page.reload()', page.reload.bind(page)),
    waitForNavigation: navigate('page.waitForNavigation()', page.waitForNavigation.bind(page)),
    close: (options?: Parameters<Page['close']>[0]) => page.close(options).catch(() => undefined),
    context: () => state.current ?? page.context(),
  });
  pages.set(page, wrapped);
  return wrapped;
}

export function wrapContext(ctx: BrowserContext, state: PageOwner): BrowserContext {
  return proxy(ctx, {
    newPage: async () => {
      try {
        return state.wrapPage(await ctx.newPage());
      } catch (e) {
        throw state.translate(e, 'newPage()');
      }
    },
    pages: () => ctx.pages().map((p) => state.wrapPage(p)),
    close: () => state.closeContext(),
  });
}
