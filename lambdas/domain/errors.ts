/**
 * Typed errors with stable codes and a kind. The domain (and the adapters behind its ports) throw
 * these; `lambdas/http/errors.ts` maps each kind to an HTTP status in one place. Callers narrow
 * with `isCrestError` or `instanceof`, never by matching message strings.
 */
export type ErrorDetails = Record<string, unknown> | readonly unknown[];

/**
 * What went wrong, as a client must understand it:
 * - `validation`: the request is malformed; nothing happened.
 * - `unauthenticated`: the caller is not identified (no verified identity reached us).
 * - `forbidden`: the caller is identified but may not do this (e.g. a buyer on an admin route).
 * - `not-found`, `conflict`, `gone`, `precondition`: the request is well formed but the state of
 *   the resource refuses it; nothing happened.
 * - `unavailable`: a dependency failed before anything changed; retrying later is safe.
 * - `outcome-unknown`: a change may or may not have been applied; the details say how to find out.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'precondition'
  | 'unavailable'
  | 'outcome-unknown';

export abstract class CrestError extends Error {
  abstract readonly kind: ErrorKind;
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
  readonly kind = 'validation';
  constructor(message: string, details?: ErrorDetails, code = 'VALIDATION_FAILED') {
    super(code, message, details);
  }
}

export class UnauthorizedError extends CrestError {
  override readonly name = 'UnauthorizedError';
  readonly kind = 'unauthenticated';
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends CrestError {
  override readonly name = 'ForbiddenError';
  readonly kind = 'forbidden';
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends CrestError {
  override readonly name = 'NotFoundError';
  readonly kind = 'not-found';
  constructor(message: string, code = 'NOT_FOUND', details?: ErrorDetails) {
    super(code, message, details);
  }
}

export class ConflictError extends CrestError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict';
}

export class GoneError extends CrestError {
  override readonly name = 'GoneError';
  readonly kind = 'gone';
}

export class PreconditionFailedError extends CrestError {
  override readonly name = 'PreconditionFailedError';
  readonly kind = 'precondition';
  constructor(message: string, details?: ErrorDetails) {
    super('PRECONDITION_FAILED', message, details);
  }
}

/** A dependency (table, queue, cache) failed or timed out before anything changed; retry later. */
export class DependencyError extends CrestError {
  override readonly name = 'DependencyError';
  readonly kind = 'unavailable';
  constructor(message: string, code = 'DEPENDENCY_UNAVAILABLE', details?: ErrorDetails) {
    super(code, message, details);
  }
}

/**
 * A change may have been applied, or not: a write was in flight when its dependency failed or the
 * deadline passed. `details` tell the client how to learn the outcome (read the resource, or
 * retry an idempotent request).
 */
export class OutcomeUnknownError extends CrestError {
  override readonly name = 'OutcomeUnknownError';
  readonly kind = 'outcome-unknown';
  constructor(message: string, details?: ErrorDetails) {
    super('OUTCOME_UNKNOWN', message, details);
  }
}

export function isCrestError(error: unknown): error is CrestError {
  return error instanceof CrestError;
}
