import { afterEach, describe, expect, it, vi } from 'vitest';
import { DependencyError, NotFoundError } from '../../../../lambdas/domain/errors.js';
import {
  defaultProductDetailOptions,
  ProductDetailService,
  productEtag,
  seenVersionsFromEtag,
} from '../../../../lambdas/domain/product/product-detail.js';
import { ManualClock } from '../../../helpers/clock.js';
import { FakeCatalog } from '../../../helpers/fake-catalog.js';
import { RecordingMetrics } from '../../../helpers/metrics.js';

function service(catalog: FakeCatalog, clock = new ManualClock(), metrics = new RecordingMetrics()) {
  return new ProductDetailService(catalog, clock, defaultProductDetailOptions, metrics);
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

describe('ProductDetailService metrics', () => {
  it('counts an L1 hit or miss per source and read', async () => {
    const clock = new ManualClock();
    const metrics = new RecordingMetrics();
    const products = service(new FakeCatalog().addProduct('SKU-1'), clock, metrics);

    await products.get('SKU-1');
    await products.get('SKU-1');
    clock.advance(defaultProductDetailOptions.cacheTtlMs.stock + 1);
    await products.get('SKU-1');

    expect(
      ['info', 'price', 'stock'].map((s) => [s, metrics.total('L1Hits', { Source: s }), metrics.total('L1Misses', { Source: s })]),
    ).toEqual([
      ['info', 2, 1],
      ['price', 2, 1],
      ['stock', 1, 2],
    ]);
  });

  it('counts a re-read for a version the client claims as a miss', async () => {
    const metrics = new RecordingMetrics();
    const catalog = new FakeCatalog().addProduct('SKU-1', { price: 1 });
    const products = service(catalog, new ManualClock(), metrics);
    await products.get('SKU-1');

    await products.get('SKU-1', { price: 2 });

    expect([metrics.total('L1Misses', { Source: 'price' }), metrics.total('L1Hits', { Source: 'price' })]).toEqual([2, 0]);
  });

  it('counts each degraded answer by the part it lacks', async () => {
    const metrics = new RecordingMetrics();
    const catalog = new FakeCatalog().addProduct('SKU-1');
    catalog.behaviour.price.fail = true;

    await service(catalog, new ManualClock(), metrics).get('SKU-1');

    expect(metrics.records.filter((r) => r.metric === 'DegradedAnswers')).toEqual([
      { metric: 'DegradedAnswers', value: 1, dimensions: { Source: 'price' } },
    ]);
  });

  it('counts breaker state changes by source and state', async () => {
    const clock = new ManualClock();
    const metrics = new RecordingMetrics();
    const catalog = new FakeCatalog().addProduct('SKU-1');
    const products = service(catalog, clock, metrics);
    catalog.behaviour.stock.fail = true;
    for (let i = 0; i < defaultProductDetailOptions.breaker.failureThreshold; i++) {
      clock.advance(defaultProductDetailOptions.cacheTtlMs.stock + 1);
      await products.get('SKU-1');
    }
    catalog.behaviour.stock.fail = false;
    clock.advance(defaultProductDetailOptions.breaker.openMs);

    await products.get('SKU-1');

    expect(metrics.records.filter((r) => r.metric === 'BreakerTransitions').map((r) => r.dimensions)).toEqual([
      { Source: 'stock', State: 'open' },
      { Source: 'stock', State: 'half-open' },
      { Source: 'stock', State: 'closed' },
    ]);
  });
});

describe('ProductDetailService.get with a client-supplied ETag (no cache-bypass lever)', () => {
  afterEach(() => vi.useRealTimers());

  const inflated = { info: 999_999_999, price: 999_999_999, stock: 999_999_999 };
  const reads = (catalog: FakeCatalog) => catalog.calls.info + catalog.calls.price + catalog.calls.stock;

  it('answers 1,000 requests claiming versions that do not exist with a bounded number of reads', async () => {
    vi.useFakeTimers();
    const catalog = new FakeCatalog().addProduct('HOT');
    const products = new ProductDetailService(catalog, { now: () => Date.now() }, defaultProductDetailOptions);
    await products.get('HOT');
    const interval = defaultProductDetailOptions.rereadIntervalMs;

    // Ten waves of 100 concurrent requests, 100 ms apart: 1 s in all, within every L1 TTL but stock's.
    const waves: Array<Promise<unknown>> = [];
    for (let wave = 0; wave < 10; wave++) {
      waves.push(Promise.all(Array.from({ length: 100 }, () => products.get('HOT', inflated))));
      await vi.advanceTimersByTimeAsync(100);
    }
    let settled = false;
    const all = Promise.all(waves).finally(() => {
      settled = true;
    });
    while (!settled) await vi.advanceTimersByTimeAsync(interval);
    const answers = (await all).flat() as Array<{ versions: { price: number | null } }>;

    // Per source: one re-read at most per interval (+1 for the first), plus the initial load and
    // one reload when stock's 1 s TTL expires: three sources × (1 + 1000 / interval + 1) + 1.
    const bound = 3 * (1 + Math.ceil(1_000 / interval) + 1) + 1;
    expect(answers).toHaveLength(1_000);
    expect(answers.every((a) => a.versions.price === 1)).toBe(true);
    expect(reads(catalog)).toBeLessThanOrEqual(bound);
    expect(catalog.consistentReads.length).toBeLessThanOrEqual(3 * (1 + Math.ceil(1_000 / interval)));
  });

  it('still serves an honest client the version it saw elsewhere, even right after a re-read showed an older one', async () => {
    vi.useFakeTimers();
    const catalog = new FakeCatalog().addProduct('SKU-1', { price: 1 });
    const products = new ProductDetailService(catalog, { now: () => Date.now() }, defaultProductDetailOptions);
    await products.get('SKU-1');
    const first = products.get('SKU-1', { price: 2 }); // an ETag claiming version 2 before it exists
    await vi.advanceTimersByTimeAsync(0);
    expect((await first).versions.price).toBe(1);

    // Version 2 is written; another container served it to a client, who now asks this one.
    catalog.prices.set('SKU-1', { sku: 'SKU-1', amount: 5, original: 5, currency: 'EUR', version: 2 });
    const honest = products.get('SKU-1', { price: 2 });
    await vi.advanceTimersByTimeAsync(defaultProductDetailOptions.rereadIntervalMs);

    expect((await honest).versions.price).toBe(2);
    expect(catalog.consistentReads).toEqual(['price:SKU-1', 'price:SKU-1']);
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
