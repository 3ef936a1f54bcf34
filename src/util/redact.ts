/**
 * What the artefacts of a run (summary export, HTML report, JUnit, Markdown, dashboard) may show
 * of its options: scenario `env` values never (they are how secrets reach a script:
 * `env: { TOKEN: __ENV.API_TOKEN }`), nor any value whose key looks like a credential, nor the
 * user:password of a URL. Keys stay, so the reader sees what was set.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are credentials: authorization, token, password, secret, api key, cookie... */
const SECRET_KEY = /auth|token|passw|secret|api[-_]?key|access[-_]?key|private[-_]?key|credential|cookie|session/i;
/** user:password@ in a URL. */
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi;

/** A deep copy of `v` with env values, credential-looking values and URL passwords redacted. */
export function redactSecrets(v: unknown, key = ''): unknown {
  if (key === 'env' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
  }
  if (typeof v === 'string') return SECRET_KEY.test(key) ? REDACTED : v.replace(USERINFO, '$1****:****@');
  if (Array.isArray(v)) return v.map((x) => redactSecrets(x, key));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) && (typeof x === 'string' || typeof x === 'number') ? REDACTED : redactSecrets(x, k);
    return out;
  }
  return v;
}

/** Tags as outputs write them: credential-looking tag values and URL passwords redacted (same object when clean). */
export function redactTags(tags: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined;
  for (const k in tags) {
    const v = tags[k]!;
    const r = SECRET_KEY.test(k) ? REDACTED : v.includes('@') ? v.replace(USERINFO, '$1****:****@') : v;
    if (r !== v) (out ??= { ...tags })[k] = r;
  }
  return out ?? tags;
}
