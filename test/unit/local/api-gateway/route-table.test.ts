import { describe, expect, it } from 'vitest';
import { parseRequestTarget, RouteTable } from '../../../../lib/local/api-gateway/route-table.js';
import type { Route } from '../../../../lib/local/stack-description.js';

const route = (method: string, resourcePath: string): Route => ({
  method,
  resourcePath,
  segments: resourcePath.split('/').filter(Boolean),
  functionLogicalId: `${method}${resourcePath}`,
  requiredHeaders: [],
  requiredQuery: [],
});

describe('parseRequestTarget', () => {
  it('reads a path starting // as a path, not as a host, and merges repeated slashes', () => {
    expect(parseRequestTarget('//v1/products/DEMO-0001')).toEqual({ path: '/v1/products/DEMO-0001', query: [] });
    expect(parseRequestTarget('/v1//products///DEMO-0001/')).toEqual({ path: '/v1/products/DEMO-0001', query: [] });
  });

  it('keeps every query parameter in order, repeated ones included', () => {
    expect(parseRequestTarget('//v1/feeds/x?page=2&version=7&page=3')).toEqual({
      path: '/v1/feeds/x',
      query: [
        ['page', '2'],
        ['version', '7'],
        ['page', '3'],
      ],
    });
  });

  it('reads the path of an absolute-form target', () => {
    expect(parseRequestTarget('http://localhost:3000//v1/products/A?x=1')).toEqual({ path: '/v1/products/A', query: [['x', '1']] });
  });
});

describe('RouteTable', () => {
  const table = new RouteTable([
    route('GET', '/v1/products/{sku}'),
    route('GET', '/v1/products/featured'),
    route('PUT', '/v1/admin/products/{sku}/price'),
  ]);

  it('matches method and path, with URL-decoded path parameters', () => {
    expect(table.match('PUT', '/v1/admin/products/A%20B/price')).toEqual({
      route: expect.objectContaining({ resourcePath: '/v1/admin/products/{sku}/price' }),
      pathParameters: { sku: 'A B' },
    });
  });

  it('prefers a literal segment over a parameter, as API Gateway does', () => {
    expect(table.match('GET', '/v1/products/featured')?.route.resourcePath).toBe('/v1/products/featured');
    expect(table.match('GET', '/v1/products/other')?.route.resourcePath).toBe('/v1/products/{sku}');
  });

  it('matches nothing for another method, fewer or more segments', () => {
    expect(table.match('DELETE', '/v1/products/A')).toBeUndefined();
    expect(table.match('GET', '/v1/products')).toBeUndefined();
    expect(table.match('GET', '/v1/products/A/extra')).toBeUndefined();
  });

  it('keeps a malformed escape as sent instead of failing', () => {
    expect(table.match('GET', '/v1/products/%E0%A4%A')?.pathParameters).toEqual({ sku: '%E0%A4%A' });
  });
});
