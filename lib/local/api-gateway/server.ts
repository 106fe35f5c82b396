import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GATEWAY_ERRORS, type GatewayError, gatewayResponseHeaders } from '../../gateway-responses.js';
import type { AuthorizerOutcome } from '../identity/authorizer.js';
import type { ApiDescription, MockAnswer, Route, StageSettings } from '../stack-description.js';
import { PortInUseError } from '../tcp-ports.js';
import { proxyEvent } from './proxy-event.js';
import { RequestValidator } from './request-validator.js';
import { parseRequestTarget, RouteTable } from './route-table.js';
import { TokenBucket } from './throttle.js';

/**
 * REST API quotas the gateway enforces: a 10 MB payload and a 29 s integration timeout
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html).
 */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** The functions the gateway integrates with, by logical ID (the LambdaHost). */
export interface Integrations {
  get(logicalId: string): Integration;
}

/** A function the gateway invokes; with its timeout when known (see invokeWithin). */
export interface Integration {
  invoke(event: unknown): Promise<unknown>;
  readonly description?: { readonly timeoutSeconds: number };
}

/** Applies a route's authorizer (see LocalIdentity): undefined for a route without one. */
export interface Authorizers {
  authorize(route: Route, header: string | undefined): AuthorizerOutcome | undefined;
}

export interface ApiGatewayOptions {
  port: number;
  host?: string;
  /** The authorizers the template's methods name (required when any method has one). */
  authorizers?: Authorizers;
  /** Serves GET /_local/status (local only: queue depths, concurrency). */
  localStatus?: () => Promise<unknown>;
  /** Serves GET /_local/events (local only: what was put on the event buses, newest first). */
  localEvents?: (query: URLSearchParams) => unknown;
  /** Serves POST /_local/tokens (local only: a token for a username, see LocalIdentity). */
  localTokens?: (body: string | null, requestId: string) => Promise<APIGatewayProxyResult>;
  /**
   * Local-only pages and streams (the live view under /_local/, the API reference at /openapi.json
   * and /docs): answers the request itself and returns true, or returns false to let the gateway
   * serve it. Never throttled. Called for every request before routing, so it must answer only
   * paths no API route has.
   */
  localRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Told of every answer the gateway sends (method, request target, status): the live view counts them. */
  onResponse?: (method: string, url: string, status: number) => void;
  /** For tests: a smaller payload limit or integration timeout. */
  maxPayloadBytes?: number;
  integrationTimeoutMs?: number;
}

export interface RunningApi {
  url: string;
  port: number;
  routes: readonly Route[];
  stage: StageSettings;
  close(): Promise<void>;
}

const INTEGRATION_TIMED_OUT = Symbol('integration timed out');

/**
 * Serves the stack's API Gateway methods over HTTP by invoking the hosted functions with REST (v1)
 * proxy events, and answers what API Gateway itself answers, as lib/gateway-responses.ts declares
 * it for AWS (status, code, message, headers): 404 for no route, 401 when the method's Cognito
 * authorizer refuses the token (the claims of one it accepts reach the function in
 * `requestContext.authorizer.claims`), 400 without a required header or query parameter or with a
 * body its model refuses (the template's request validator; the function is not invoked), 429 with Retry-After past
 * the stage throttle, 413 past 10 MB (the body is counted as it arrives, never buffered beyond
 * the limit), 502 when the function fails or times out, 504 past the 29 s integration timeout.
 */
