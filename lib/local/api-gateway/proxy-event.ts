import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT } from '../template.js';

type Pairs = ReadonlyArray<readonly [string, string]>;

/** One HTTP request as API Gateway hands it to a Lambda proxy integration. */
export interface ProxyRequest {
  method: string;
  /** The matched resource, e.g. /v1/products/{sku}. */
  resource: string;
  /** The request path, e.g. /v1/products/DEMO-0001. */
  path: string;
  pathParameters?: Readonly<Record<string, string>> | null;
  /** Headers as received: pairs in arrival order (a repeated name is multi-valued), or a record. */
  headers?: Readonly<Record<string, string>> | Pairs;
  /** Query string parameters: pairs in order (a repeated name is multi-valued), or a record. */
  query?: Readonly<Record<string, string>> | Pairs;
  body?: string | null;
  stage?: string;
  requestId?: string;
  sourceIp?: string;
  /** e.g. HTTP/1.1 */
  protocol?: string;
  requestTimeEpoch?: number;
  /** What the method's Cognito authorizer verified, as API Gateway passes it (see gatewayClaims). */
  authorizerClaims?: Readonly<Record<string, string>>;
}

/**
 * The REST (v1) proxy event for `request`: single- and multi-value headers and query parameters
 * (null when there are none, as API Gateway sends them), path parameters, and the request context
 * (request id, stage, source identity, and the authorizer's claims when a Cognito authorizer let
 * the request through). The one builder of these events: the local
 * gateway, the tests' `apiEvent` and the benchmarks all use it.
 */
export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const headers = singleAndMulti(request.headers);
  const query = singleAndMulti(request.query);
  const stage = request.stage ?? 'local';
  const header = (name: string) => Object.entries(headers.single).find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.count ? query.single : null,
    multiValueQueryStringParameters: query.count ? query.multi : null,
    pathParameters: request.pathParameters && Object.keys(request.pathParameters).length ? { ...request.pathParameters } : null,
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      authorizer: request.authorizerClaims ? { claims: { ...request.authorizerClaims } } : undefined,
      protocol: request.protocol ?? 'HTTP/1.1',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp ?? '127.0.0.1',
        user: null,
        userAgent: header('user-agent'),
        userArn: null,
      },
      path: `/${stage}${request.path}`,
      stage,
      requestId: request.requestId ?? randomUUID(),
      requestTimeEpoch: request.requestTimeEpoch ?? Date.now(),
      resourceId: 'local',
      resourcePath: request.resource,
    },
  };
}

function singleAndMulti(input: Readonly<Record<string, string>> | Pairs | undefined) {
  const pairs: Pairs = Array.isArray(input) ? input : Object.entries(input ?? {});
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { single, multi, count: pairs.length };
}
