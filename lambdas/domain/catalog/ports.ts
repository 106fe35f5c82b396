import type { Price, ProductInfo, Stock } from '../product/types.js';

export type InfoFields = Pick<ProductInfo, 'name' | 'description' | 'sales' | 'exposure' | 'clicks'>;
export type PriceFields = Pick<Price, 'amount' | 'original' | 'currency'>;

/**
 * Writes catalog items. Every write raises the item's version by one; `expectedVersion` (from
 * If-Match) makes it conditional: a mismatch throws PreconditionFailedError (412).
 */
export interface CatalogWriter {
  putInfo(sku: string, fields: InfoFields, expectedVersion?: number): Promise<ProductInfo>;
  /** @throws NotFoundError when the product has no info item. */
  setPrice(sku: string, fields: PriceFields, expectedVersion?: number): Promise<Price>;
  /** @throws NotFoundError when the product has no info item. */
  setStock(sku: string, quantity: number, expectedVersion?: number): Promise<Stock>;
  /**
   * Adds `delta` (negative to remove) to stock.
   * @throws ConflictError STOCK_WOULD_GO_NEGATIVE, NotFoundError.
   */
  addStock(sku: string, delta: number, expectedVersion?: number): Promise<Stock>;
}
