import http from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GATEWAY_ERRORS, type GatewayError } from '../../../../lib/gateway-responses.js';
import { MAX_PAYLOAD_BYTES, type RunningApi, startApiGateway } from '../../../../lib/local/api-gateway/server.js';
import { LocalIdentity } from '../../../../lib/local/identity/local-identity.js';
import { FunctionTimeoutError } from '../../../../lib/local/lambda-host.js';
import type { ApiDescription, Route } from '../../../../lib/local/stack-description.js';
import { PortInUseError } from '../../../../lib/local/tcp-ports.js';
import { call } from '../../../helpers/http.js';
import { fixturePool } from '../fixtures.js';

const route = (method: string, resourcePath: string, extra: Partial<Route> = {}): Route => ({
  method,
  resourcePath,
  segments: resourcePath.split('/').filter(Boolean),
  functionLogicalId: 'Fn',
  requiredHeaders: [],
  requiredQuery: [],
  ...extra,
});

const QUANTITY_MODEL = {
  name: 'Quantity',
  schema: {
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    properties: { quantity: { type: 'integer', minimum: 1, maximum: 100 } },
    required: ['quantity'],
    additionalProperties: false,
  },
  appliesTo: 'json' as const,
};
/** The same model keyed `$default`, as CrestApi.addRoute sets it: every body, whatever its Content-Type. */
const ANY_TYPE_QUANTITY_MODEL = { ...QUANTITY_MODEL, appliesTo: 'any' as const };

const pool = fixturePool();
const authorizer = { logicalId: 'Authorizer', userPoolLogicalIds: ['Users'], header: 'Authorization' };

