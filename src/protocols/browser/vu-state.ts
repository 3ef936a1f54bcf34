/**
 * A VU's browser state, kept in its VU slot: one browser context (in the worker's shared Chromium,
 * launcher.ts) at a time, created on the VU's first page and closed at the end of the iteration
 * (at the next iteration's start), as k6 browser does: every iteration starts with no cookies,
 * cache or storage. The context's requests and the vitals its pages report are recorded here.
 *
 *   no context --newPage/newContext--> open --closeContext / iteration start / interrupt--> no context
 *   any --close() (VU retires)--> closed (context closed, the VU's hold on the browser released)
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from 'playwright-core';
import { ExitCode, VolleyError } from '../../errors/index.js';
import { NO_SAMPLE } from '../../metrics/group.js';
import { currentVu, type VuContext, type VuResource } from '../../vu/context.js';
import { acquireBrowser, checkMemory, crashError, firstLine, isCrashed, launchSettings, releaseBrowser, type LaunchSettings } from './launcher.js';
import { BROWSER_REQUEST, S_DURATION, S_FAILED, S_RECEIVED, S_SENT, VITAL_GROUPS } from './metrics.js';
import { wrapContext, wrapPage, type PageOwner } from './wrappers.js';
import { FINAL_AT_UNLOAD, VITAL_BINDING, vitalsInitScript } from './vitals.js';

const SLOT = Symbol('volley.browser');

/** The calling VU's browser state (made on first use); refused outside a browser scenario. */
export function browserState(what: string): BrowserVuState {
  const vu = currentVu(what);
  let s = vu.slots.get(SLOT) as BrowserVuState | undefined;
  if (s === undefined) {
    const scenario = vu.options.scenarios.find((sc) => sc.name === vu.scenario.name);
    if (scenario?.browser?.type !== 'chromium') {
      throw new VolleyError('E_BROWSER_SCENARIO', `${what} needs a browser scenario: scenario "${vu.scenario.name}" has no options.browser.type`, {
        hint: `add options: { browser: { type: 'chromium' } } to the scenario in options.scenarios (as k6 requires)`,
        exitCode: ExitCode.ScriptException,
      });
    }
    s = new BrowserVuState(vu, launchSettings());
    vu.slots.set(SLOT, s);
  }
  return s;
}

/** The calling VU's browser state if it has one (no error). */
export function existingBrowserState(vu: VuContext): BrowserVuState | undefined {
  return vu.slots.get(SLOT) as BrowserVuState | undefined;
}

interface DocumentVitals {
  doc: unknown;
  url: string;
  values: Map<string, number>;
}

/** Scratch values for recording (recording is synchronous: one per thread serves every VU). */
const requestValues = new Float64Array(BROWSER_REQUEST.metrics.length);
const vitalValue = new Float64Array(1);

