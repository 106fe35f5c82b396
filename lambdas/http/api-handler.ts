import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DependencyError, isCrestError, OutcomeUnknownError } from '../domain/errors.js';
import { type MetricsPublisher, withTelemetry } from '../shared/telemetry.js';
import { correlation } from './correlation.js';
import { corsOriginsFromEnv, withCors } from './cors.js';
import { httpErrors, isTransientDependencyFailure } from './errors.js';
import { type Route, type Routes, routeFor } from './router.js';

/** How long before the function's timeout the deadline answer is given (room to send it). */
export const DEADLINE_MARGIN_MS = 250;

class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
}

/**
 * A Lambda handler serving `routes` under the shared HTTP policy: errors mapped to statuses by
 * `httpErrors`, and a deadline shortly before the function's timeout at which the request's
 * AbortSignal fires (aborting its SDK calls) and the client is answered truthfully: a read says
 * 503 DEPENDENCY_UNAVAILABLE, a write says 503 OUTCOME_UNKNOWN with its route's advice.
 *
 * The deadline is per request rather than middy's `timeoutEarlyInMillis`: @middy/core 6 shares one
 * AbortController between every invocation of a module, which is right for Lambda (one request
 * per container) but would let one request's deadline abort its neighbours' writes in the local
 * runtime, which hosts concurrent invocations in one process.
 *
 * Every log line carries the Lambda context (request id, cold start) and the request's correlation
 * id, which every answer echoes in `x-correlation-id` (lambdas/http/correlation.ts); the
 * function's metrics are published when due (lambdas/shared/telemetry.ts). With allowed origins
 * (env CORS_ALLOWED_ORIGINS, see ./cors.ts), every answer carries the CORS headers for the
 * request's Origin.
 */
export function apiHandler(
  routes: Routes,
  logger: Logger,
  metrics?: MetricsPublisher,
  corsOrigins: readonly string[] = corsOriginsFromEnv(),
) {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>({ timeoutEarlyInMillis: 0 })
    .use(withTelemetry({ logger, metrics }))
    // Before httpErrors: middy runs onError middlewares last-registered first, so the error is a
    // response by the time the correlation header is added to it.
    .use(correlation(logger))
    .use(httpErrors({ logger }))
    .handler((event, context) => serve(routeFor(routes, event), event, context));
  if (corsOrigins.length === 0) return handler;
  // Every answer, success or error (httpErrors has made errors answers by now), carries CORS headers.
  return async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>
    withCors(corsOrigins, event, await handler(event, context));
}

async function serve(route: Route, event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const controller = new AbortController();
  const remaining = context?.getRemainingTimeInMillis?.();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (remaining === undefined) return;
    timer = setTimeout(
      () => {
        controller.abort();
        reject(new DeadlineReached());
      },
      Math.max(0, remaining - DEADLINE_MARGIN_MS),
    );
  });
  try {
    return await Promise.race([route.handle(event, controller.signal), deadline]);
  } catch (error) {
    throw truthful(route, event, error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the client may be told about a failed request. A write interrupted by the deadline or by an
 * untyped dependency failure may have been applied: its outcome is unknown, and the route says
 * how to learn it. A read interrupted by the deadline changed nothing.
 */
function truthful(route: Route, event: APIGatewayProxyEvent, error: unknown): unknown {
  const advice = route.ifOutcomeUnknown?.(event);
  if (error instanceof DeadlineReached) {
    return advice
      ? new OutcomeUnknownError(advice.message, advice.details)
      : new DependencyError('The request did not complete in time; nothing was changed', 'DEPENDENCY_UNAVAILABLE');
  }
  if (!advice) return error;
  if (isCrestError(error))
    return error.kind === 'outcome-unknown' ? new OutcomeUnknownError(error.message, error.details ?? advice.details) : error;
  if (isTransientDependencyFailure(error)) return new OutcomeUnknownError(advice.message, advice.details);
  return error;
}