export async function startApiGateway(api: ApiDescription, functions: Integrations, options: ApiGatewayOptions): Promise<RunningApi> {
  const guarded = api.routes.filter((r) => r.authorizer);
  if (guarded.length && !options.authorizers) {
    throw new Error(`${guarded.map((r) => `${r.method} ${r.resourcePath}`).join(', ')} need an authorizer: pass options.authorizers`);
  }
  const routes = new RouteTable(api.routes);
  const validator = new RequestValidator(api.routes);
  const bucket = new TokenBucket(api.stage.rateLimit, api.stage.burstLimit);
  const maxPayload = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
  const integrationTimeoutMs = options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;

  const respond = (req: http.IncomingMessage, res: http.ServerResponse, body: string | null, requestId: string) =>
    handle(req, body, requestId).then(
      (result) => {
        send(res, withGatewayResponseHeaders(api, req, result));
        options.onResponse?.(req.method ?? 'GET', req.url ?? '/', result.statusCode);
      },
      (error: unknown) => {
        console.error('[local] gateway error:', error);
        send(res, withGatewayResponseHeaders(api, req, gatewayError(GATEWAY_ERRORS.default5xx, requestId, 'Internal server error')));
      },
    );

  const server = http.createServer((req, res) => {
    if (options.localRoutes?.(req, res)) return;
    const requestId = randomUUID();
    req.on('error', () => undefined); // a client that goes away mid-body is not our failure
    // Neither Content-Length nor Transfer-Encoding: the request has no body (RFC 9112 §6.3), so
    // it is answered at once rather than after its (empty) stream ends.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      req.resume();
      void respond(req, res, null, requestId);
      return;
    }
    const refuse = () => {
      send(res, gatewayError(GATEWAY_ERRORS.requestTooLarge, requestId));
      // Read on and discard (never keep) what the client still sends: closing the connection
      // under a client that is still writing resets it before it reads the answer.
      req.removeAllListeners('data');
      req.resume();
    };
    if (Number(req.headers['content-length'] ?? 0) > maxPayload) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxPayload) {
        chunks.length = 0;
        refuse();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      void respond(req, res, chunks.length ? Buffer.concat(chunks).toString('utf8') : null, requestId);
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, body: string | null, requestId: string): Promise<APIGatewayProxyResult> {
    const { path, query } = parseRequestTarget(req.url ?? '/');
    const method = req.method ?? 'GET';
    if (options.localStatus && method === 'GET' && path === '/_local/status') {
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(await options.localStatus()) };
    }
    if (options.localEvents && method === 'GET' && path === '/_local/events') {
      const events = options.localEvents(new URLSearchParams(query));
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify(events),
      };
    }
    if (options.localTokens && method === 'POST' && path === '/_local/tokens') return options.localTokens(body, requestId);
    if (!bucket.take()) return gatewayError(GATEWAY_ERRORS.throttled, requestId, 'Too Many Requests');
    const match = routes.match(method, path);
    if (!match) return gatewayError(GATEWAY_ERRORS.routeNotFound, requestId, 'Missing Authentication Token');
    const { route, pathParameters } = match;
    // The authorizer runs before request validation, as in API Gateway: no token, no 400 either.
    const authorized = route.authorizer ? options.authorizers?.authorize(route, headerValue(req, route.authorizer.header)) : undefined;
    if (authorized && !authorized.ok) return gatewayError(GATEWAY_ERRORS.unauthorized, requestId, authorized.message);
    // Then the request validator: required parameters, then the body against the method's model.
    const invalid = validator.validate(route, { headers: req.headers, query, body });
    if (invalid) return gatewayError(invalid.error, requestId, invalid.message, invalid.details);
    if (route.mock) return mockResult(route.mock, headerValue(req, 'origin'), requestId);
    const event = proxyEvent({
      method: route.method,
      resource: route.resourcePath,
      path,
      pathParameters,
      headers: pairs(req.rawHeaders),
      query,
      body,
      stage: api.stage.stageName,
      requestId,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      protocol: `HTTP/${req.httpVersion}`,
      authorizerClaims: authorized?.claims,
    });
    const result = await invokeWithin(functions.get(route.functionLogicalId), event, integrationTimeoutMs).catch((error: Error) => error);
    if (result === INTEGRATION_TIMED_OUT) return gatewayError(GATEWAY_ERRORS.integrationTimeout, requestId);
    // A function error, a function timeout or a malformed answer: API Gateway answers 502
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html).
    if (result instanceof Error || !isProxyResult(result)) {
      const why = result instanceof Error ? `${result.name}: ${result.message}` : 'malformed Lambda proxy response';
      console.error(`[local] ${route.method} ${route.resourcePath}: ${why}`);
      return gatewayError(GATEWAY_ERRORS.default5xx, requestId, 'Internal server error');
    }
    return { ...result, headers: { ...result.headers, 'x-amzn-requestid': requestId } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port) : error));
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routes: api.routes,
    stage: api.stage,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A MOCK integration's answer, with the origin echoed where the template's preflight would (see MockAnswer). */
