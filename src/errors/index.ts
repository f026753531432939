export { TscError, toTscError, isTscError, formatLocation } from './tsc-error.js';
export type { SourceLocation, TscErrorOptions } from './tsc-error.js';
export { ERROR_CODES, exitStatusFor } from './codes.js';
export type { ErrorCode } from './codes.js';
