/**
 * `volley/http`: k6/http with promises.
 *
 *   import http from 'volley/http';
 *   const res = await http.get('https://example.com/', { tags: { name: 'home' } });
 *
 * See docs/http.md.
 */
export { default } from '../protocols/http/module.js';
export * from '../protocols/http/module.js';
