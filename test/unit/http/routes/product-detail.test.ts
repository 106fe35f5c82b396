import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { defaultProductDetailOptions, ProductDetailService } from '../../../../lambdas/domain/product/product-detail.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { productDetailRoutes } from '../../../../lambdas/http/routes/product-detail.js';
import { ManualClock } from '../../../helpers/clock.js';
import { apiEvent, lambdaContext } from '../../../helpers/events.js';
import { FakeCatalog } from '../../../helpers/fake-catalog.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

function handlerFor(catalog: FakeCatalog) {
  const products = new ProductDetailService(catalog, new ManualClock(), defaultProductDetailOptions);
  return apiHandler(productDetailRoutes({ products, maxAgeSeconds: 1 }), logger);
}

async function get(catalog: FakeCatalog, sku: string, headers: Record<string, string> = {}): Promise<APIGatewayProxyResult> {
  const event = apiEvent({ path: `/v1/products/${sku}`, resource: '/v1/products/{sku}', pathParameters: { sku }, headers });
  return handlerFor(catalog)(event, lambdaContext());
}

describe('GET /v1/products/{sku}', () => {
  it('answers 200 with the detail, an ETag from the versions and a short public max-age', async () => {
    const res = await get(new FakeCatalog().addProduct('SKU-1', { info: 2, price: 3, stock: 4 }), 'SKU-1');

    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"2.3.4"');
    expect(res.headers?.['cache-control']).toBe('public, max-age=1');
    expect(JSON.parse(res.body).sku).toBe('SKU-1');
  });

  it('answers 304 with no body when If-None-Match carries the current ETag', async () => {
    const res = await get(new FakeCatalog().addProduct('SKU-1'), 'SKU-1', { 'If-None-Match': '"1.1.1"' });

    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers?.etag).toBe('"1.1.1"');
  });

  it('answers 400 with field details for a malformed SKU', async () => {
    const res = await get(new FakeCatalog(), 'bad sku!');

    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details[0].path).toBe('path.sku');
    expect(body.requestId).toMatch(/^req-/);
  });

  it('rejects a SKU longer than 64 characters', async () => {
    const res = await get(new FakeCatalog(), 'A'.repeat(65));

    expect(res.statusCode).toBe(400);
  });

  it('answers 404 PRODUCT_NOT_FOUND for an unknown SKU', async () => {
    const res = await get(new FakeCatalog(), 'NOPE');

    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('answers 200 degraded with no-store when stock fails', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.stock.fail = true;

    const res = await get(catalog, 'SKU-1');

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['cache-control']).toBe('no-store');
    expect(JSON.parse(res.body).degraded).toEqual(['stock']);
  });

  it('answers 503 INFO_UNAVAILABLE when info cannot be read', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.info.fail = true;

    const res = await get(catalog, 'SKU-1');

    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).error.code).toBe('INFO_UNAVAILABLE');
  });
});