const api = (rateLimit = 1_000_000, burstLimit = 1_000_000): ApiDescription => ({
  routes: [
    route('GET', '/v1/products/{sku}'),
    route('POST', '/v1/products/{sku}/deductions', { requiredHeaders: ['Idempotency-Key'], authorizer }),
    route('POST', '/v1/uploads', { requiredHeaders: ['Idempotency-Key'] }),
    route('PUT', '/v1/admin/products/{sku}', { authorizer }),
    route('GET', '/v1/health', {
      functionLogicalId: '',
      mock: { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: '{"status":"ok"}' },
    }),
    route('POST', '/v1/carts/{id}/items', { requiredQuery: ['currency'], bodyModel: QUANTITY_MODEL }),
    route('POST', '/v1/carts/{id}/lines', { bodyModel: ANY_TYPE_QUANTITY_MODEL }),
  ],
  stage: { stageName: 'live', rateLimit, burstLimit },
  gatewayResponseHeaders: {},
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
  let identity: LocalIdentity;
  beforeAll(async () => {
    identity = await LocalIdentity.create([pool]);
    gateway = await startApiGateway(api(), fn, {
      port: 0,
      authorizers: identity,
      integrationTimeoutMs: 300,
      localTokens: (body, requestId) => identity.tokensEndpoint(body, requestId),
      localEvents: (query) => ({ events: [], asked: Object.fromEntries(query) }),
    });
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
      'a guarded route without a token',
      () => call(`${gateway.url}/v1/admin/products/A`, { method: 'PUT' }),
      GATEWAY_ERRORS.unauthorized,
      'Unauthorized',
    ],
    [
      'a guarded route without a token, before checking its required header',
      () => call(`${gateway.url}/v1/products/A/deductions`, { method: 'POST', body: '{}' }),
      GATEWAY_ERRORS.unauthorized,
      'Unauthorized',
    ],
    [
      'a route without its required header',
      () => call(`${gateway.url}/v1/uploads`, { method: 'POST', body: '{}' }),
      GATEWAY_ERRORS.badRequestParameters,
      'Missing required request parameters: [Idempotency-Key]',
    ],
  ];
  it.each(gatewayErrors)(
    'answers %s with the gateway response AWS sends, without invoking the function',
    async (_n, request, error, message) => {
      const res = await request();

      expect(res.status).toBe(error.status);
      const details = (error as GatewayError).validationDetails ? { details: message } : {};
      expect(res.body).toEqual({ error: { code: error.code, message, ...details }, requestId: res.headers.get('x-amzn-requestid') });
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(fn.events).toEqual([]);
    },
  );

  describe('request validation against the method’s model', () => {
    const items = (body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      call(`${gateway.url}/v1/carts/c1/items?currency=EUR`, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });

    it.each([
      ['a missing required field', '{}', 'object has missing required properties (["quantity"])'],
      [
        'an unknown field',
        '{"quantity":1,"userId":"mallory"}',
        'object instance has properties which are not allowed by the schema: ["userId"]',
      ],
      ['a wrong type', '{"quantity":"1"}', 'instance type does not match any allowed primitive type (allowed: ["integer"]) (at /quantity)'],
      ['a value out of range', '{"quantity":0}', 'numeric instance is lower than the required minimum (minimum: 1) (at /quantity)'],
      ['an empty body', undefined, 'object has missing required properties (["quantity"])'],
      ['a body that is not JSON', '{"quantity":', 'Invalid JSON'],
    ])('answers %s 400 BAD_REQUEST_BODY with the validator’s findings, without invoking the function', async (_n, body, finding) => {
      const res = await items(body);

      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: { code: 'BAD_REQUEST_BODY', message: 'Invalid request body', details: expect.stringContaining(finding) },
        requestId: res.headers.get('x-amzn-requestid'),
      });
      expect(fn.events).toEqual([]);
    });

    it('passes a body the model accepts, with or without a Content-Type, to the function', async () => {
      expect((await items('{"quantity":2}')).status).toBe(200);
      expect((await items('{"quantity":3}', {})).status).toBe(200);

      expect(fn.events.map((e) => e.body)).toEqual(['{"quantity":2}', '{"quantity":3}']);
    });

    it('leaves a body of another content type to the function, as API Gateway applies models by content type', async () => {
      const res = await items('quantity=0', { 'content-type': 'application/x-www-form-urlencoded' });

      expect(res.status).toBe(200);
      expect(fn.events).toHaveLength(1);
    });

    it('refuses a body that claims another content type when the model is $default: Content-Type does not skip validation', async () => {
      const lines = (headers: Record<string, string>) =>
        call(`${gateway.url}/v1/carts/c1/lines`, { method: 'POST', headers, body: '{"quantity":1,"userId":"mallory"}' });

      const plain = await lines({ 'content-type': 'text/plain' });
      const form = await lines({ 'content-type': 'application/x-www-form-urlencoded' });

      expect([plain.status, form.status]).toEqual([400, 400]);
      expect(plain.body).toMatchObject({ error: { code: 'BAD_REQUEST_BODY', details: expect.stringContaining('["userId"]') } });
      expect(fn.events).toEqual([]);
    });

    it('answers a missing required query parameter 400 BAD_REQUEST_PARAMETERS before looking at the body', async () => {
      const res = await call(`${gateway.url}/v1/carts/c1/items`, { method: 'POST', body: '{}' });

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: { code: 'BAD_REQUEST_PARAMETERS', message: 'Missing required request parameters: [currency]' },
      });
      expect(fn.events).toEqual([]);
    });
  });

  it('passes a verified ID token’s claims to the function as API Gateway does, raw or after Bearer', async () => {
    const { idToken } = await identity.signIn({ username: 'alice', groups: ['admins'] });

    const raw = await call(`${gateway.url}/v1/admin/products/A`, { method: 'PUT', headers: { authorization: idToken } });
    const bearer = await call(`${gateway.url}/v1/admin/products/A`, { method: 'PUT', headers: { Authorization: `Bearer ${idToken}` } });

    expect([raw.status, bearer.status]).toEqual([200, 200]);
    const claims = fn.events[0]?.requestContext.authorizer?.claims as Record<string, string>;
    expect(claims).toMatchObject({
      sub: identity.issuer().subFor('alice'),
      'cognito:username': 'alice',
      'cognito:groups': 'admins',
      token_use: 'id',
      aud: pool.clients[0]?.clientId,
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${pool.name}`,
      exp: expect.stringMatching(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/),
    });
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(fn.events[1]?.requestContext.authorizer?.claims).toEqual(claims);
  });

  it('refuses every bad token 401 in the error shape, without invoking the function', async () => {
    const issuer = identity.issuer();
    const now = Math.floor(Date.now() / 1000);
    const good = await identity.signIn({ username: 'bob' });
    const [header, payload] = good.idToken.split('.');
    const stranger = await LocalIdentity.create([{ ...pool, logicalId: 'Other' }]);
    const idClaims = { sub: issuer.subFor('bob'), token_use: 'id', aud: pool.clients[0]?.clientId, iat: now, auth_time: now };
    const bad: Array<[string, string | undefined, string]> = [
      ['missing', undefined, 'Unauthorized'],
      ['empty', '', 'Unauthorized'],
      ['Bearer alone', 'Bearer ', 'Unauthorized'],
      ['malformed', 'not-a-jwt', 'Unauthorized'],
      [
        'tampered payload',
        `${header}.${Buffer.from(JSON.stringify({ ...idClaims, sub: 'someone-else' })).toString('base64url')}.${good.idToken.split('.')[2]}`,
        'Unauthorized',
      ],
      ['unsigned', `${header}.${payload}.`, 'Unauthorized'],
      ['expired', await issuer.sign({ ...idClaims, iat: now - 7200, exp: now - 3600 }), 'The incoming token has expired'],
      ['another client', await issuer.sign({ ...idClaims, aud: 'someotherclient00000000000', exp: now + 600 }), 'Unauthorized'],
      ['signed by another pool’s key', (await stranger.signIn({ username: 'bob' })).idToken, 'Unauthorized'],
      ['an access token', good.accessToken, 'Unauthorized'],
    ];

    for (const [name, token, message] of bad) {
      const res = await call(`${gateway.url}/v1/admin/products/A`, {
        method: 'PUT',
        headers: token === undefined ? {} : { authorization: token },
      });
      expect([name, res.status, res.body]).toEqual([
        name,
        401,
        { error: { code: 'UNAUTHORIZED', message }, requestId: res.headers.get('x-amzn-requestid') },
      ]);
    }
    expect(fn.events).toEqual([]);
  });

  it('serves GET /_local/events with its query, never cached, and invokes no function', async () => {
    const res = await call(`${gateway.url}/_local/events?type=Deduction%20HELD&limit=5`);

    expect(res).toMatchObject({ status: 200, body: { events: [], asked: { type: 'Deduction HELD', limit: '5' } } });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(fn.events).toEqual([]);
  });

  it('mints tokens on POST /_local/tokens and refuses an unknown group, client or field 400', async () => {
    const ok = await call(`${gateway.url}/_local/tokens`, {
      method: 'POST',
      body: JSON.stringify({ username: 'carol', groups: ['admins'] }),
    });
    const group = await call(`${gateway.url}/_local/tokens`, {
      method: 'POST',
      body: JSON.stringify({ username: 'carol', groups: ['root'] }),
    });
    const client = await call(`${gateway.url}/_local/tokens`, {
      method: 'POST',
      body: JSON.stringify({ username: 'carol', clientId: 'x' }),
    });
    const extra = await call(`${gateway.url}/_local/tokens`, { method: 'POST', body: JSON.stringify({ username: 'carol', sub: 'x' }) });

    expect(ok).toMatchObject({ status: 200, body: { idToken: expect.any(String), accessToken: expect.any(String), expiresIn: 3600 } });
    expect(identity.authorize(api().routes[3] as Route, ok.body.idToken)).toMatchObject({
      ok: true,
      claims: { 'cognito:groups': 'admins' },
    });
    expect(group.body.error.details[0].path).toBe('body.groups');
    expect(client.body.error.details[0].path).toBe('body.clientId');
    expect(extra.body.error.details[0]).toEqual({ path: 'body.sub', message: 'is not a field of this request' });
    expect([group.status, client.status, extra.status]).toEqual([400, 400, 400]);
  });

  it('refuses to serve a template with guarded routes and no authorizers', async () => {
    await expect(startApiGateway(api(), fn, { port: 0 })).rejects.toThrow(/need an authorizer/);
  });

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

    const res = await call(`${gateway.url}/v1/uploads`, { method: 'POST', headers: { 'idempotency-key': 'k' }, body });

    expect(res.status).toBe(200);
    expect(fn.events[0]?.body).toHaveLength(MAX_PAYLOAD_BYTES);
  });

  it('answers 413 REQUEST_TOO_LARGE to a declared body over 10 MB, without invoking the function', async () => {
    const res = await call(`${gateway.url}/v1/uploads`, {
      method: 'POST',
      headers: { 'idempotency-key': 'k' },
      body: 'a'.repeat(MAX_PAYLOAD_BYTES + 1),
    });

    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'REQUEST_TOO_LARGE', message: GATEWAY_ERRORS.requestTooLarge.message });
    expect(fn.events).toEqual([]);
  });

  it('answers 413 to a streamed body as soon as it passes 10 MB, before the client has finished sending', async () => {
    const target = new URL(`${gateway.url}/v1/uploads`);
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
    const failure = await startApiGateway(api(), fn, { port: gateway.port, authorizers: identity }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(PortInUseError);
    expect((failure as PortInUseError).port).toBe(gateway.port);
  });
});

describe('startApiGateway stage throttling', () => {
  it('answers 429 THROTTLED with Retry-After once the burst is spent', async () => {
    const fn = fakeFunction();
    const gateway = await startApiGateway(api(0.001, 2), fn, { port: 0, authorizers: await LocalIdentity.create([pool]) });
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
