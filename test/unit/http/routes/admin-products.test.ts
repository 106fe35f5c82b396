import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import type { CatalogWriter } from '../../../../lambdas/domain/catalog/ports.js';
import { PreconditionFailedError } from '../../../../lambdas/domain/errors.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { adminProductRoutes } from '../../../../lambdas/http/routes/admin-products.js';
import { apiEvent, lambdaContext } from '../../../helpers/events.js';
import { admin, buyer } from '../../../helpers/identity.js';
import { RecordingMetrics } from '../../../helpers/metrics.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

function recordingWriter() {
  const calls: unknown[][] = [];
  const writer: CatalogWriter = {
    async putInfo(sku, fields, expected) {
      calls.push(['info', sku, fields, expected]);
      return { sku, ...fields, description: fields.description ?? '', version: (expected ?? 0) + 1 };
    },
    async setPrice(sku, fields, expected) {
      calls.push(['price', sku, fields, expected]);
      if (expected === 9) throw new PreconditionFailedError('mismatch', { expected: 9, current: 10 });
      return { sku, ...fields, version: 2 };
    },
    async setStock(sku, quantity, expected) {
      calls.push(['set', sku, quantity, expected]);
      return { sku, quantity, version: 3 };
    },
    async addStock(sku, delta, expected) {
      calls.push(['add', sku, delta, expected]);
      return { sku, quantity: 10 + delta, version: 4 };
    },
  };
  return { writer, calls };
}

async function put(
  path: string,
  resource: string,
  body: unknown,
  headers: Record<string, string> = {},
  claims: Record<string, string> | null = admin(),
) {
  const { writer, calls } = recordingWriter();
  const metrics = new RecordingMetrics();
  const handler = apiHandler(adminProductRoutes(writer, metrics), logger);
  const res = await handler(
    apiEvent({ method: 'PUT', path, resource, pathParameters: { sku: 'SKU-1' }, body, headers, claims: claims ?? undefined }),
    lambdaContext(),
  );
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers, calls, metrics };
}

