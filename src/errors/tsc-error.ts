import { ERROR_CODES, type ErrorCode } from './codes.js';

/** Where in a compose source an error points. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface TscErrorOptions {
  /** What to do about it, in one sentence. */
  hint?: string;
  /** The compose path, e.g. `services.web.ports[0]`. */
  path?: string;
  location?: SourceLocation;
  cause?: unknown;
}

/**
 * The one error type of tscompose. `message` names its subject (``start `web`: mount overlay: EPERM``);
 * each layer that rethrows adds one piece of context with {@link TscError.wrap} and keeps the cause.
 */
export class TscError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly path: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: TscErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TscError';
    this.code = code;
    this.hint = options.hint;
    this.path = options.path;
    this.location = options.location;
  }

  get exitStatus(): number {
    return ERROR_CODES[this.code];
  }

  /** A copy with more context in front of the message and extra fields filled where missing. */
  wrap(context: string, extra: Omit<TscErrorOptions, 'cause'> = {}): TscError {
    return new TscError(this.code, `${context}: ${this.message}`, {
      hint: this.hint ?? extra.hint,
      path: this.path ?? extra.path,
      location: this.location ?? extra.location,
      cause: this,
    });
  }

  /** A copy that points at a source location (kept if one is already set). */
  at(location: SourceLocation | undefined, path?: string): TscError {
    if (this.location !== undefined || location === undefined) {
      if (path === undefined || this.path !== undefined) return this;
    }
    return new TscError(this.code, this.message, {
      hint: this.hint,
      path: this.path ?? path,
      location: this.location ?? location,
      cause: this.cause,
    });
  }

  /** One paragraph for a person: location, message, hint. */
  format(): string {
    const where = formatLocation(this.location);
    // The compose path helps where there is no file:line to point at.
    const path = this.path !== undefined && this.location?.line === undefined && !this.message.includes(this.path) ? ` (${this.path})` : '';
    const head = `${where}${this.message}${path}`;
    return this.hint === undefined ? `${head} [${this.code}]` : `${head} [${this.code}]\n  hint: ${this.hint}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      path: this.path,
      location: this.location,
    };
  }
}

export function formatLocation(location: SourceLocation | undefined): string {
  if (location === undefined) return '';
  if (location.line === undefined) return `${location.file}: `;
  return `${location.file}:${location.line}:${location.column ?? 1}: `;
}

export function isTscError(value: unknown): value is TscError {
  return value instanceof TscError;
}

/** Anything that is not a TscError becomes INTERNAL: a bug, reported with its stack. */
export function toTscError(value: unknown): TscError {
  if (value instanceof TscError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TscError('INTERNAL', `internal error: ${message}`, {
    hint: 'this is a bug in tscompose; please report it with the command that caused it',
    cause: value,
  });
}
