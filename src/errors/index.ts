export { ExitCode } from './exit-codes.js';
export { VolleyError, isVolleyError, configError, type SerializedVolleyError } from './volley-error.js';
export { suggest } from './suggest.js';
export { errorCodeName, VOLLEY_ERROR_CODES } from './error-code-names.js';
