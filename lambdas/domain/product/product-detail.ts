import { L1Cache } from '../cache.js';
import type { Clock } from '../clock.js';
import { DependencyError, NotFoundError } from '../errors.js';
import { type Metrics, noMetrics } from '../metrics.js';
import { CircuitBreaker, withTimeout } from '../resilience.js';
import type { CatalogReader } from './ports.js';
import { ConsistentRereads } from './rereads.js';
import type { Price, ProductDetail, ProductInfo, SourceKind, Stock } from './types.js';

type SourceValue = ProductInfo | Price | Stock;

export interface ProductDetailOptions {
  /** Per-source timeout in ms. */
  timeoutMs: Record<SourceKind, number>;
  /** L1 TTL per source in ms (the staleness bound of the in-process cache). */
  cacheTtlMs: Record<SourceKind, number>;
  /** TTL for "no such item" answers. */
  negativeTtlMs: number;
  cacheMaxEntries: number;
  breaker: { failureThreshold: number; openMs: number };
  /** Least time between two consistent re-reads of one source of a SKU for a claimed version beyond the last shown. */
  rereadIntervalMs: number;
}

export const defaultProductDetailOptions: ProductDetailOptions = {
  timeoutMs: { info: 300, price: 150, stock: 150 },
  cacheTtlMs: { info: 30_000, price: 5_000, stock: 1_000 },
  negativeTtlMs: 1_000,
  cacheMaxEntries: 20_000,
  breaker: { failureThreshold: 5, openMs: 5_000 },
  rereadIntervalMs: 250,
};

/** Minimum versions a client has already seen; sources older than these are re-read. */
export type SeenVersions = Partial<Record<SourceKind, number>>;

const SOURCES: readonly SourceKind[] = ['info', 'price', 'stock'];

/**
 * Product detail aggregation: info, price and stock are fetched concurrently, each behind an
 * L1 cache (single-flight), a circuit breaker and a timeout, so the latency is the slowest
 * source rather than the sum, and a slow price or stock degrades the answer instead of failing it.
 */
export class ProductDetailService {
  private readonly cache: L1Cache<SourceKind, SourceValue>;
  private readonly breakers: Record<SourceKind, CircuitBreaker>;
  private readonly rereads: ConsistentRereads<SourceValue | null>;

  /**
   * @param metrics records, per source, L1 hits and misses, degraded answers and breaker state
   * changes (see METRIC_CATALOG).
   */
  constructor(
    private readonly reader: CatalogReader,
    clock: Clock,
    private readonly options: ProductDetailOptions = defaultProductDetailOptions,
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.cache = new L1Cache<SourceKind, SourceValue>({
      maxEntries: options.cacheMaxEntries,
      ttlMs: options.cacheTtlMs,
      negativeTtlMs: options.negativeTtlMs,
      clock,
    });
    const breaker = (source: SourceKind) =>
      new CircuitBreaker(source, options.breaker, clock, (state) => metrics.add('BreakerTransitions', 1, { Source: source, State: state }));
    this.breakers = { info: breaker('info'), price: breaker('price'), stock: breaker('stock') };
    this.rereads = new ConsistentRereads(options.rereadIntervalMs, clock, options.cacheMaxEntries);
  }

  /**
   * @throws NotFoundError when the SKU has no info item.
   * @throws DependencyError when info cannot be read (price/stock failures only degrade).
   */
  async get(sku: string, seen: SeenVersions = {}): Promise<ProductDetail> {
    const cached = this.fromCache(sku, seen);
    if (cached) {
      for (const kind of SOURCES) this.metrics.add('L1Hits', 1, { Source: kind });
      return cached;
    }
    const [info, price, stock] = await Promise.allSettled(SOURCES.map((kind) => this.load(kind, sku, seen)));
    const detail = assemble(
      sku,
      info as PromiseSettledResult<ProductInfo | null>,
      price as PromiseSettledResult<Price | null>,
      stock as PromiseSettledResult<Stock | null>,
    );
    for (const part of detail.degraded) this.metrics.add('DegradedAnswers', 1, { Source: part });
    return detail;
  }

