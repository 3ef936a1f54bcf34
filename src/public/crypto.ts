/** `volley/crypto`: k6/crypto's hashes, HMAC and random bytes. */
export * from '../modules/crypto.js';
export { default } from '../modules/crypto.js';