/** `url` tag of a page or request: origin and path (no query, no fragment), so a page is one tag set. */
export function urlTag(url: string): string {
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

export class BrowserVuState implements VuResource, PageOwner {
  private browser: Browser | null = null;
  private context: BrowserContext | null = null;
  private wrapped: BrowserContext | null = null;
  private closingContext: Promise<void> | null = null;
  /** Requests in flight: when they started (performance.now()). */
  private readonly pending = new Map<Request, number>();
  /** Requests already recorded (a failed navigation may be reported twice: by its event and by goto). */
  private recorded = new WeakSet<Request>();
  /** Per page: the latest LCP/CLS/INP of its current document, recorded when the document is gone. */
  private readonly finals = new Map<Page, DocumentVitals>();
  private closed = false;

  constructor(
    private readonly vu: VuContext,
    readonly settings: LaunchSettings,
  ) {}

  /** The open context (wrapped), or null. */
  get current(): BrowserContext | null {
    return this.wrapped;
  }

  get connected(): boolean {
    return this.browser?.isConnected() ?? false;
  }

  get version(): string {
    return this.browser?.version() ?? '';
  }

  async newContext(options?: BrowserContextOptions): Promise<BrowserContext> {
    if (this.context !== null && !this.crashed()) {
      throw new VolleyError('E_BROWSER_CONTEXT', 'browser.newContext(): this VU already has a browser context; close it first (browser.closeContext() or context.close())', {
        hint: 'one browser context per VU at a time, as in k6',
        exitCode: ExitCode.ScriptException,
      });
    }
    return this.openContext(options);
  }

  /** The VU's context, opened if need be (browser.newPage()). */
  async ensureContext(): Promise<BrowserContext> {
    if (this.context !== null && !this.crashed()) return this.wrapped!;
    return this.openContext(undefined);
  }

  /** A page in the VU's context; with `options`, in a new context made with them (as k6: none may be open). */
  async newPage(options?: BrowserContextOptions): Promise<Page> {
    const ctx = await (options === undefined ? this.ensureContext() : this.newContext(options));
    return ctx.newPage();
  }

  /** A page of this VU's context, wrapped so that navigation failures are counted (wrappers.ts). */
  wrapPage(page: Page): Page {
    return wrapPage(page, this);
  }

  private crashed(): boolean {
    return this.browser !== null && isCrashed(this.browser);
  }

  /** One context opening at a time: `Promise.all([browser.newPage(), browser.newPage()])` shares it. */
  private opening: Promise<BrowserContext> | null = null;

  private openContext(options: BrowserContextOptions | undefined): Promise<BrowserContext> {
    this.opening ??= this.open(options).finally(() => (this.opening = null));
    return this.opening;
  }

  private async open(options: BrowserContextOptions | undefined): Promise<BrowserContext> {
    if (this.closed) throw new Error('browser: the VU has retired');
    if (this.closingContext) await this.closingContext;
    if (this.crashed()) {
      // The worker's browser died under this VU: forget it (the launcher has dropped it too).
      this.dropContext();
      this.browser = null;
    }
    checkMemory();
    if (this.browser === null) this.browser = await acquireBrowser(this.settings);
    let ctx: BrowserContext;
    try {
      ctx = await this.browser.newContext(options);
    } catch (e) {
      throw this.translate(e, 'browser.newContext()');
    }
    ctx.setDefaultTimeout(this.settings.timeoutMs);
    ctx.setDefaultNavigationTimeout(this.settings.timeoutMs);
    await ctx.exposeBinding(VITAL_BINDING, (source, name: unknown, value: unknown, url: unknown, doc: unknown) => this.vital(source.page, name, value, url, doc));
    await ctx.addInitScript({ content: vitalsInitScript() });
    ctx.on('page', (p) => p.once('close', () => this.commitVitals(p)));
    ctx.on('request', (r) => this.pending.set(r, performance.now()));
    ctx.on('requestfinished', (r) => void this.finished(r));
    ctx.on('requestfailed', (r) => this.failed(r, r.failure()?.errorText ?? 'failed'));
    this.context = ctx;
    this.wrapped = wrapContext(ctx, this);
    return this.wrapped;
  }

  /** Closes the VU's context (its pages first, so their last vitals are reported). */
  async closeContext(): Promise<void> {
    const ctx = this.context;
    if (ctx === null) return this.closingContext ?? Promise.resolve();
    this.dropContext();
    for (const p of [...this.finals.keys()]) this.commitVitals(p);
    const done = (async () => {
      if (ctx.browser()?.isConnected()) await ctx.close().catch(() => undefined);
    })();
    this.closingContext = done;
    void done.finally(() => {
      if (this.closingContext === done) this.closingContext = null;
    });
    return done;
  }

  private dropContext(): void {
    this.context = null;
    this.wrapped = null;
    this.pending.clear();
    this.recorded = new WeakSet();
  }

  /**
   * A navigation (goto, reload, waitForNavigation) failed: its main-document request is counted as
   * a failed request if the browser has not reported it (a timeout leaves it pending), and the
   * error the script sees is one line naming the call (a crash says so).
   */
  navigationFailed(page: Page, e: unknown, what: string): Error {
    const err = this.translate(e, what);
    for (const [r, start] of this.pending) {
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) this.recordFailure(r, start, /timeout/i.test(err.message) ? 'timeout' : firstLine(e));
    }
    return err;
  }

  /** A Playwright error as the script should see it. */
  translate(e: unknown, what: string): Error {
    if (this.browser !== null && isCrashed(this.browser)) return crashError(`during ${what}`);
    if ((e as { code?: unknown } | null)?.code !== undefined && e instanceof VolleyError) return e;
    // Playwright's messages name the call ("page.goto: net::ERR_CONNECTION_REFUSED at ..."); the call log after the first line is noise.
    const first = firstLine(e);
    const err = new Error(/^[a-zA-Z.]+: /.test(first) ? first : `${what}: ${first}`);
    err.name = (e as Error | null)?.name ?? 'Error';
    return err;
  }

  private async finished(r: Request): Promise<void> {
    const start = this.pending.get(r);
    this.pending.delete(r);
    if (this.recorded.has(r) || !/^https?:/.test(r.url())) return;
    const [res, sizes] = await Promise.all([r.response().catch(() => null), r.sizes().catch(() => null)]);
    if (this.closed || this.recorded.has(r)) return;
    this.recorded.add(r);
    const end = r.timing().responseEnd;
    const status = res?.status() ?? 0;
    const v = requestValues;
    v[S_DURATION] = end >= 0 ? end : start === undefined ? NO_SAMPLE : performance.now() - start;
    // As k6 browser: a response outside 200–399 is a failed request.
    v[S_FAILED] = status >= 200 && status < 400 ? 0 : 1;
    v[S_RECEIVED] = sizes === null ? NO_SAMPLE : sizes.responseHeadersSize + sizes.responseBodySize;
    v[S_SENT] = sizes === null ? NO_SAMPLE : sizes.requestHeadersSize + sizes.requestBodySize;
    this.record(r, String(status), undefined);
  }

  private failed(r: Request, error: string): void {
    const start = this.pending.get(r);
    this.pending.delete(r);
    // Requests cancelled because their page or context is closing are not failures of the site.
    if (this.context === null || error === 'net::ERR_ABORTED' || !/^https?:/.test(r.url())) return;
    this.recordFailure(r, start, error);
  }

  private recordFailure(r: Request, start: number | undefined, error: string): void {
    this.pending.delete(r);
    if (this.closed || this.recorded.has(r)) return;
    this.recorded.add(r);
    const v = requestValues;
    v[S_DURATION] = start === undefined ? NO_SAMPLE : performance.now() - start;
    v[S_FAILED] = 1;
    v[S_RECEIVED] = NO_SAMPLE;
    v[S_SENT] = NO_SAMPLE;
    this.record(r, undefined, error);
  }

  private record(r: Request, status: string | undefined, error: string | undefined): void {
    const vu = this.vu;
    const tags = vu.recorder.tagSets.with(vu.tags, { url: urlTag(r.url()), method: r.method(), status, error });
    vu.recorder.record(BROWSER_REQUEST, tags, requestValues);
  }

  /** A vital reported by a document (vitals.ts): FCP/TTFB/FID recorded now, LCP/CLS/INP kept until the document is gone. */
  private vital(page: Page | null, name: unknown, value: unknown, url: unknown, doc: unknown): void {
    if (this.closed || typeof name !== 'string' || typeof value !== 'number' || !Number.isFinite(value) || value < 0 || typeof url !== 'string') return;
    if (!FINAL_AT_UNLOAD.has(name) || page === null) {
      this.recordVital(name, value, url);
      return;
    }
    let d = this.finals.get(page);
    if (d !== undefined && d.doc !== doc) {
      this.commitVitals(page);
      d = undefined;
    }
    if (d === undefined) this.finals.set(page, (d = { doc, url, values: new Map() }));
    d.values.set(name, value);
  }

  /** Records the kept LCP/CLS/INP of the page's last document. */
  private commitVitals(page: Page): void {
    const d = this.finals.get(page);
    if (d === undefined) return;
    this.finals.delete(page);
    for (const [name, value] of d.values) this.recordVital(name, value, d.url);
  }

  private recordVital(name: string, value: number, url: string): void {
    const group = VITAL_GROUPS[name];
    if (this.closed || group === undefined) return;
    const vu = this.vu;
    vitalValue[0] = value;
    vu.recorder.record(group, vu.recorder.tagSets.with1(vu.tags, 'url', urlTag(url)), vitalValue);
  }

  /** Iteration start: the previous iteration's context goes (k6: a fresh context per iteration). */
  onIterationStart(): void {
    if (this.context !== null) void this.closeContext();
  }

  /** The VU is stopped at once: its pages' pending calls fail, the iteration is not counted. */
  onInterrupt(): void {
    if (this.context !== null) void this.closeContext();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.closeContext();
    this.closed = true;
    const b = this.browser;
    this.browser = null;
    if (b !== null) await releaseBrowser(b);
  }
}
