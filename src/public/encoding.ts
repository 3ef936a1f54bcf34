/** `volley/encoding`: k6/encoding (`b64encode`, `b64decode`). */
export { b64encode, b64decode, type Base64Encoding } from '../modules/encoding.js';
export { default } from '../modules/encoding.js';
