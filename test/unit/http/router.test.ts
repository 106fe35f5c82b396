import { describe, expect, it } from 'vitest';
import { json } from '../../../lambdas/http/response.js';
import { read, routeFor, write } from '../../../lambdas/http/router.js';
import { apiEvent } from '../../helpers/events.js';

describe('routeFor', () => {
  const list = read(async () => json(200, []));
  const create = write(
    async () => json(201, {}),
    () => ({ message: 'Read the list', details: {} }),
  );
  const routes = { 'GET /v1/things': list, 'POST /v1/things': create };

  it('finds the route by API Gateway’s method and resource template', () => {
    expect(routeFor(routes, apiEvent({ method: 'POST', resource: '/v1/things', path: '/v1/things' }))).toBe(create);
    expect(routeFor(routes, apiEvent({ resource: '/v1/things' })).ifOutcomeUnknown).toBeUndefined();
  });

  it('refuses an unknown method or resource with 404 ROUTE_NOT_FOUND', () => {
    expect(() => routeFor(routes, apiEvent({ method: 'PUT', resource: '/v1/things' }))).toThrow(
      expect.objectContaining({ code: 'ROUTE_NOT_FOUND', kind: 'not-found' }),
    );
  });
});
