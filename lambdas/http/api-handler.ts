import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isCrestError } from '../domain/errors.js';
import { errorResponse } from './response.js';

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
 * An AWS SDK or network failure that says "try again later" (timeout, throttling, 5xx from the
 * service, connection errors) rather than "this code is wrong": answered 503, not 500.
 */
export function isTransientDependencyFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: string; $fault?: string; $retryable?: unknown };
  return TRANSIENT_NAMES.has(e.name) || TRANSIENT_CODES.has(e.code ?? '') || e.$fault === 'server' || e.$retryable !== undefined;
}

export type ApiRoute = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route in the shared HTTP error policy: typed errors become their status and
 * `{ error: { code, message, details? }, requestId }`; a transient dependency failure (timeout,
 * throttling, connection error) becomes 503 with Retry-After; anything else is logged with its
 * stack and answered as a bare 500 (no stack trace ever leaves the function).
 */
export function apiHandler(route: ApiRoute, logger: Logger) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .handler(route)
    .onError(async (request) => {
      const requestId = request.event?.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';
      const error = request.error;
      if (isCrestError(error)) {
        if (error.status >= 500) logger.warn('Dependency failure', { code: error.code, requestId });
        request.response = errorResponse(error, requestId, error.status === 503 ? { 'retry-after': '1' } : {});
        return;
      }
      if (isTransientDependencyFailure(error)) {
        logger.warn('Dependency unavailable', { error: error as Error, requestId });
        request.response = errorResponse(
          { status: 503, code: 'DEPENDENCY_UNAVAILABLE', message: 'A backing service is unavailable; retry shortly', details: undefined },
          requestId,
          { 'retry-after': '1' },
        );
        return;
      }
      logger.error('Unhandled error', { error: error as Error, requestId });
      request.response = errorResponse({ status: 500, code: 'INTERNAL', message: 'Internal error', details: undefined }, requestId);
    });
}
