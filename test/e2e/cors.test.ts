import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SKU } from '../../lib/local/demo-data.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { call } from '../helpers/api.js';
import { bootRuntime } from '../helpers/runtime.js';

const SHOP = 'https://shop.example';
const ADMIN = 'https://admin.example';

/** CORS as the local gateway mirrors it from the template: preflights, function answers, gateway errors. */
describe('CORS on the local runtime (corsAllowedOrigins set)', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await bootRuntime({ context: { corsAllowedOrigins: `${SHOP},${ADMIN}` } });
  });
  afterAll(() => runtime?.stop());

  const preflight = (path: string, origin: string) =>
    fetch(`${runtime.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,idempotency-key' },
    });

  it('answers a preflight for an allowed origin (the first and the others) with Crest’s headers, without a token', async () => {
    for (const origin of [SHOP, ADMIN]) {
      const res = await preflight(`/v1/products/${DEMO_SKU}/deductions`, origin);

      expect(res.status, origin).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), origin).toBe(origin);
      expect(res.headers.get('access-control-allow-headers')).toBe(
        'Authorization,Content-Type,Idempotency-Key,If-Match,If-None-Match,x-correlation-id',
      );
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-max-age')).toBe('600');
    }
  });

  it('never names another origin in a preflight', async () => {
    const res = await preflight(`/v1/products/${DEMO_SKU}`, 'https://evil.example');

    expect(res.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('lets an allowed origin read a function’s answer and its ETag, and no other origin', async () => {
    const allowed = await call(`${runtime.url}/v1/products/${DEMO_SKU}`, { headers: { origin: ADMIN } });
    const other = await call(`${runtime.url}/v1/products/${DEMO_SKU}`, { headers: { origin: 'https://evil.example' } });

    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('x-correlation-id');
    expect(allowed.headers.get('vary')).toBe('Origin');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets an allowed origin read the gateway’s own errors (401 without a token, 400 from the model)', async () => {
    const unauthorized = await call(`${runtime.url}/v1/products/${DEMO_SKU}/deductions`, {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'application/json', 'idempotency-key': 'cors-check-0001' },
      body: '{"quantity":1}',
    });
    const invalid = await call(`${runtime.url}/v1/products/${DEMO_SKU}/deductions`, {
      method: 'POST',
      headers: {
        origin: SHOP,
        authorization: await runtime.token('cors-buyer'),
        'content-type': 'application/json',
        'idempotency-key': 'cors-check-0002',
      },
      body: '{"quantity":"one"}',
    });

    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST_BODY' } } });
    expect(invalid.headers.get('access-control-allow-origin')).toBe(SHOP);
  });
});
