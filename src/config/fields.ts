/**
 * zod field types for option objects, with the messages Volley prints. Each is a `z.unknown()`
 * transformed by one of the parsers in values.ts, so that a bad value yields exactly one issue
 * with our wording ("must be a positive integer (got 0)") rather than zod's generic one.
 */
import * as z from 'zod';
import { parseBoolean, parseDuration, parseInteger, parseString, parseStringMap, type BareNumberMode, type Parsed } from './values.js';

function fromParsed<T>(parse: (v: unknown) => Parsed<T>, requiredMessage?: string) {
  return z.unknown().transform((v, ctx): T => {
    if (v === undefined && requiredMessage !== undefined) {
      ctx.addIssue({ code: 'custom', message: requiredMessage });
      return z.NEVER;
    }
    const r = parse(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.value;
  });
}

/** A duration in script options (numbers and unit-less strings are milliseconds, as in k6); output ms. */
export const durationField = (required?: string, bare: BareNumberMode = 'ms') => fromParsed((v) => parseDuration(v, bare), required);

/** An integer ≥ min. */
export const intField = (min: number, required?: string) => fromParsed((v) => parseInteger(v, min), required);

export const boolField = () => fromParsed((v) => parseBoolean(v));

export const stringField = (required?: string) => fromParsed(parseString, required);

/** A non-empty string (function names). */
export const nonEmptyStringField = () =>
  fromParsed((v) => {
    const r = parseString(v);
    if (r.ok && r.value.trim() === '') return { ok: false, message: 'must not be empty' };
    return r;
  });

/** A string → string map (`env`, `tags`), with problems reported per key. */
export const stringMapField = () =>
  z.unknown().transform((v, ctx): Record<string, string> => {
    const r = parseStringMap(v);
    for (const p of r.problems) ctx.addIssue({ code: 'custom', message: p.message, path: p.key === undefined ? [] : [p.key] });
    return r.value ?? {};
  });

/** Any value; kept as is (for options accepted but not implemented). */
export const anyField = () => z.unknown();

/** One of a fixed set of strings. */
export const oneOfField = <T extends string>(values: readonly T[]) =>
  fromParsed((v): { ok: true; value: T } | { ok: false; message: string } =>
    typeof v === 'string' && (values as readonly string[]).includes(v)
      ? { ok: true, value: v as T }
      : { ok: false, message: `must be one of ${values.map((x) => `"${x}"`).join(', ')} (got ${JSON.stringify(v)})` },
  );
