export * from './module.js';
export { default } from './module.js';
