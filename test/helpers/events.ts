import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { proxyEvent } from '../../lib/local/api-gateway/proxy-event.js';

let seq = 0;

/** A REST (v1) proxy event, as API Gateway sends it (built by the local gateway's builder). */
export function apiEvent(input: {
  method?: string;
  path?: string;
  resource?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** What the method's Cognito authorizer verified (test/helpers/identity.ts); absent on public routes. */
  claims?: Record<string, string>;
}): APIGatewayProxyEvent {
  seq += 1;
  return proxyEvent({
    method: input.method ?? 'GET',
    resource: input.resource ?? '/',
    path: input.path ?? '/',
    pathParameters: input.pathParameters,
    query: input.query,
    headers: input.headers,
    body: input.body === undefined ? null : typeof input.body === 'string' ? input.body : JSON.stringify(input.body),
    stage: 'test',
    requestId: `req-${seq}`,
    authorizerClaims: input.claims,
  });
}

export function lambdaContext(): Context {
  return {
    awsRequestId: `ctx-${seq}`,
    functionName: 'test',
    getRemainingTimeInMillis: () => 10_000,
  } as Context;
}
