import type { Price, ProductInfo, Stock } from '../product/types.js';

export type InfoFields = Pick<ProductInfo, 'name' | 'description' | 'sales' | 'exposure' | 'clicks'>;
export type PriceFields = Pick<Price, 'amount' | 'original' | 'currency'>;

/** The most units a stock item may hold: setting more is refused, and so is adding past it. */
export const MAX_STOCK_QUANTITY = 10_000_000;

/**
 * Writes catalog items. Every write raises the item's version by one; `expectedVersion` (from
 * If-Match) makes it conditional: a mismatch throws PreconditionFailedError. `signal` aborts the
 * calls still in flight (the request's deadline).
 */
export interface CatalogWriter {
  putInfo(sku: string, fields: InfoFields, expectedVersion?: number, signal?: AbortSignal): Promise<ProductInfo>;
  /** @throws NotFoundError when the product has no info item. */
  setPrice(sku: string, fields: PriceFields, expectedVersion?: number, signal?: AbortSignal): Promise<Price>;
  /** @throws NotFoundError when the product has no info item. */
  setStock(sku: string, quantity: number, expectedVersion?: number, signal?: AbortSignal): Promise<Stock>;
  /**
   * Adds `delta` (negative to remove) to stock, in one conditional write: the result stays within
   * 0…MAX_STOCK_QUANTITY whatever else writes the item meanwhile.
   * @throws ConflictError STOCK_WOULD_GO_NEGATIVE or STOCK_WOULD_EXCEED_MAXIMUM, NotFoundError.
   */
  addStock(sku: string, delta: number, expectedVersion?: number, signal?: AbortSignal): Promise<Stock>;
}
