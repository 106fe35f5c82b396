import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CORS_ENV, corsHeaders, corsOriginsFromEnv, withCors } from '../../../lambdas/http/cors.js';

const SHOP = 'https://shop.example';

describe('corsHeaders', () => {
  it('adds nothing when CORS is off', () => {
    expect(corsHeaders([], SHOP)).toEqual({});
  });

  it('allows a listed origin by name, exposing the headers a client reads, and varies on Origin', () => {
    expect(corsHeaders([SHOP, 'https://admin.example'], SHOP)).toEqual({
      'access-control-allow-origin': SHOP,
      'access-control-expose-headers': 'ETag,Location,Retry-After,x-amzn-RequestId,x-correlation-id',
      vary: 'Origin',
    });
  });

  it('allows no other origin, and no request without one, yet still varies on Origin for shared caches', () => {
    expect(corsHeaders([SHOP], 'https://evil.example')).toEqual({ vary: 'Origin' });
    expect(corsHeaders([SHOP], undefined)).toEqual({ vary: 'Origin' });
  });

  it('answers * for every origin when * is configured', () => {
    expect(corsHeaders(['*'], 'https://any.example')).toMatchObject({ 'access-control-allow-origin': '*' });
  });
});

describe('withCors', () => {
  it('adds the headers for the request’s Origin (any casing) to a function’s answer', () => {
    const event = { headers: { origin: SHOP } } as unknown as APIGatewayProxyEvent;

    const result = withCors([SHOP], event, { statusCode: 404, headers: { 'cache-control': 'no-store' }, body: '{}' });

    expect(result.headers).toMatchObject({ 'cache-control': 'no-store', 'access-control-allow-origin': SHOP });
  });
});

describe('corsOriginsFromEnv', () => {
  it('reads a comma-separated list, and nothing from an absent or empty variable', () => {
    expect(corsOriginsFromEnv({ [CORS_ENV]: `${SHOP}, https://admin.example` })).toEqual([SHOP, 'https://admin.example']);
    expect(corsOriginsFromEnv({})).toEqual([]);
    expect(corsOriginsFromEnv({ [CORS_ENV]: '' })).toEqual([]);
  });
});
