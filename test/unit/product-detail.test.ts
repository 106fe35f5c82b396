import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../lambdas/domain/clock.js';
import { DependencyError, NotFoundError } from '../../lambdas/domain/errors.js';
import {
  defaultProductDetailOptions,
  ProductDetailService,
  productEtag,
  seenVersionsFromEtag,
} from '../../lambdas/domain/product/product-detail.js';
import { FakeCatalog } from '../helpers/fake-catalog.js';

function service(catalog: FakeCatalog, clock = new ManualClock()) {
  return new ProductDetailService(catalog, clock, defaultProductDetailOptions);
}

describe('ProductDetailService.get', () => {
  afterEach(() => vi.useRealTimers());

  it('aggregates info, price and stock into the product detail contract', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1', { info: 3, price: 2, stock: 9, quantity: 4 });

    const detail = await service(catalog).get('SKU-1');

    expect(detail).toEqual({
      sku: 'SKU-1',
      name: 'Product SKU-1',
      description: 'A product',
      price: { amount: 1999, original: 2499, currency: 'EUR' },
      stock: { available: true, quantity: 4 },
      versions: { info: 3, price: 2, stock: 9 },
      degraded: [],
    });
  });

  it('fetches the three sources concurrently, so latency is the slowest source', async () => {
    vi.useFakeTimers();
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.info.latencyMs = 50;
    catalog.behaviour.price.latencyMs = 30;
    catalog.behaviour.stock.latencyMs = 20;
    let settled = false;

    const pending = service(catalog)
      .get('SKU-1')
      .then((d) => {
        settled = true;
        return d;
      });
    await vi.advanceTimersByTimeAsync(49);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(settled).toBe(true);
    expect((await pending).degraded).toEqual([]);
  });

  it('answers with what it knows and marks stock degraded when stock times out', async () => {
    vi.useFakeTimers();
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.stock.hang = true;

    const pending = service(catalog).get('SKU-1');
    await vi.advanceTimersByTimeAsync(defaultProductDetailOptions.timeoutMs.stock);
    const detail = await pending;

    expect(detail.degraded).toEqual(['stock']);
    expect(detail.stock).toBeNull();
    expect(detail.price).not.toBeNull();
  });

  it('marks price degraded when the price source fails', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.price.fail = true;

    const detail = await service(catalog).get('SKU-1');

    expect(detail.degraded).toEqual(['price']);
    expect(detail.price).toBeNull();
  });

  it('throws NotFoundError for an unknown SKU', async () => {
    await expect(service(new FakeCatalog()).get('NOPE')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('throws DependencyError when info is unavailable, even if price and stock are fine', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.info.fail = true;

    await expect(service(catalog).get('SKU-1')).rejects.toBeInstanceOf(DependencyError);
  });

  it('serves repeated reads from L1 until the shortest TTL expires, then re-reads only that source', async () => {
    const clock = new ManualClock();
    const catalog = new FakeCatalog().addProduct('SKU-1');
    const products = service(catalog, clock);
    await products.get('SKU-1');

    for (let i = 0; i < 10; i++) await products.get('SKU-1');
    expect(catalog.calls).toEqual({ info: 1, price: 1, stock: 1 });

    clock.advance(defaultProductDetailOptions.cacheTtlMs.stock + 1);
    await products.get('SKU-1');
    expect(catalog.calls).toEqual({ info: 1, price: 1, stock: 2 });
  });

  it('coalesces concurrent misses for one SKU into one read per source', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.info.latencyMs = 5;
    const products = service(catalog);

    await Promise.all(Array.from({ length: 100 }, () => products.get('SKU-1')));

    expect(catalog.calls).toEqual({ info: 1, price: 1, stock: 1 });
  });

  it('stops calling a failing source once its breaker opens', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.stock.fail = true;
    const products = service(catalog);

    for (let i = 0; i < 20; i++) await products.get('SKU-1');

    expect(catalog.calls.stock).toBe(defaultProductDetailOptions.breaker.failureThreshold);
  });

  it('re-reads a source the client has already seen newer than the cached copy (monotonic reads)', async () => {
    const catalog = new FakeCatalog().addProduct('SKU-1', { price: 1 });
    const products = service(catalog);
    await products.get('SKU-1');
    catalog.prices.set('SKU-1', { sku: 'SKU-1', amount: 999, original: 999, currency: 'EUR', version: 2 });

    const detail = await products.get('SKU-1', { price: 2 });

    expect(detail.versions.price).toBe(2);
    expect(detail.price?.amount).toBe(999);
    expect(catalog.consistentReads).toEqual(['price:SKU-1']);
  });
});

describe('productEtag', () => {
  it('derives the ETag from the versions and round-trips through seenVersionsFromEtag', async () => {
    const detail = await service(new FakeCatalog().addProduct('S', { info: 4, price: 5, stock: 6 })).get('S');

    const etag = productEtag(detail);

    expect(etag).toBe('"4.5.6"');
    expect(seenVersionsFromEtag(etag)).toEqual({ info: 4, price: 5, stock: 6 });
    expect(seenVersionsFromEtag(`W/${etag}`)).toEqual({ info: 4, price: 5, stock: 6 });
  });

  it('marks degraded parts so a degraded answer never matches a complete one', async () => {
    const catalog = new FakeCatalog().addProduct('S', { info: 1, price: 1, stock: 1 });
    catalog.behaviour.stock.fail = true;

    const etag = productEtag(await service(catalog).get('S'));

    expect(etag).toBe('"1.1.x"');
    expect(seenVersionsFromEtag(etag)).toEqual({ info: 1, price: 1, stock: undefined });
  });

  it('ignores ETags it did not produce', () => {
    expect(seenVersionsFromEtag('"abc"')).toEqual({});
    expect(seenVersionsFromEtag(undefined)).toEqual({});
  });
});
