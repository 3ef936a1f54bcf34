/**
 * jslib.k6.io's k6chaijs (`https://jslib.k6.io/k6chaijs/4.3.4.3/index.js`): Chai's BDD `expect`
 * whose assertions are recorded as checks, and `describe`, a group that stops at the first failed
 * assertion (or other error), reports it and returns false instead of failing the iteration.
 *
 *   import { describe, expect } from 'https://jslib.k6.io/k6chaijs/4.3.4.3/index.js';
 *   describe('fetch items', () => {
 *     const res = http.get(url);
 *     expect(res.status, 'response status').to.equal(200);
 *   });
 *
 * Check names are Chai's message with the `expect` label (or "value") for the actual value, so a
 * check keeps one name whatever the values were ("expected response status to equal 200"), as
 * k6chaijs' default `aggregateChecks` does. Built on the chai npm package.
 */
import * as chai from 'chai';
import { check, group } from '../../vu/api.js';

type AssertFn = (this: Chai.AssertionStatic, expr: unknown, msg: unknown, negateMsg: unknown, expected?: unknown, actual?: unknown, showDiff?: boolean) => void;

let installed = false;

/** Every assertion also records a check (once per process). */
function install(): void {
  if (installed) return;
  installed = true;
  chai.use((c, utils) => {
    const proto = c.Assertion.prototype as unknown as { assert: AssertFn };
    const original = proto.assert;
    proto.assert = function (this: Chai.AssertionStatic, expr, msg, negateMsg, expected, actual, showDiff) {
      const negate = utils.flag(this, 'negate') as boolean | undefined;
      let template = negate ? negateMsg : msg;
      if (typeof template === 'function') template = (template as () => unknown)();
      const label = (utils.flag(this, 'message') as string | undefined) || 'value';
      const name = String(template ?? 'assertion')
        .replace(/#\{this\}/g, label)
        .replace(/#\{act\}/g, label)
        .replace(/#\{exp\}/g, (): string => String(utils.objDisplay(expected as object)));
      let ok = false;
      try {
        original.call(this, expr, msg, negateMsg, expected, actual, showDiff);
        ok = true;
      } finally {
        check(null, { [name]: () => ok });
      }
    };
  });
}
install();

export const expect = chai.expect;
export { chai };

/**
 * A named block of assertions (a group). An error inside it (a failed `expect`, or anything else)
 * ends the block: it is printed and `describe` returns false; the iteration goes on.
 */
export async function describe(name: string, fn: () => unknown): Promise<boolean> {
  return group(name, async () => {
    try {
      await fn();
      return true;
    } catch (e) {
      console.error(`describe("${name}"): ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  });
}

export default { describe, expect, chai };