describe('admin product routes', () => {
  it('answers a buyer 403 FORBIDDEN and a request without a verified caller 401, writing nothing', async () => {
    for (const path of ['', '/price', '/stock']) {
      const body = path === '/stock' ? { quantity: 1 } : path === '/price' ? { amount: 1, currency: 'USD' } : { name: 'x' };
      const asBuyer = await put(`/v1/admin/products/SKU-1${path}`, `/v1/admin/products/{sku}${path}`, body, {}, buyer());
      const anonymous = await put(`/v1/admin/products/SKU-1${path}`, `/v1/admin/products/{sku}${path}`, body, {}, null);

      expect(asBuyer).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } }, calls: [] });
      expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } }, calls: [] });
    }
  });

  it('sets a price, defaulting original to amount, and returns the new version as ETag', async () => {
    const res = await put('/v1/admin/products/SKU-1/price', '/v1/admin/products/{sku}/price', { amount: 1299, currency: 'EUR' });

    expect(res.status).toBe(200);
    expect(res.headers?.etag).toBe('"2"');
    expect(res.calls).toEqual([['price', 'SKU-1', { amount: 1299, original: 1299, currency: 'EUR' }, undefined]]);
  });

  it('counts each applied write by kind, and nothing for a write refused', async () => {
    const price = await put('/v1/admin/products/SKU-1/price', '/v1/admin/products/{sku}/price', { amount: 1299, currency: 'EUR' });
    const stock = await put('/v1/admin/products/SKU-1/stock', '/v1/admin/products/{sku}/stock', { delta: 5 });
    const refused = await put(
      '/v1/admin/products/SKU-1/price',
      '/v1/admin/products/{sku}/price',
      { amount: 1, currency: 'USD' },
      { 'If-Match': '"9"' },
    );

    expect(price.metrics.records).toEqual([{ metric: 'CatalogWrites', value: 1, dimensions: { Kind: 'price' } }]);
    expect(stock.metrics.records).toEqual([{ metric: 'CatalogWrites', value: 1, dimensions: { Kind: 'stock' } }]);
    expect(refused.metrics.records).toEqual([]);
  });

  it('passes If-Match through as the expected version and answers 412 on mismatch', async () => {
    const res = await put(
      '/v1/admin/products/SKU-1/price',
      '/v1/admin/products/{sku}/price',
      { amount: 1, currency: 'USD' },
      { 'If-Match': '"9"' },
    );

    expect(res.status).toBe(412);
    expect(res.body.error).toMatchObject({ code: 'PRECONDITION_FAILED', details: { expected: 9, current: 10 } });
  });

  it('rejects floats, negative prices and unknown currencies with field details', async () => {
    const res = await put('/v1/admin/products/SKU-1/price', '/v1/admin/products/{sku}/price', {
      amount: 12.5,
      original: -1,
      currency: 'EURO',
    });

    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.amount', 'body.currency', 'body.original']);
    expect(res.calls).toEqual([]);
  });

  it('sets stock with quantity and restocks with delta, but not both', async () => {
    const set = await put('/v1/admin/products/SKU-1/stock', '/v1/admin/products/{sku}/stock', { quantity: 5 });
    const add = await put('/v1/admin/products/SKU-1/stock', '/v1/admin/products/{sku}/stock', { delta: -3 });
    const both = await put('/v1/admin/products/SKU-1/stock', '/v1/admin/products/{sku}/stock', { quantity: 5, delta: 1 });

    expect(set.calls).toEqual([['set', 'SKU-1', 5, undefined]]);
    expect(add.calls).toEqual([['add', 'SKU-1', -3, undefined]]);
    expect(both.status).toBe(400);
  });

  it('refuses a zero amount and an original below the amount', async () => {
    const zero = await put('/v1/admin/products/SKU-1/price', '/v1/admin/products/{sku}/price', { amount: 0, currency: 'EUR' });
    const below = await put('/v1/admin/products/SKU-1/price', '/v1/admin/products/{sku}/price', {
      amount: 500,
      original: 499,
      currency: 'EUR',
    });
    const equal = await put('/v1/admin/products/SKU-1/price', '/v1/admin/products/{sku}/price', {
      amount: 500,
      original: 500,
      currency: 'EUR',
    });

    expect(zero.body.error.details).toEqual([{ path: 'body.amount', message: expect.any(String) }]);
    expect(below.body.error.details).toEqual([{ path: 'body.original', message: 'must not be below amount' }]);
    expect([zero.status, below.status, equal.status]).toEqual([400, 400, 200]);
    expect(zero.calls).toEqual([]);
  });

  it('refuses names and descriptions that would not display as written', async () => {
    const bad = [
      'NUL\u0000',
      'BEL\u0007',
      'ESC\u001b[31m',
      'DEL\u007f',
      'C1\u0085',
      'bidi \u202Eevil',
      'isolate \u2066x\u2069',
      'lone \ud800 surrogate',
    ];
    for (const text of bad) {
      const name = await put('/v1/admin/products/SKU-1', '/v1/admin/products/{sku}', { name: text });
      const description = await put('/v1/admin/products/SKU-1', '/v1/admin/products/{sku}', { name: 'ok', description: text });
      expect([name.status, description.status], JSON.stringify(text)).toEqual([400, 400]);
      expect(name.body.error.code).toBe('VALIDATION_FAILED');
    }
    const fine = await put('/v1/admin/products/SKU-1', '/v1/admin/products/{sku}', {
      name: 'Café Ünïcode ✓ 日本 👟',
      description: 'Two lines:\n\tindented',
    });
    const breakInName = await put('/v1/admin/products/SKU-1', '/v1/admin/products/{sku}', { name: 'two\nlines' });

    expect(fine.status).toBe(200);
    expect(breakInName.status).toBe(400);
  });

  it('bounds text lengths and rejects a malformed If-Match', async () => {
    const long = await put('/v1/admin/products/SKU-1', '/v1/admin/products/{sku}', { name: 'x'.repeat(201) });
    const badIfMatch = await put('/v1/admin/products/SKU-1', '/v1/admin/products/{sku}', { name: 'ok' }, { 'If-Match': 'abc' });

    expect(long.status).toBe(400);
    expect(badIfMatch.body.error.details[0].path).toBe('header.If-Match');
  });
});
