import http from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GATEWAY_ERRORS } from '../../../../lib/gateway-responses.js';
import { MAX_PAYLOAD_BYTES, type RunningApi, startApiGateway } from '../../../../lib/local/api-gateway/server.js';
import { FunctionTimeoutError } from '../../../../lib/local/lambda-host.js';
import type { ApiDescription, Route } from '../../../../lib/local/stack-description.js';
import { PortInUseError } from '../../../../lib/local/tcp-ports.js';
import { call } from '../../../helpers/http.js';

const route = (method: string, resourcePath: string, extra: Partial<Route> = {}): Route => ({
  method,
  resourcePath,
  segments: resourcePath.split('/').filter(Boolean),
  functionLogicalId: 'Fn',
  apiKeyRequired: false,
  requiredHeaders: [],
  ...extra,
});

const api = (rateLimit = 1_000_000, burstLimit = 1_000_000): ApiDescription => ({
  routes: [
    route('GET', '/v1/products/{sku}'),
    route('POST', '/v1/deductions', { requiredHeaders: ['Idempotency-Key'] }),
    route('PUT', '/v1/admin/products/{sku}', { apiKeyRequired: true }),
    route('GET', '/v1/health', {
      functionLogicalId: '',
      mock: { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: '{"status":"ok"}' },
    }),
  ],
  stage: { stageName: 'live', rateLimit, burstLimit },
});

/** A stand-in for the hosted function: records every event and answers as told. */
function fakeFunction() {
  const fake = {
    events: [] as APIGatewayProxyEvent[],
    answer: async (_event: APIGatewayProxyEvent): Promise<unknown> => ({ statusCode: 200, body: '{"ok":true}' }),
    get: () => ({
      invoke: (event: unknown) => {
        fake.events.push(event as APIGatewayProxyEvent);
        return fake.answer(event as APIGatewayProxyEvent);
      },
    }),
  };
  return fake;
}

