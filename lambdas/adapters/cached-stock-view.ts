import { L1Cache } from '../domain/cache.js';
import type { Clock } from '../domain/clock.js';
import type { StockView } from '../domain/deductions/ports.js';
import type { CatalogReader } from '../domain/product/ports.js';
import type { Stock } from '../domain/product/types.js';

/**
 * Stock for the sold-out fast path: the catalog's stock item behind a 1 s single-flight L1 cache,
 * so a container reads a hot SKU's stock at most about once a second however hard it is hit.
 */
export class CachedStockView implements StockView {
  private readonly cache: L1Cache<'stock', Stock>;

  constructor(
    private readonly reader: CatalogReader,
    clock: Clock,
    ttlMs = 1_000,
  ) {
    this.cache = new L1Cache({ maxEntries: 10_000, ttlMs: { stock: ttlMs }, negativeTtlMs: ttlMs, clock });
  }

  stock(sku: string): Promise<Stock | null> {
    return this.cache.getOrLoad('stock', sku, () => this.reader.getStock(sku));
  }
}
