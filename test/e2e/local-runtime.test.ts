import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../bin/demo.js';
import { FUNCTIONS } from '../../lib/build/functions.js';
import { openApiDocument } from '../../lib/contract/openapi.js';
import { DEMO_SKU } from '../../lib/local/demo-data.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import type { CfnTemplate } from '../../lib/local/template.js';
import { call, contractFetch } from '../helpers/api.js';
import { bootRuntime } from '../helpers/runtime.js';

describe('local runtime over HTTP', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await bootRuntime();
  });
  afterAll(() => runtime?.stop());

  it('serves a seeded demo product with the full contract', async () => {
    const res = await call(`${runtime.url}/v1/products/${DEMO_SKU}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sku: DEMO_SKU,
      name: expect.any(String),
      price: { amount: expect.any(Number), original: expect.any(Number), currency: 'USD' },
      stock: { available: expect.any(Boolean), quantity: expect.any(Number) },
      versions: { info: 1, price: 1, stock: 1 },
      degraded: [],
    });
    expect(res.headers.get('etag')).toBe('"1.1.1"');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/[0-9a-f-]{36}/);
  });

  it('answers 304 to a conditional request with the current ETag', async () => {
    const res = await contractFetch(`${runtime.url}/v1/products/${DEMO_SKU}`, { headers: { 'If-None-Match': '"1.1.1"' } });

    expect(res.status).toBe(304);
  });

  it('answers bad input, unknown products and unknown routes in the error shape', async () => {
    const bad = await call(`${runtime.url}/v1/products/${encodeURIComponent('no spaces!')}`);
    const missing = await call(`${runtime.url}/v1/products/NOPE-1`);
    const noRoute = await call(`${runtime.url}/v1/nothing-here`);

    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' }, requestId: expect.any(String) } });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'PRODUCT_NOT_FOUND' } } });
    expect(noRoute).toMatchObject({ status: 404, body: { error: { code: 'ROUTE_NOT_FOUND' } } });
  });

  it('serves every API Gateway method in the template (parity)', async () => {
    const template = JSON.parse(
      readFileSync(path.join(runtime.assemblyDir, `${runtime.stack.stackName}.template.json`), 'utf8'),
    ) as CfnTemplate;
    const methods = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Method');
    expect(runtime.api.routes).toHaveLength(methods.length);
    const admin = await runtime.token('parity-admin', ['admins']);

    for (const route of runtime.api.routes) {
      const path = route.resourcePath.replace(/\{[^}]+\}/g, 'PARITY-1');
      const res = await call(`${runtime.url}${path}`, {
        method: route.method,
        headers: { authorization: admin, 'content-type': 'application/json', 'idempotency-key': 'parity-check-key' },
        body: route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}',
      });
      expect(res.body?.error?.code, `${route.method} ${route.resourcePath}`).not.toBe('ROUTE_NOT_FOUND');
      expect(res.status, `${route.method} ${route.resourcePath}`).toBeLessThan(500);
    }
  });

  it('serves the OpenAPI 3.1 document at /openapi.json, its own URL first among the servers', async () => {
    const res = await call(`${runtime.url}/openapi.json`);

    expect(res.status).toBe(200);
    const result = await validate(structuredClone(res.body));
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(res.body.servers[0].url).toBe(runtime.url);
    expect(Object.keys(res.body.paths)).toEqual(Object.keys(openApiDocument().paths));
  });

  it('serves a readable reference at /docs, its assets from this machine', async () => {
    const page = await fetch(`${runtime.url}/docs`);
    const html = await page.text();
    const scripts = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1] as string);

    expect(page.status).toBe(200);
    expect(scripts).toEqual(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/init.js']);
    for (const asset of scripts) expect((await fetch(`${runtime.url}${asset}`)).status, asset).toBe(200);
  });

  it('refuses a malformed body at the gateway, from the template’s model, without invoking the function', async () => {
    const buy = runtime.api.routes.find((r) => r.method === 'POST' && r.resourcePath === '/v1/products/{sku}/deductions');
    const fn = runtime.host.get(buy?.functionLogicalId ?? '');
    const token = await runtime.token('malformed-buyer');
    const before = fn.stats.invocations;

    const bodies = ['{"quantity":"1"}', '{"quantity":1,"userId":"mallory"}', '{}', '[]', '{"quantity":'];
    const answers = [];
    for (const body of bodies) {
      answers.push(
        await call(`${runtime.url}/v1/products/${DEMO_SKU}/deductions`, {
          method: 'POST',
          headers: { authorization: token, 'content-type': 'application/json', 'idempotency-key': `malformed-${answers.length}-key` },
          body,
        }),
      );
    }

    for (const [i, res] of answers.entries()) {
      expect(res.status, bodies[i]).toBe(400);
      expect(res.body, bodies[i]).toEqual({
        error: { code: 'BAD_REQUEST_BODY', message: 'Invalid request body', details: expect.stringMatching(/^\[.+\]$/) },
        requestId: res.headers.get('x-amzn-requestid'),
      });
    }
    expect(answers[1]?.body.error.details).toContain('userId');
    expect(fn.stats.invocations).toBe(before);
  });

  it('runs the README’s client demo (npm run demo): buy, poll until HELD, confirm, cancel, every answer as documented', async () => {
    const lines: string[] = [];

    const { decided, confirmed, cancelled } = await runDemo({
      baseUrl: runtime.url,
      username: 'demo-buyer',
      fetch: (request) => contractFetch(request),
      log: (line) => lines.push(line),
    });

    expect(decided.status).toBe('HELD');
    expect(Date.parse(decided.expiresAt ?? '')).toBeGreaterThan(Date.parse(decided.createdAt));
    expect(confirmed?.status).toBe('CONFIRMED');
    expect(cancelled?.status).toBe('CANCELLED');
    expect(lines).toHaveLength(6);
  });

  it('sends no CORS header and answers no preflight while corsAllowedOrigins is unset (the default)', async () => {
    const res = await call(`${runtime.url}/v1/products/${DEMO_SKU}`, { headers: { origin: 'https://shop.example' } });
    const preflight = await call(`${runtime.url}/v1/products/${DEMO_SKU}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example' },
    });

    expect(res.status).toBe(200);
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(preflight).toMatchObject({ status: 404, body: { error: { code: 'ROUTE_NOT_FOUND' } } });
  });

  it('hosts the bundles from the synthesized cloud assembly, one per function', () => {
    expect(runtime.host.all()).toHaveLength(FUNCTIONS.length);
  });
});

describe('local runtime stage throttling', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await bootRuntime({ seed: false, context: { apiThrottleRate: 1, apiThrottleBurst: 2 } });
  });
  afterAll(() => runtime?.stop());

  it('answers 429 THROTTLED once the stage burst is spent', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(`${runtime.url}/v1/products/${DEMO_SKU}`)).status);

    expect(statuses.slice(0, 2)).toEqual([404, 404]);
    expect(statuses.slice(2)).toContain(429);
  });
});
