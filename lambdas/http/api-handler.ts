import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isCrestError } from '../domain/errors.js';
import { errorResponse } from './response.js';

export type ApiRoute = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps a route in the shared HTTP error policy: typed errors become their status and
 * `{ error: { code, message, details? }, requestId }`; anything else is logged with its stack
 * and answered as a bare 500 (no stack trace ever leaves the function).
 */
export function apiHandler(route: ApiRoute, logger: Logger) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .handler(route)
    .onError(async (request) => {
      const requestId = request.event?.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';
      const error = request.error;
      if (isCrestError(error)) {
        if (error.status >= 500) logger.warn('Dependency failure', { code: error.code, requestId });
        request.response = errorResponse(error, requestId);
        return;
      }
      logger.error('Unhandled error', { error: error as Error, requestId });
      request.response = errorResponse({ status: 500, code: 'INTERNAL', message: 'Internal error', details: undefined }, requestId);
    });
}
