import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GATEWAY_ERRORS, type GatewayError, gatewayResponseHeaders } from '../gateway-responses.js';
import type { LambdaHost } from './lambda-host.js';
import type { LocalTemplate } from './template.js';

/** One API Gateway method from the template. */
export interface Route {
  method: string;
  /** Resource path with parameters, e.g. /v1/products/{sku}. */
  resourcePath: string;
  segments: string[];
  functionLogicalId: string;
  apiKeyRequired: boolean;
  requiredHeaders: string[];
}

export interface StageSettings {
  stageName: string;
  rateLimit: number;
  burstLimit: number;
}

/** Reads every REST API method, its path and its Lambda integration from the template. */
export function routesFromTemplate(t: LocalTemplate): Route[] {
  const resources = new Map(t.ofType('AWS::ApiGateway::Resource'));
  const pathOf = (resourceRef: unknown): string => {
    const ref = (resourceRef as { Ref?: string }).Ref;
    if (!ref) return ''; // Fn::GetAtt [RestApi, RootResourceId]
    const r = resources.get(ref);
    if (!r) throw new Error(`Unknown API resource ${ref}`);
    return `${pathOf(r.Properties?.ParentId)}/${String(r.Properties?.PathPart)}`;
  };
  const routes: Route[] = [];
  for (const [, m] of t.ofType('AWS::ApiGateway::Method')) {
    const p = m.Properties ?? {};
    const integration = p.Integration as { Type?: string; Uri?: unknown } | undefined;
    if (integration?.Type !== 'AWS_PROXY') continue;
    const functionLogicalId = findFunctionRef(integration.Uri);
    if (!functionLogicalId) throw new Error('AWS_PROXY integration without a Lambda function reference');
    const resourcePath = pathOf(p.ResourceId) || '/';
    const requestParameters = (p.RequestParameters ?? {}) as Record<string, boolean>;
    routes.push({
      method: String(p.HttpMethod),
      resourcePath,
      segments: resourcePath.split('/').filter(Boolean),
      functionLogicalId,
      apiKeyRequired: p.ApiKeyRequired === true,
      requiredHeaders: Object.entries(requestParameters)
        .filter(([k, required]) => required && k.startsWith('method.request.header.'))
        .map(([k]) => k.slice('method.request.header.'.length)),
    });
  }
  return routes;
}

export function stageFromTemplate(t: LocalTemplate): StageSettings {
  const [[, stage] = []] = t.ofType('AWS::ApiGateway::Stage');
  const settings = ((stage?.Properties?.MethodSettings as Array<Record<string, unknown>> | undefined) ?? []).find(
    (s) => s.HttpMethod === '*' && s.ResourcePath === '/*',
  );
  return {
    stageName: String(stage?.Properties?.StageName ?? 'local'),
    rateLimit: Number(settings?.ThrottlingRateLimit ?? 10_000),
    burstLimit: Number(settings?.ThrottlingBurstLimit ?? 5_000),
  };
}

function findFunctionRef(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findFunctionRef(v);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return String(getAtt[0]);
    for (const v of Object.values(value)) {
      const found = findFunctionRef(v);
      if (found) return found;
    }
  }
  return undefined;
}

/** API Gateway's stage throttle: a token bucket of `burst` tokens refilled at `rate` per second. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface ApiGatewayOptions {
  port: number;
  host?: string;
  /** The value clients send as x-api-key on routes that require a key. */
  apiKey: string;
  /** Serves GET /_local/status (local only: queue depths, concurrency). */
  localStatus?: () => Promise<unknown>;
}

export interface RunningApi {
  url: string;
  port: number;
  routes: Route[];
  stage: StageSettings;
  close(): Promise<void>;
}

/**
 * Serves every API Gateway method of the template over HTTP by invoking the hosted function with
 * a REST (v1) proxy event: path/query parameters, headers, requestContext (requestId, stage),
 * API keys and stage throttling, with gateway errors in Crest's error shape.
 */
export async function startApiGateway(t: LocalTemplate, host: LambdaHost, options: ApiGatewayOptions): Promise<RunningApi> {
  const routes = routesFromTemplate(t);
  const stage = stageFromTemplate(t);
  const bucket = new TokenBucket(stage.rateLimit, stage.burstLimit);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, chunks.length ? Buffer.concat(chunks).toString('utf8') : null).then(
        (result) => send(res, result),
        () => send(res, gatewayError(GATEWAY_ERRORS.default5xx, 'Internal server error', randomUUID())),
      );
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, body: string | null): Promise<APIGatewayProxyResult> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (options.localStatus && method === 'GET' && url.pathname === '/_local/status') {
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(await options.localStatus()) };
    }
    if (!bucket.take()) return gatewayError(GATEWAY_ERRORS.throttled, 'Too Many Requests', requestId);
    const match = matchRoute(routes, method, url.pathname);
    if (!match) return gatewayError(GATEWAY_ERRORS.routeNotFound, `No route for ${method} ${url.pathname}`, requestId);
    const { route, pathParameters } = match;
    if (route.apiKeyRequired && req.headers['x-api-key'] !== options.apiKey) {
      return gatewayError(GATEWAY_ERRORS.invalidApiKey, 'Forbidden', requestId);
    }
    const missing = route.requiredHeaders.filter((h) => req.headers[h.toLowerCase()] === undefined);
    if (missing.length) {
      return gatewayError(GATEWAY_ERRORS.badRequestParameters, `Missing required request parameters: [${missing.join(', ')}]`, requestId);
    }
    const event = toEvent(req, url, body, route, pathParameters, stage.stageName, requestId);
    let result: unknown;
    try {
      result = await host.get(route.functionLogicalId).invoke(event);
    } catch (error) {
      console.error(`[local] ${route.method} ${route.resourcePath} function error:`, error);
      return gatewayError(GATEWAY_ERRORS.default5xx, 'Internal server error', requestId);
    }
    if (!isProxyResult(result)) return gatewayError(GATEWAY_ERRORS.default5xx, 'Malformed Lambda proxy response', requestId);
    return { ...result, headers: { ...result.headers, 'x-amzn-requestid': requestId } };
  }

  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routes,
    stage,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; pathParameters: Record<string, string> } | undefined {
  const parts = pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    if (route.segments.length !== parts.length) continue;
    const pathParameters: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const seg = route.segments[i] as string;
      const part = parts[i] as string;
      if (seg.startsWith('{') && seg.endsWith('}')) pathParameters[seg.slice(1, -1)] = safeDecode(part);
      else if (seg !== part) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, pathParameters };
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function toEvent(
  req: http.IncomingMessage,
  url: URL,
  body: string | null,
  route: Route,
  pathParameters: Record<string, string>,
  stageName: string,
  requestId: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const hasQuery = url.search.length > 1;
  const now = Date.now();
  return {
    resource: route.resourcePath,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: route.method,
      identity: {
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? null,
        apiKey: (req.headers['x-api-key'] as string | undefined) ?? null,
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/${stageName}${url.pathname}`,
      stage: stageName,
      requestId,
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: route.resourcePath,
    },
  };
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  return typeof value === 'object' && value !== null && typeof (value as APIGatewayProxyResult).statusCode === 'number';
}

function gatewayError(error: GatewayError, message: string, requestId: string): APIGatewayProxyResult {
  return {
    statusCode: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.type,
      ...gatewayResponseHeaders(error),
    },
    body: JSON.stringify({ error: { code: error.code, message: error.message ?? message }, requestId }),
  };
}

function send(res: http.ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode, headers);
  res.end(result.statusCode === 304 ? undefined : body);
}
