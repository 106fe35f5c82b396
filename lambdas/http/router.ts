import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { NotFoundError } from '../domain/errors.js';

/**
 * Serves one route. `signal` aborts when the function's deadline is near: pass it to every call
 * the request makes so nothing is still being written after the client got its answer.
 */
export type RouteHandler = (event: APIGatewayProxyEvent, signal: AbortSignal) => Promise<APIGatewayProxyResult>;

/** What a client is told when a write's outcome is unknown: how to learn it. */
export interface OutcomeAdvice {
  message: string;
  details: Record<string, unknown>;
}

export interface Route {
  handle: RouteHandler;
  /**
   * Routes that change state say what a client should do when the outcome is unknown (the
   * deadline passed, or a dependency failed, while a write may have been in flight). Absent on
   * reads, which answer 503 DEPENDENCY_UNAVAILABLE instead: nothing changed.
   */
  ifOutcomeUnknown?: (event: APIGatewayProxyEvent) => OutcomeAdvice;
}

/** Routes keyed by API Gateway's `METHOD resource`, e.g. `POST /v1/deductions/{id}/cancel`. */
export type Routes = Record<string, Route>;

/** A route that changes nothing. */
export const read = (handle: RouteHandler): Route => ({ handle });

/** A route that changes state, with the advice given when its outcome is unknown. */
export const write = (handle: RouteHandler, ifOutcomeUnknown: (event: APIGatewayProxyEvent) => OutcomeAdvice): Route => ({
  handle,
  ifOutcomeUnknown,
});

/** The route for `event` (API Gateway's `httpMethod` and `resource`), or 404 ROUTE_NOT_FOUND. */
export function routeFor(routes: Routes, event: APIGatewayProxyEvent): Route {
  const route = routes[`${event.httpMethod} ${event.resource}`];
  if (!route) throw new NotFoundError(`No route for ${event.httpMethod} ${event.resource}`, 'ROUTE_NOT_FOUND');
  return route;
}
