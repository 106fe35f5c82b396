import { itemOfImage, type SoldOutFlag, stockItem, storedImage } from '../../lambdas/adapters/catalog-items.js';
import type { ItemCacheRefresher, SoldOutFlags, StoredImage } from '../../lambdas/domain/invalidation/process-changes.js';

/**
 * In-memory item cache and sold-out flags with the same version guards as the DynamoDB adapters
 * (held to them by test/helpers/contracts/invalidation.ts).
 */
export class MemoryItemCache implements ItemCacheRefresher {
  /** The version the table holds per `sk#sku` (a refresh only succeeds with that version). */
  readonly table = new Map<string, number>();
  /** The version the item cache holds per `sk#sku`. */
  readonly cached = new Map<string, number>();
  /** Every refresh asked for, as `sku@version`. */
  readonly attempts: string[] = [];

  store(sku: string, version: number, sk = 'STOCK'): void {
    this.table.set(`${sk}#${sku}`, version);
  }

  async refresh(image: StoredImage, version: number): Promise<'refreshed' | 'superseded'> {
    const item = itemOfImage(image);
    this.attempts.push(`${String(item.sku)}@${version}`);
    const key = `${String(item.sk)}#${String(item.sku)}`;
    if (this.table.get(key) !== version) return 'superseded';
    this.cached.set(key, version);
    return 'refreshed';
  }
}

export class MemorySoldOutFlags implements SoldOutFlags {
  readonly flags = new Map<string, SoldOutFlag>();

  async set(sku: string, soldOut: boolean, stockVersion: number): Promise<void> {
    const current = this.flags.get(sku);
    if (!current || current.stockVersion < stockVersion) this.flags.set(sku, { soldOut, stockVersion });
  }
}

/** The stored image of a stock item, as the stream would deliver it. */
export const stockImage = (sku: string, quantity: number, version: number): StoredImage =>
  storedImage(stockItem({ sku, quantity, version }, 1_700_000_000_000));
