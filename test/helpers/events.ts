import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

let seq = 0;

/** A REST (v1) proxy event, as API Gateway sends it. */
export function apiEvent(input: {
  method?: string;
  path?: string;
  resource?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}): APIGatewayProxyEvent {
  seq += 1;
  const body = input.body === undefined ? null : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  return {
    resource: input.resource ?? '/',
    path: input.path ?? '/',
    httpMethod: input.method ?? 'GET',
    headers: input.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: `req-${seq}`,
      stage: 'test',
      httpMethod: input.method ?? 'GET',
      path: input.path ?? '/',
      resourcePath: input.resource ?? '/',
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export function lambdaContext(): Context {
  return {
    awsRequestId: `ctx-${seq}`,
    functionName: 'test',
    getRemainingTimeInMillis: () => 10_000,
  } as Context;
}
