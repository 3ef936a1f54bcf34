/**
 * `volley/crypto`: k6/crypto's hash and HMAC helpers, on node:crypto.
 *
 * Output encodings (k6): 'hex' (default for the helpers), 'base64', 'base64url' (padded),
 * 'base64rawurl' (unpadded), 'binary' (an ArrayBuffer).
 *
 * Algorithms: md5, sha1, sha256, sha384, sha512, sha512_224, sha512_256, ripemd160, and md4 when
 * the Node build still has it (OpenSSL 3 moved MD4 to its legacy provider, so usually not).
 */
import * as nodeCrypto from 'node:crypto';
import { VolleyError, ExitCode } from '../errors/index.js';

/** k6 algorithm names. */
export type HashAlgorithm = 'md4' | 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sha512_224' | 'sha512_256' | 'ripemd160';
export type OutputEncoding = 'hex' | 'base64' | 'base64url' | 'base64rawurl' | 'binary';
type Input = string | ArrayBuffer | ArrayBufferView;

const NODE_NAMES: Record<HashAlgorithm, string> = {
  md4: 'md4',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  ripemd160: 'ripemd160',
};

let available: Set<string> | undefined;

function nodeAlgorithm(algo: unknown, fn: string): string {
  const name = typeof algo === 'string' ? NODE_NAMES[algo.toLowerCase().replace('-', '_') as HashAlgorithm] : undefined;
  if (name === undefined) {
    throw new VolleyError('E_CRYPTO_ALGORITHM', `${fn}: unknown hash algorithm ${JSON.stringify(algo)}`, {
      hint: `use one of ${Object.keys(NODE_NAMES).join(', ')}`,
      exitCode: ExitCode.ScriptException,
    });
  }
  available ??= new Set(nodeCrypto.getHashes());
  if (!available.has(name)) {
    throw new VolleyError('E_CRYPTO_UNAVAILABLE', `${fn}: ${String(algo)} is not available in this Node.js build (OpenSSL ${process.versions.openssl})`, {
      hint: 'OpenSSL 3 only offers MD4 through its legacy provider; pick another algorithm',
      exitCode: ExitCode.ScriptException,
    });
  }
  return name;
}

function data(input: Input, fn: string): string | Uint8Array {
  if (typeof input === 'string') return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new VolleyError('E_CRYPTO_INPUT', `${fn}: input must be a string, an ArrayBuffer or a typed array`, { exitCode: ExitCode.ScriptException });
}

function encode(b: Buffer, enc: OutputEncoding | undefined, fn: string): string | ArrayBuffer {
  switch (enc ?? 'hex') {
    case 'hex':
      return b.toString('hex');
    case 'base64':
      return b.toString('base64');
    case 'base64url': {
      const s = b.toString('base64url');
      return s + '='.repeat((4 - (s.length % 4)) % 4);
    }
    case 'base64rawurl':
      return b.toString('base64url');
    case 'binary':
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    default:
      throw new VolleyError('E_CRYPTO_ENCODING', `${fn}: unknown output encoding ${JSON.stringify(enc)}`, {
        hint: "use 'hex', 'base64', 'base64url', 'base64rawurl' or 'binary'",
        exitCode: ExitCode.ScriptException,
      });
  }
}

type Out<E> = E extends 'binary' ? ArrayBuffer : string;

function hashFn(algo: HashAlgorithm) {
  return <E extends OutputEncoding = 'hex'>(input: Input, outputEncoding?: E): Out<E> => {
    const h = nodeCrypto.createHash(nodeAlgorithm(algo, algo));
    h.update(data(input, algo));
    return encode(h.digest(), outputEncoding, algo) as Out<E>;
  };
}

/** md4(input, encoding?) — only where Node still has MD4 (see module doc). */
export const md4 = hashFn('md4');
export const md5 = hashFn('md5');
export const sha1 = hashFn('sha1');
export const sha256 = hashFn('sha256');
export const sha384 = hashFn('sha384');
export const sha512 = hashFn('sha512');
export const sha512_224 = hashFn('sha512_224');
export const sha512_256 = hashFn('sha512_256');
export const ripemd160 = hashFn('ripemd160');

/** HMAC of `data` with `secret` (k6 `hmac(algorithm, secret, data, outputEncoding)`). */
export function hmac<E extends OutputEncoding>(algorithm: HashAlgorithm, secret: Input, input: Input, outputEncoding: E): Out<E> {
  const h = nodeCrypto.createHmac(nodeAlgorithm(algorithm, 'hmac'), data(secret, 'hmac'));
  h.update(data(input, 'hmac'));
  return encode(h.digest(), outputEncoding, 'hmac') as Out<E>;
}

/** An incremental hash or HMAC (k6 `Hasher`). */
export class Hasher {
  /** @internal */
  constructor(private readonly h: nodeCrypto.Hash | nodeCrypto.Hmac) {}
  /** Adds data; chainable. */
  update(input: Input): this {
    this.h.update(data(input, 'update'));
    return this;
  }
  /** The digest; a Hasher can be digested once. */
  digest<E extends OutputEncoding = 'hex'>(outputEncoding?: E): Out<E> {
    return encode(this.h.digest(), outputEncoding, 'digest') as Out<E>;
  }
}

/** k6 `createHash(algorithm)`. */
export function createHash(algorithm: HashAlgorithm): Hasher {
  return new Hasher(nodeCrypto.createHash(nodeAlgorithm(algorithm, 'createHash')));
}

/** k6 `createHMAC(algorithm, secret)`. */
export function createHMAC(algorithm: HashAlgorithm, secret: Input): Hasher {
  return new Hasher(nodeCrypto.createHmac(nodeAlgorithm(algorithm, 'createHMAC'), data(secret, 'createHMAC')));
}

/** `size` cryptographically random bytes, as an ArrayBuffer (k6 `randomBytes`). */
export function randomBytes(size: number): ArrayBuffer {
  if (!Number.isInteger(size) || size < 0) {
    throw new VolleyError('E_CRYPTO_INPUT', `randomBytes: size must be a non-negative integer, not ${String(size)}`, { exitCode: ExitCode.ScriptException });
  }
  const b = nodeCrypto.randomBytes(size);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export default { md4, md5, sha1, sha256, sha384, sha512, sha512_224, sha512_256, ripemd160, hmac, createHash, createHMAC, randomBytes };
