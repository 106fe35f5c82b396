import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isCorrelationId } from '../domain/correlation.js';
import { header } from './response.js';

/** The request and response header that carries a request's correlation id. */
export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * The request's correlation id: the client's `x-correlation-id` when it is well formed
 * (lambdas/domain/correlation.ts), otherwise API Gateway's request id. A malformed one (a
 * newline, a quote, 129+ characters) is replaced, never echoed, logged or stored.
 */
export function requestCorrelationId(event: APIGatewayProxyEvent): string {
  const given = header(event.headers, CORRELATION_HEADER);
  if (isCorrelationId(given)) return given;
  const requestId = event.requestContext?.requestId;
  return isCorrelationId(requestId) ? requestId : 'unknown';
}

/**
 * Ties every answer to its request, as a middy middleware: the correlation id is the `correlation_id`
 * key of every log line of the invocation (dropped after it with the other per-invocation keys)
 * and the `x-correlation-id` header of the answer, success or error. Registered before
 * `httpErrors`, so its `onError` runs after the error became a response.
 */
export function correlation(logger: Logger): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const echo = (request: { event: APIGatewayProxyEvent; response: APIGatewayProxyResult | null | undefined }) => {
    if (!request.response) return;
    request.response.headers = { ...request.response.headers, [CORRELATION_HEADER]: requestCorrelationId(request.event) };
  };
  return {
    before: (request) => {
      logger.setCorrelationId(requestCorrelationId(request.event));
    },
    after: (request) => {
      echo(request);
    },
    onError: (request) => {
      echo(request);
    },
  };
}
