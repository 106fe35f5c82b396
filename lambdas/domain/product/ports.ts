import type { Price, ProductInfo, Stock } from './types.js';

/**
 * Reads catalog data. The DynamoDB/DAX adapter is one implementation; unit tests use an
 * in-memory one with injectable latency and failures. `signal` aborts the underlying request.
 */
export interface CatalogReader {
  getInfo(sku: string, signal?: AbortSignal): Promise<ProductInfo | null>;
  getPrice(sku: string, signal?: AbortSignal): Promise<Price | null>;
  getStock(sku: string, signal?: AbortSignal): Promise<Stock | null>;
}
