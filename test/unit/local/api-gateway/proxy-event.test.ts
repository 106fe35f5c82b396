import { describe, expect, it } from 'vitest';
import { proxyEvent } from '../../../../lib/local/api-gateway/proxy-event.js';

describe('proxyEvent', () => {
  it('builds single- and multi-value headers and query parameters, last value winning in the single map', () => {
    const event = proxyEvent({
      method: 'GET',
      resource: '/v1/feeds/{feedId}',
      path: '/v1/feeds/picks',
      pathParameters: { feedId: 'picks' },
      headers: [
        ['Accept', 'a'],
        ['X-Api-Key', 'k'],
        ['Accept', 'b'],
      ],
      query: [
        ['page', '1'],
        ['page', '2'],
      ],
      stage: 'live',
      requestId: 'r-1',
    });

    expect(event).toMatchObject({
      resource: '/v1/feeds/{feedId}',
      path: '/v1/feeds/picks',
      httpMethod: 'GET',
      headers: { Accept: 'b', 'X-Api-Key': 'k' },
      multiValueHeaders: { Accept: ['a', 'b'], 'X-Api-Key': ['k'] },
      queryStringParameters: { page: '2' },
      multiValueQueryStringParameters: { page: ['1', '2'] },
      pathParameters: { feedId: 'picks' },
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        stage: 'live',
        path: '/live/v1/feeds/picks',
        requestId: 'r-1',
        resourcePath: '/v1/feeds/{feedId}',
        identity: { apiKey: null, sourceIp: '127.0.0.1' },
      },
    });
  });

  it('sends null, as API Gateway does, where there is no query, path parameter or body', () => {
    const event = proxyEvent({
      method: 'POST',
      resource: '/v1/products/{sku}/deductions',
      path: '/v1/products/SKU-1/deductions',
      headers: { 'content-type': 'text/plain' },
    });

    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.body).toBeNull();
    expect(event.requestContext.identity.apiKey).toBeNull();
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes an authorizer’s claims in requestContext.authorizer.claims, as API Gateway does', () => {
    const event = proxyEvent({
      method: 'GET',
      resource: '/v1/deductions/{id}',
      path: '/v1/deductions/d_1',
      authorizerClaims: { sub: 'sub-ann', 'cognito:groups': 'admins,buyers' },
    });

    expect(event.requestContext.authorizer).toEqual({ claims: { sub: 'sub-ann', 'cognito:groups': 'admins,buyers' } });
  });
});