  /** The cache-hit fast path: no promises, no timers. */
  private fromCache(sku: string, seen: SeenVersions): ProductDetail | undefined {
    const info = this.cache.peek('info', sku);
    const price = this.cache.peek('price', sku);
    const stock = this.cache.peek('stock', sku);
    if (!info.hit || !price.hit || !stock.hit) return undefined;
    if (isOlderThanSeen(info.value, seen.info) || isOlderThanSeen(price.value, seen.price) || isOlderThanSeen(stock.value, seen.stock)) {
      return undefined;
    }
    return assemble(
      sku,
      { status: 'fulfilled', value: info.value as ProductInfo | null },
      { status: 'fulfilled', value: price.value as Price | null },
      { status: 'fulfilled', value: stock.value as Stock | null },
    );
  }

  private async load(kind: SourceKind, sku: string, seen: SeenVersions): Promise<SourceValue | null> {
    const fetchOnce = (consistent = false) =>
      this.breakers[kind].run(() => withTimeout(this.options.timeoutMs[kind], (signal) => this.read(kind, sku, signal, consistent)));
    const cached = this.cache.peek(kind, sku);
    const claimed = seen[kind];
    const reread = cached.hit && claimed !== undefined && isOlderThanSeen(cached.value, claimed);
    // A hit is an answer from L1; a miss waited for a read (its own, or one already in flight).
    this.metrics.add(cached.hit && !reread ? 'L1Hits' : 'L1Misses', 1, { Source: kind });
    if (reread) {
      // The client has seen a newer version than this container holds: re-read, strongly
      // consistent (an ordinary read through DAX could return the same stale item), rather than
      // serve something older than what the client already showed (monotonic reads). Bounded and
      // single-flighted per source and SKU, since the claim comes from the client.
      const fresh = await this.rereads.reread(
        `${kind}:${sku}`,
        claimed,
        () => fetchOnce(true),
        (v) => v?.version ?? null,
      );
      this.cache.set(kind, sku, fresh);
      return fresh;
    }
    return this.cache.getOrLoad(kind, sku, () => fetchOnce());
  }

  private read(kind: SourceKind, sku: string, signal: AbortSignal, consistent: boolean): Promise<SourceValue | null> {
    const options = { consistent };
    switch (kind) {
      case 'info':
        return this.reader.getInfo(sku, signal, options);
      case 'price':
        return this.reader.getPrice(sku, signal, options);
      case 'stock':
        return this.reader.getStock(sku, signal, options);
    }
  }
}

function isOlderThanSeen(value: SourceValue | null, seenVersion: number | undefined): boolean {
  return seenVersion !== undefined && (value === null || value.version < seenVersion);
}

function assemble(
  sku: string,
  info: PromiseSettledResult<ProductInfo | null>,
  price: PromiseSettledResult<Price | null>,
  stock: PromiseSettledResult<Stock | null>,
): ProductDetail {
  if (info.status === 'rejected') {
    throw new DependencyError('Product information is temporarily unavailable', 'INFO_UNAVAILABLE');
  }
  if (info.value === null) throw new NotFoundError(`No product with SKU ${sku}`, 'PRODUCT_NOT_FOUND');
  const degraded: ProductDetail['degraded'] = [];
  if (price.status === 'rejected') degraded.push('price');
  if (stock.status === 'rejected') degraded.push('stock');
  const priceValue = price.status === 'fulfilled' ? price.value : null;
  const stockValue = stock.status === 'fulfilled' ? stock.value : null;
  return {
    sku,
    name: info.value.name,
    description: info.value.description,
    price: priceValue && { amount: priceValue.amount, original: priceValue.original, currency: priceValue.currency },
    stock: stockValue && { available: stockValue.quantity > 0, quantity: stockValue.quantity },
    versions: { info: info.value.version, price: priceValue?.version ?? null, stock: stockValue?.version ?? null },
    degraded,
  };
}

/**
 * The ETag is derived from the three versions, so it changes exactly when content can.
 * Degraded parts are marked so a degraded answer never matches a complete one.
 */
export function productEtag(detail: ProductDetail): string {
  const part = (kind: 'price' | 'stock') => (detail.degraded.includes(kind) ? 'x' : String(detail.versions[kind] ?? '-'));
  return `"${detail.versions.info}.${part('price')}.${part('stock')}"`;
}

/** Parses an ETag produced by `productEtag` back into the versions the client has seen. */
export function seenVersionsFromEtag(etag: string | undefined): SeenVersions {
  if (!etag) return {};
  const match = /^(?:W\/)?"(\d+)\.(\d+|-|x)\.(\d+|-|x)"$/.exec(etag.trim());
  if (!match) return {};
  const num = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : undefined);
  return { info: num(match[1]), price: num(match[2]), stock: num(match[3]) };
}
