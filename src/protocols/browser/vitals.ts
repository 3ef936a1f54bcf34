/**
 * Web vitals, measured in the page: the `web-vitals` npm package (Google's own implementation of
 * LCP, FCP, TTFB, CLS and INP) is injected into every document of a VU's browser context before
 * the page's own scripts run, and reports each value through a binding (`__volleyVital`) with the
 * document's URL and an id of the document. FID is no longer in web-vitals (v5 dropped it): a
 * PerformanceObserver on `first-input` measures it (processingStart − startTime), as web-vitals 4 did.
 *
 * FCP, TTFB and FID are final when first reported. LCP, CLS and INP change while the page lives:
 * web-vitals reports every change (`reportAllChanges`), and the VU keeps the latest value per
 * document, recorded once that document is gone (another document reports, the page or context
 * closes: vu-state.ts). Waiting for the page to be hidden (web-vitals' default) loses them when a
 * click navigates away: the unloading document's last reports do not reach Node.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The binding the page reports through: `(name, value, url, documentId)`. */

export const VITAL_BINDING = '__volleyVital';

let cached: string | undefined;

/** The init script: web-vitals' IIFE build, then the hooks that report to `VITAL_BINDING`. */
export function vitalsInitScript(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  // The package exports its UMD build to `require`; the IIFE build (global `webVitals`) sits beside it.
  const iife = readFileSync(join(dirname(require.resolve('web-vitals')), 'web-vitals.iife.js'), 'utf8');
  cached = `${iife}
;(function () {
  if (window.top !== window) return;
  var doc = String(performance.timeOrigin) + ':' + Math.random();
  var report = function (m) { try { window.${VITAL_BINDING}(m.name, m.value, location.href, doc); } catch (e) {} };
  var all = { reportAllChanges: true };
  webVitals.onFCP(report); webVitals.onTTFB(report);
  webVitals.onLCP(report, all); webVitals.onCLS(report, all);
  // INP counts every interaction (a scripted click is short; web-vitals' default ignores < 40 ms).
  webVitals.onINP(report, { reportAllChanges: true, durationThreshold: 0 });
  try {
    new PerformanceObserver(function (list, obs) {
      var e = list.getEntries()[0];
      if (e) { report({ name: 'FID', value: e.processingStart - e.startTime }); obs.disconnect(); }
    }).observe({ type: 'first-input', buffered: true });
  } catch (e) {}
})();`;
  return cached;
}


/** Vitals that change while the document lives: the last value reported is the document's. */
export const FINAL_AT_UNLOAD: ReadonlySet<string> = new Set(['LCP', 'CLS', 'INP']);
