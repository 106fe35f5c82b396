/**
 * Typed errors with stable codes. The domain throws these; lambdas/http/errors.ts maps them to
 * HTTP once. Callers narrow with `isCrestError`, never by matching message strings.
 */
export type ErrorDetails = Record<string, unknown> | readonly unknown[];

export abstract class CrestError extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly details?: ErrorDetails;

  constructor(code: string, message: string, details?: ErrorDetails) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export class ValidationError extends CrestError {
  override readonly name = 'ValidationError';
  readonly status = 400;
  constructor(message: string, details?: ErrorDetails, code = 'VALIDATION_FAILED') {
    super(code, message, details);
  }
}

export class NotFoundError extends CrestError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  constructor(message: string, code = 'NOT_FOUND', details?: ErrorDetails) {
    super(code, message, details);
  }
}

export class ConflictError extends CrestError {
  override readonly name = 'ConflictError';
  readonly status = 409;
}

export class GoneError extends CrestError {
  override readonly name = 'GoneError';
  readonly status = 410;
}

export class PreconditionFailedError extends CrestError {
  override readonly name = 'PreconditionFailedError';
  readonly status = 412;
  constructor(message: string, details?: ErrorDetails) {
    super('PRECONDITION_FAILED', message, details);
  }
}

/** A dependency (table, queue, cache) failed or timed out; the caller may retry later. */
export class DependencyError extends CrestError {
  override readonly name = 'DependencyError';
  readonly status = 503;
  constructor(message: string, code = 'DEPENDENCY_UNAVAILABLE', details?: ErrorDetails) {
    super(code, message, details);
  }
}

export function isCrestError(error: unknown): error is CrestError {
  return error instanceof CrestError;
}
