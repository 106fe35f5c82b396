import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ErrorKind, isCrestError } from '../domain/errors.js';
import { errorResponse } from './response.js';

/** The one mapping from an error's kind to its HTTP status (the API description reads it too). */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  precondition: 412,
  unavailable: 503,
  'outcome-unknown': 503,
};

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_SECONDS = '1';

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'AbortError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * An AWS SDK or network failure that says "try again later" (timeout, abort, throttling, 5xx
 * from the service, connection errors) rather than "this code is wrong".
 */
export function isTransientDependencyFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: string; $fault?: string; $retryable?: unknown };
  return TRANSIENT_NAMES.has(e.name) || TRANSIENT_CODES.has(e.code ?? '') || e.$fault === 'server' || e.$retryable !== undefined;
}

export interface HttpErrorsOptions {
  logger: Logger;
}

/**
 * The HTTP error policy, as a middy middleware: a Crest error becomes the status of its kind and
 * `{ error: { code, message, details? }, requestId }` (503s with Retry-After); a transient
 * dependency failure that reached here untyped becomes 503 DEPENDENCY_UNAVAILABLE; anything else is
 * logged with its stack and answered as a bare 500 (no stack trace ever leaves the function).
 */
export function httpErrors({ logger }: HttpErrorsOptions): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const requestId = request.event?.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';
      const error = request.error;
      if (isCrestError(error)) {
        const status = STATUS_BY_KIND[error.kind];
        if (status >= 500) logger.warn('Dependency failure', { code: error.code, kind: error.kind, requestId });
        request.response = errorResponse(status, error, requestId, status === 503 ? { 'retry-after': RETRY_AFTER_SECONDS } : {});
        return;
      }
      if (isTransientDependencyFailure(error)) {
        logger.warn('Dependency unavailable', { error: error as Error, requestId });
        request.response = errorResponse(
          503,
          { code: 'DEPENDENCY_UNAVAILABLE', message: 'A backing service is unavailable; retry shortly' },
          requestId,
          { 'retry-after': RETRY_AFTER_SECONDS },
        );
        return;
      }
      logger.error('Unhandled error', { error: error as Error, requestId });
      request.response = errorResponse(500, { code: 'INTERNAL', message: 'Internal error' }, requestId);
    },
  };
}