function mockResult(mock: MockAnswer, origin: string | undefined, requestId: string): APIGatewayProxyResult {
  const echo: Record<string, string> =
    origin !== undefined && mock.echoOrigins?.includes(origin) ? { 'access-control-allow-origin': origin } : {};
  return { statusCode: mock.statusCode, body: mock.body, headers: { ...mock.headers, ...echo, 'x-amzn-requestid': requestId } };
}

/**
 * The headers the template's GatewayResponse of that type adds (CORS headers, say) on an answer
 * of the gateway itself (marked `x-amzn-errortype`), as API Gateway maps them: static values, or
 * the request's header values.
 */
function withGatewayResponseHeaders(api: ApiDescription, req: http.IncomingMessage, result: APIGatewayProxyResult): APIGatewayProxyResult {
  const type = result.headers?.['x-amzn-errortype'];
  if (typeof type !== 'string') return result;
  const configured =
    api.gatewayResponseHeaders[type] ?? api.gatewayResponseHeaders[result.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(configured ?? {})) {
    const value = 'value' in source ? source.value : headerValue(req, source.fromRequestHeader);
    if (value !== undefined) headers[name] = value;
  }
  return { ...result, headers: { ...result.headers, ...headers } };
}

async function invokeWithin(fn: Integration, event: APIGatewayProxyEvent, timeoutMs: number): Promise<unknown> {
  // A function that times out first (as every Crest route does: CrestApi.addRoute insists) fails
  // by itself before the integration timeout, so no second timer is needed for it.
  if (fn.description && fn.description.timeoutSeconds * 1000 < timeoutMs) return fn.invoke(event);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof INTEGRATION_TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(INTEGRATION_TIMED_OUT), timeoutMs);
  });
  const invocation = fn.invoke(event);
  try {
    return await Promise.race([invocation, timedOut]);
  } finally {
    clearTimeout(timer);
    invocation.catch(() => undefined);
  }
}

/** A request header's value (repeated headers joined, as Node does), by case-insensitive name. */
function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  return typeof value === 'object' && value !== null && typeof (value as APIGatewayProxyResult).statusCode === 'number';
}

/**
 * A gateway error as AWS renders the GatewayResponse: the status, Crest's error body with the
 * fixed message or the gateway's own (`$context.error.messageString`), and the declared headers.
 */
export function gatewayError(error: GatewayError, requestId: string, gatewayMessage = '', validationDetails = ''): APIGatewayProxyResult {
  return {
    statusCode: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.type,
      ...gatewayResponseHeaders(error),
    },
    body: JSON.stringify({
      error: {
        code: error.code,
        message: error.message ?? gatewayMessage,
        ...(error.validationDetails ? { details: validationDetails } : {}),
      },
      requestId,
    }),
  };
}

function send(res: http.ServerResponse, result: APIGatewayProxyResult): void {
  if (res.headersSent) return;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) if (k.toLowerCase() !== 'content-length') headers[k] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) if (k.toLowerCase() !== 'content-length') headers[k] = v.map(String);
  const body = result.statusCode === 304 ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : (result.body ?? '');
  // API Gateway answers with a Content-Length, never chunked (and one write costs less than chunks).
  if (result.statusCode !== 304) headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(result.statusCode, headers);
  res.end(body);
}
