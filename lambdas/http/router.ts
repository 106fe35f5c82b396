import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { NotFoundError } from '../domain/errors.js';
import type { ApiRoute } from './api-handler.js';

/**
 * Dispatches on API Gateway's `METHOD resource` (e.g. `POST /v1/deductions/{id}/cancel`), for a
 * function that serves several routes of one capability.
 */
export function router(routes: Record<string, ApiRoute>): ApiRoute {
  return (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`No route for ${event.httpMethod} ${event.resource}`, 'ROUTE_NOT_FOUND');
    return route(event, context);
  };
}
