import { createHash, randomBytes } from 'node:crypto';

/**
 * HTTP Digest authentication (RFC 7616 with MD5 / MD5-sess / SHA-256, qop=auth or none), for
 * `params.auth: 'digest'` with credentials in the URL, as k6 does: the first request goes without
 * credentials, the server's 401 challenge is answered once.
 */

/** Parses `Digest realm="x", nonce="y", qop="auth,auth-int"` into its parameters; undefined if not Digest. */
export function parseDigestChallenge(header: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+/i.exec(header);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  const rest = header.slice(m[0].length);
  let p: RegExpExecArray | null;
  while ((p = re.exec(rest)) !== null) out[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  return out;
}

function h(algo: string, s: string): string {
  return createHash(algo).update(s).digest('hex');
}

/** The Authorization header value answering `challenge` for one request. */
export function digestAuthorization(challenge: Record<string, string>, user: string, pass: string, method: string, uri: string, cnonce = randomBytes(8).toString('hex')): string {
  const algorithm = (challenge.algorithm ?? 'MD5').toUpperCase();
  const hashAlgo = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const realm = challenge.realm ?? '';
  const nonce = challenge.nonce ?? '';
  const qops = (challenge.qop ?? '').split(',').map((q) => q.trim());
  const qop = qops.includes('auth') ? 'auth' : undefined;
  const nc = '00000001';
  let ha1 = h(hashAlgo, `${user}:${realm}:${pass}`);
  if (algorithm.endsWith('-SESS')) ha1 = h(hashAlgo, `${ha1}:${nonce}:${cnonce}`);
  const ha2 = h(hashAlgo, `${method}:${uri}`);
  const response = qop ? h(hashAlgo, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(hashAlgo, `${ha1}:${nonce}:${ha2}`);
  let out = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=${challenge.algorithm ?? 'MD5'}, response="${response}"`;
  if (qop) out += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  if (challenge.opaque !== undefined) out += `, opaque="${challenge.opaque}"`;
  return out;
}