describe('startApiGateway', () => {
  const fn = fakeFunction();
  let gateway: RunningApi;
  beforeAll(async () => {
    gateway = await startApiGateway(api(), fn, { port: 0, apiKey: 'the-key', integrationTimeoutMs: 300 });
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    fn.events.length = 0;
    fn.answer = async () => ({ statusCode: 200, body: '{"ok":true}' });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  it('invokes the function with a REST proxy event and adds the request id to its answer', async () => {
    const res = await call(`${gateway.url}/v1/products/DEMO-1?x=1`, { headers: { 'x-trace': 't' } });

    expect(res.status).toBe(200);
    expect(fn.events[0]).toMatchObject({
      resource: '/v1/products/{sku}',
      path: '/v1/products/DEMO-1',
      pathParameters: { sku: 'DEMO-1' },
      queryStringParameters: { x: '1' },
      headers: expect.objectContaining({ 'x-trace': 't' }),
      requestContext: { stage: 'live', requestId: res.headers.get('x-amzn-requestid') },
    });
  });

  it('answers a MOCK route itself, as its integration response says, without invoking a function', async () => {
    const res = await call(`${gateway.url}/v1/health`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/[0-9a-f-]{36}/);
    expect(fn.events).toEqual([]);
  });

  it('routes a path starting // as API Gateway does, merging the slashes', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      http
        .get(`${gateway.url}//v1/products/DEMO-2`, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        })
        .on('error', reject);
    });

    expect(res).toBe(200);
    expect(fn.events[0]).toMatchObject({ path: '/v1/products/DEMO-2', pathParameters: { sku: 'DEMO-2' } });
  });

  const gatewayErrors: Array<
    [string, () => Promise<Awaited<ReturnType<typeof call>>>, (typeof GATEWAY_ERRORS)[keyof typeof GATEWAY_ERRORS], string]
  > = [
    ['an unknown route', () => call(`${gateway.url}/v1/nothing`), GATEWAY_ERRORS.routeNotFound, 'Missing Authentication Token'],
    [
      'a known path with another method',
      () => call(`${gateway.url}/v1/products/A`, { method: 'DELETE' }),
      GATEWAY_ERRORS.routeNotFound,
      'Missing Authentication Token',
    ],
    [
      'an admin route without the API key',
      () => call(`${gateway.url}/v1/admin/products/A`, { method: 'PUT', headers: { 'x-api-key': 'wrong' } }),
      GATEWAY_ERRORS.invalidApiKey,
      'Forbidden',
    ],
    [
      'a route without its required header',
      () => call(`${gateway.url}/v1/deductions`, { method: 'POST', body: '{}' }),
      GATEWAY_ERRORS.badRequestParameters,
      'Missing required request parameters: [Idempotency-Key]',
    ],
  ];
  it.each(gatewayErrors)(
    'answers %s with the gateway response AWS sends, without invoking the function',
    async (_n, request, error, message) => {
      const res = await request();

      expect(res.status).toBe(error.status);
      expect(res.body).toEqual({ error: { code: error.code, message }, requestId: res.headers.get('x-amzn-requestid') });
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(fn.events).toEqual([]);
    },
  );

  it('answers 502 when the function fails, times out or answers something that is not a proxy result', async () => {
    const answers = [
      async () => {
        throw new Error('boom');
      },
      async () => {
        throw new FunctionTimeoutError(10);
      },
      async () => ({ body: 'no status' }),
    ];
    const results = [];
    for (const answer of answers) {
      fn.answer = answer;
      results.push(await call(`${gateway.url}/v1/products/A`));
    }

    for (const res of results) {
      expect(res.status).toBe(502);
      expect(res.body.error).toEqual({ code: GATEWAY_ERRORS.default5xx.code, message: GATEWAY_ERRORS.default5xx.message });
    }
  });

  it('stops waiting at the integration timeout and says the outcome is unknown (504)', async () => {
    fn.answer = () => new Promise(() => undefined);

    const res = await call(`${gateway.url}/v1/products/A`);

    expect(res.status).toBe(504);
    expect(res.body.error).toEqual({ code: 'OUTCOME_UNKNOWN', message: GATEWAY_ERRORS.integrationTimeout.message });
  });

  it('passes a body of exactly 10 MB to the function', async () => {
    const body = 'a'.repeat(MAX_PAYLOAD_BYTES);

    const res = await call(`${gateway.url}/v1/deductions`, { method: 'POST', headers: { 'idempotency-key': 'k' }, body });

    expect(res.status).toBe(200);
    expect(fn.events[0]?.body).toHaveLength(MAX_PAYLOAD_BYTES);
  });

  it('answers 413 REQUEST_TOO_LARGE to a declared body over 10 MB, without invoking the function', async () => {
    const res = await call(`${gateway.url}/v1/deductions`, {
      method: 'POST',
      headers: { 'idempotency-key': 'k' },
      body: 'a'.repeat(MAX_PAYLOAD_BYTES + 1),
    });

    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'REQUEST_TOO_LARGE', message: GATEWAY_ERRORS.requestTooLarge.message });
    expect(fn.events).toEqual([]);
  });

  it('answers 413 to a streamed body as soon as it passes 10 MB, before the client has finished sending', async () => {
    const target = new URL(`${gateway.url}/v1/deductions`);
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const outcome = await new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
      let sentBytes = 0;
      let answered = false;
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'idempotency-key': 'k' } },
        (res) => {
          answered = true;
          resolve({ status: res.statusCode ?? 0, sentBytes });
          req.destroy();
        },
      );
      req.on('error', (error) => (answered ? undefined : reject(error)));
      // Keeps sending (never ends the body) until the gateway answers; 64 MB is far past the limit.
      const pump = () => {
        while (!answered && sentBytes < 64 * chunk.length) {
          sentBytes += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    });

    expect(outcome.status).toBe(413);
    expect(outcome.sentBytes).toBeLessThan(64 * chunk.length);
    expect(fn.events).toEqual([]);
  });

  it('reports a busy port as PortInUseError', async () => {
    const failure = await startApiGateway(api(), fn, { port: gateway.port, apiKey: 'k' }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(PortInUseError);
    expect((failure as PortInUseError).port).toBe(gateway.port);
  });
});

describe('startApiGateway stage throttling', () => {
  it('answers 429 THROTTLED with Retry-After once the burst is spent', async () => {
    const fn = fakeFunction();
    const gateway = await startApiGateway(api(0.001, 2), fn, { port: 0, apiKey: 'k' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await call(`${gateway.url}/v1/products/A`));

      expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
      expect(statuses[2]?.body.error.code).toBe('THROTTLED');
      expect(statuses[2]?.headers.get('retry-after')).toBe(String(GATEWAY_ERRORS.throttled.retryAfterSeconds));
    } finally {
      await gateway.close();
    }
  });
});
