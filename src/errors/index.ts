export { ExitCode } from './exit-codes.js';
export { VolleyError, isVolleyError, configError, type SerializedVolleyError } from './volley-error.js';
export { suggest } from './suggest.js';
